"""Ranked search on PostgreSQL: candidates from the GIN index alone, tsvectors read only for the window.

Reading a document's tsvector (out of line, ~10 KB of bigrams and positions) costs tens of
microseconds, so a query must never read one per match: a term half of 100k documents
contain took 1.4 s to count that way. Instead:

1. The matches' rank keys come from the GIN index and the table's narrow rows only
   (search_query.to_gin_tsquery: a query the index answers exactly, or a superset of it
   for phrases and exclusions; region, agency, topic, type, status and source filters are
   lexemes of the same tsvector, so a filtered search is one GIN lookup too), newest-most-authoritative first; the total is exact up to
   ``exact_limit`` and estimated beyond (storage/search_window.py). Plain index scans and
   sequential scans are switched off for that one statement: the planner does not know
   what testing a tsvector costs, and would test them one by one in rank-key order.
2. The window (the first ``rank_window`` candidates) is read once each: tested against the
   exact query where the candidates are a superset, and ranked with ts_rank.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import (  # this module is loaded only for PostgreSQL
    ARRAY,
    TSQUERY,
)

from storage.rank_keys import buckets_between, tier_of_key
from storage.search_filters import Filters
from storage.search_query import Query, to_estimate_tsquery, to_gin_tsquery, to_tsquery
from storage.search_window import Window, plans_limited_to, read_window, two_figures
from storage.tables import TIER_BARE, TIER_FACTOR, document, search_entry

# ts_rank weights {D (body), C (characters), B, A (title, 文号)}.
PG_WEIGHTS = "{0.1, 0.05, 0.4, 1.0}"


def index_only_candidates(session: Any) -> AbstractContextManager[None]:
    """Bitmap scans only (of the GIN index, for a tsvector match)."""
    return plans_limited_to(session, enable_seqscan="off", enable_indexscan="off")


def search_postgres(session: Any, parsed: Query, filters: Filters, sort: str, offset: int, limit: int,
                    rank_window: int, exact_limit: int) -> tuple[list[tuple[int, float | None]], Window]:
    gin_query, gin_is_exact = to_gin_tsquery(parsed)
    terms = filters.ts_terms()
    exact = cast(bindparam("tsq", with_filters(to_tsquery(parsed), terms), type_=String), TSQUERY)
    conds = filters.date_conditions()

    def base(*cols: Any, match: Any) -> Select:
        stmt = select(*cols).select_from(search_entry).where(match)
        if conds:
            stmt = stmt.join(document, document.c.id == search_entry.c.document_id).where(*conds)
        return stmt

    def keys(gin: str) -> Select:
        match = search_entry.c.tsv.op("@@")(cast(bindparam("gin", gin, type_=String), TSQUERY))
        return base(search_entry.c.rank_key, match=match).order_by(search_entry.c.rank_key.desc())

    gin_query = with_filters(gin_query, terms)
    estimate_query = with_filters(to_estimate_tsquery(parsed), terms)
    window_size = max(rank_window, offset + limit)
    if sort == "date":
        window = _read_candidates(session, keys, gin_query, estimate_query, exact_limit, filters)
        if not gin_is_exact and window.total:
            tested = window.keys[:window_size] if window.estimated else window.keys
            window = _verified_window(window, tested, _verified(session, tested, exact))
        if window.total == 0 or (not window.estimated and offset >= window.total):
            return [], window
        stmt = base(search_entry.c.document_id, match=search_entry.c.tsv.op("@@")(exact))
        if not conds:
            stmt = stmt.join(document, document.c.id == search_entry.c.document_id)
        stmt = stmt.order_by(document.c.published_date.desc().nulls_last(), search_entry.c.rank_key.desc())
        rows = session.execute(stmt.offset(offset).limit(limit)).all()
        return [(r[0], None) for r in rows], window
    window = _read_candidates(session, keys, gin_query, estimate_query, max(exact_limit, window_size), filters)
    if window.total == 0 or (not window.estimated and offset >= window.total):
        return [], window
    pool = window.keys[:window_size]
    rows = _rank(session, pool, exact, parsed, None if gin_is_exact else exact, offset, limit)
    if gin_is_exact:
        return [(r.document_id, float(r.score)) for r in rows], window
    verified = rows[0].verified if rows else _verified(session, pool, exact)
    return [(r.document_id, float(r.score)) for r in rows], _verified_window(window, pool, verified)


def _verified_window(window: Window, pool: list[int], verified: int) -> Window:
    """The window of a superset's candidates, its total made that of the ``verified`` true
    matches among the ``pool`` tested: exact when the pool was every candidate, else the
    candidates' total scaled by the pool's share of true matches."""
    if len(pool) >= len(window.keys) and not window.estimated:
        return Window(window.keys, verified, False)
    return Window(window.keys, max(verified, two_figures(window.total * verified / max(len(pool), 1))), True)


def _read_candidates(session: Any, keys: Callable[[str], Select], gin: str, estimate: str, bound: int,
                     filters: Filters) -> Window:
    """The first ``bound`` + 1 matches of ``gin`` in rank order (Window), looked for first
    in the stretches of rank order where that many are likely to be (by the planner's
    estimate of how many match ``estimate``)."""
    span = _likely_span(session, estimate, bound)
    plans = partial(index_only_candidates, session)
    if span:
        window = read_window(session, keys(f"({gin}) & ({' | '.join(span)})"), {}, bound=bound, filters=filters,
                             plans=plans)
        if len(window.keys) > bound:  # they are the first of all: the span is a top stretch
            return window
    return read_window(session, keys(gin), {}, bound=bound, filters=filters, plans=plans)


_EXPLAIN = text("EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entry WHERE tsv @@ CAST(:q AS tsquery)")
_ROWS = text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('search_entry')")
_KEY_AT = text("SELECT rank_key FROM search_entry ORDER BY rank_key DESC OFFSET :n LIMIT 1")
# The planner's equal-depth histogram of rank keys (kept by autovacuum): where the top
# fraction of the entries begins, without scanning them.
_HISTOGRAM = text("SELECT histogram_bounds::text::bigint[] FROM pg_stats WHERE schemaname = current_schema()"
                  " AND tablename = 'search_entry' AND attname = 'rank_key'")
_TOP_KEY = text("SELECT max(rank_key) FROM search_entry")


def _likely_span(session: Any, estimate: str, bound: int) -> list[str] | None:
    """The rank buckets (search_index.rank_bucket) of the top stretch of rank order that
    should hold ``bound`` + 1 matches twice over, by the planner's estimate of how many
    entries match; None where that stretch is most of the archive."""
    entries = session.scalar(_ROWS) or 0
    plan = session.scalar(_EXPLAIN, {"q": estimate})
    matching = (plan[0] if isinstance(plan, list) else json.loads(plan)[0])["Plan"]["Plan Rows"]
    if entries <= 0 or matching <= 0:
        return None
    stretch = int(2 * (bound + 1) * entries / matching)
    if stretch >= entries // 2:
        return None
    low, high = _key_at(session, stretch / entries), session.scalar(_TOP_KEY)
    if low is None or high is None or tier_of_key(low) != tier_of_key(high):
        return None  # a stretch across tiers would name every month of the lower one
    return [f"'{b}'" for b in buckets_between(low, high)]


def _key_at(session: Any, fraction: float) -> int | None:
    """A rank key with about ``fraction`` of the entries above it."""
    bounds = session.scalar(_HISTOGRAM)
    if bounds and len(bounds) > 10:
        return bounds[max(0, int(len(bounds) * (1 - fraction)) - 1)]
    rows = session.scalar(_ROWS) or 0
    return session.scalar(_KEY_AT, {"n": int(rows * fraction)})


def with_filters(tsquery: str, terms: list[str]) -> str:
    """The query with the filters' terms (Filters.ts_terms), which the tsvector also holds."""
    return " & ".join([f"({tsquery})", *terms]) if terms else tsquery


def _pool_rows(pool: list[int]) -> Any:
    """The pool's entries, by key. (Reading a tsvector twice, for the test and the rank, costs
    less than copying it once: ``tsv || ''`` merges its lexemes again.)"""
    keys = cast(bindparam("pool", pool, type_=ARRAY(BigInteger)), ARRAY(BigInteger))
    return (select(search_entry.c.document_id, search_entry.c.rank_key, search_entry.c.tier, search_entry.c.doc_number,
                   search_entry.c.tsv)
            .where(search_entry.c.rank_key == func.any(keys)).offset(0).subquery())


def _rank(session: Any, pool: list[int], tsq: Any, parsed: Query, verify: Any, offset: int, limit: int) -> list[Any]:
    inner = _pool_rows(pool)
    factor = case(*((inner.c.tier == tier, f) for tier, f in TIER_FACTOR.items()), else_=1.0)
    # Normalization 1: divided by 1 + log(length), so a long page stuffed with terms gains little.
    score = func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), inner.c.tsv, tsq, 1) * factor
    stmt = select(inner.c.document_id, score.label("score"), func.count().over().label("verified")).select_from(inner)
    if verify is not None:
        stmt = stmt.where(inner.c.tsv.op("@@")(verify))
    stmt = (stmt.order_by(inner.c.tier == TIER_BARE, *_own_number_first(inner.c.doc_number, parsed),
                          score.desc(), inner.c.rank_key.desc()).offset(offset).limit(limit))
    return session.execute(stmt).all()


def _verified(session: Any, pool: list[int], tsq: Any) -> int:
    inner = _pool_rows(pool)
    return session.scalar(select(func.count()).select_from(inner).where(inner.c.tsv.op("@@")(tsq))) or 0


def _own_number_first(column: Any, parsed: Query) -> list[Any]:
    """A 文号 searched for names its document: that one before the ones citing it. (FTS5's
    bm25 gets there by the 文号 column's weight; ts_rank weighs a phrase too evenly.)"""
    numbers = [t.doc_number for group in parsed.groups for t in group if t.doc_number]
    return [func.coalesce(column.in_(numbers), False).desc()] if numbers else []


def matching_postgres(session: Any, parsed: Query, filters: Filters, among: list[int]) -> list[int]:
    """Which of ``among`` the exact query and the filters find (a watch's matching: a small
    known set, so no ranking window and no estimate)."""
    tsq = cast(bindparam("tsq", to_tsquery(parsed), type_=String), TSQUERY)
    stmt = (select(search_entry.c.document_id).join(document, document.c.id == search_entry.c.document_id)
            .where(search_entry.c.tsv.op("@@")(tsq), search_entry.c.document_id.in_(among),
                   *filters.conditions("postgresql")))
    return list(session.scalars(stmt))
