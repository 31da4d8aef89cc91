"""Ranked full-text search over the archive, on SQLite (FTS5) and PostgreSQL (tsvector).

Relevance is BM25 (FTS5's bm25 with title and 文号 weighted above the body; ts_rank with
the same weights on PostgreSQL) times the document's tier factor: a government site's
notice keeps all of it, a copy known only from aggregators less, a document with no
metadata at all (spam copies: no agency, no region, no 文号) comes after every document
that has some, however well it matches.

A query that matches more of the archive than RANK_WINDOW documents is ranked within the
RANK_WINDOW most authoritative, most recently published of them (the index's rowid order,
no join), so a two-character term that half the archive contains is answered in
milliseconds. Its total is exact up to EXACT_TOTAL_LIMIT matches and estimated beyond
(storage/search_window.py).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal_column, select, table, text
from sqlalchemy.sql import column

from storage.db import Archive
from storage.queries import DocumentSummary, _jsonable
from storage.search_filters import Filters, check_limit
from storage.search_query import Query, QueryError, parse, to_fts5
from storage.search_snippets import snippet
from storage.search_window import EXACT_TOTAL_LIMIT, Window, read_window
from storage.tables import FTS_TABLE, TIER_BARE, TIER_FACTOR, document, search_entry, search_ghost, version

SORTS = ("relevance", "date")
RANK_WINDOW = 2_000
PG_RANK_WINDOW = 300  # each entry of the window has its tsvector read (~20 µs apiece)
# bm25 weights per FTS5 column: title, doc_number, body, chars, region, agency, tags.
BM25_WEIGHTS = (10.0, 8.0, 1.0, 0.5, 0.0, 0.0, 0.0)


@dataclass
class SearchHit(DocumentSummary):
    """A document that matched, with how well and where."""

    score: float | None = None
    snippet: str = ""  # with the matched terms in <mark>…</mark>
    snippet_text: str = ""  # the same without marks
    marks: list[tuple[int, int]] = field(default_factory=list)  # [start, end) in snippet_text

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    limit: int
    sort: str
    hits: list[SearchHit]
    filters: dict[str, Any] = field(default_factory=dict)
    total_is_estimate: bool = False  # a large result set's total, estimated (storage/search_window.py)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "total_is_estimate": self.total_is_estimate,
                "page": self.page, "pages": self.pages,
                "limit": self.limit, "sort": self.sort, "filters": self.filters,
                "hits": [h.to_dict() for h in self.hits]}


def search(
    archive: Archive,
    query: str = "",
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    limit: int = 20,
    rank_window: int | None = None,
    exact_limit: int = EXACT_TOTAL_LIMIT,
) -> SearchResult:
    """Documents matching ``query`` (see storage/search_query.py) and ``filters``.

    An empty query lists the documents the filters select, newest first. Raises
    QueryError (one line) for a query or filter that cannot be searched. A query matching
    more than ``exact_limit`` documents has its total estimated (``total_is_estimate``); one
    matching more than ``rank_window`` (default: the backend's) is ranked within that many
    of its most authoritative, newest matches.
    """
    filters = filters or Filters()
    check_limit(limit, page)
    if sort not in SORTS:
        raise QueryError(f"--sort: one of {', '.join(SORTS)}, not {sort!r}")
    parsed = parse(query) if query.strip() else None
    offset = (page - 1) * limit
    with archive.reader() as conn:
        if parsed is None:
            ids, window = _browse(conn, archive.dialect, filters, offset, limit)
        elif archive.dialect == "sqlite":
            ids, window = _sqlite(conn, parsed, filters, sort, offset, limit,
                                  rank_window or RANK_WINDOW, exact_limit)
        else:
            from storage.search_pg import search_postgres  # PostgreSQL's dialect loads with it

            ids, window = search_postgres(conn, parsed, filters, sort, offset, limit,
                                          rank_window or PG_RANK_WINDOW, exact_limit)
        if parsed is not None and window.total == 0:
            _check_index_built(conn)
        hits = _hits(conn, ids, parsed)
    return SearchResult(query=query, total=window.total, page=page, limit=limit, sort=sort, hits=hits,
                        filters=filters.to_dict(), total_is_estimate=window.estimated)


def _check_index_built(conn) -> None:
    """An archive made before the index existed has documents and no entries: say so."""
    if conn.scalar(select(search_entry.c.document_id).limit(1)) is None and \
            conn.scalar(select(document.c.id).limit(1)) is not None:
        raise QueryError("the search index is empty: run `policy-archive reindex` once")


def _browse(conn, dialect: str, filters: Filters, offset: int, limit: int):
    conds = filters.conditions(dialect)
    total = conn.scalar(select(func.count()).select_from(document).where(*conds)) or 0
    rows = conn.execute(
        select(document.c.id).where(*conds)
        .order_by(document.c.published_date.desc().nulls_last(), document.c.last_seen.desc(), document.c.id.desc())
        .offset(offset).limit(limit)
    ).all()
    return [(r[0], None) for r in rows], Window([], total, False)


# --- SQLite -------------------------------------------------------------------------------

_fts = table(FTS_TABLE, column("rowid"))


def _tier_case(key: str) -> str:
    whens = " ".join(f"WHEN {tier} THEN {factor}" for tier, factor in TIER_FACTOR.items())
    return f"(CASE ({key} >> 52) {whens} ELSE 1.0 END)"


def _sqlite(conn, parsed: Query, filters: Filters, sort: str, offset: int, limit: int,
            rank_window: int, exact_limit: int):
    match = to_fts5(parsed, filters.fts_terms())
    conds = filters.date_conditions()
    rowid = _fts.c.rowid

    def base(*cols) -> Select:
        stmt = select(*cols).select_from(_fts).where(text(f"{FTS_TABLE} MATCH :match"))
        stmt = stmt.where(rowid.not_in(select(search_ghost.c.rank_key)))
        if conds:
            stmt = (stmt.join(search_entry, search_entry.c.rank_key == rowid)
                    .join(document, document.c.id == search_entry.c.document_id).where(*conds))
        return stmt

    params = {"match": match}
    window_size = max(rank_window, offset + limit)
    if sort == "date":
        window = read_window(conn, base(rowid).order_by(rowid.desc()), params,
                             bound=exact_limit, filters=filters)
        if window.total == 0 or (not window.estimated and offset >= window.total):
            return [], window
        order = [literal_column(f"(({FTS_TABLE}.rowid >> 36) & 65535)").desc(), rowid.desc()]
        rows = conn.execute(base(rowid).order_by(*order).offset(offset).limit(limit), params).all()
        return _keys_to_ids(conn, [(r[0], None) for r in rows]), window
    window = read_window(conn, base(rowid).order_by(rowid.desc()), params,
                         bound=max(exact_limit, window_size), filters=filters)
    if window.total == 0 or (not window.estimated and offset >= window.total):
        return [], window
    stmt = base(rowid)
    cutoff = window.cutoff(window_size)
    if cutoff is not None:
        stmt = stmt.where(rowid >= cutoff)
    weights = ", ".join(map(str, BM25_WEIGHTS))
    score = literal_column(f"bm25({FTS_TABLE}, {weights}) * {_tier_case(f'{FTS_TABLE}.rowid')}")
    bare = literal_column(f"(({FTS_TABLE}.rowid >> 52) = {TIER_BARE})")
    stmt = stmt.add_columns(score.label("score")).order_by(bare, score, rowid.desc()).offset(offset).limit(limit)
    rows = conn.execute(stmt, params).all()
    return _keys_to_ids(conn, [(r[0], -r[1]) for r in rows]), window


def _keys_to_ids(conn, rows: list[tuple[int, float | None]]) -> list[tuple[int, float | None]]:
    keys = [k for k, _ in rows]
    by_key = dict(conn.execute(
        select(search_entry.c.rank_key, search_entry.c.document_id).where(search_entry.c.rank_key.in_(keys))
    ).all()) if keys else {}
    return [(by_key[k], s) for k, s in rows if k in by_key]


# --- matching a known set (watches) -------------------------------------------------------

_MATCH_CHUNK = 500


def matching_ids(session, dialect: str, query: str, filters: Filters, among: list[int]) -> set[int]:
    """Which of the documents ``among`` a search for ``query`` and ``filters`` finds: the
    same query language, filters and index as search(), asked inside the caller's session
    (a watch matches in the transaction that enqueues its notifications)."""
    parsed = parse(query) if query.strip() else None
    found: set[int] = set()
    for start in range(0, len(among), _MATCH_CHUNK):
        chunk = among[start:start + _MATCH_CHUNK]
        if parsed is None:
            stmt = select(document.c.id).where(document.c.id.in_(chunk), *filters.conditions(dialect))
            found.update(session.scalars(stmt))
        elif dialect == "sqlite":
            rowid = _fts.c.rowid
            stmt = (select(search_entry.c.document_id).select_from(_fts)
                    .join(search_entry, search_entry.c.rank_key == rowid)
                    .join(document, document.c.id == search_entry.c.document_id)
                    .where(text(f"{FTS_TABLE} MATCH :match"), rowid.not_in(select(search_ghost.c.rank_key)),
                           search_entry.c.document_id.in_(chunk), *filters.date_conditions()))
            found.update(session.scalars(stmt, {"match": to_fts5(parsed, filters.fts_terms())}))
        else:
            from storage.search_pg import matching_postgres

            found.update(matching_postgres(session, parsed, filters, chunk))
    return found


# --- hits -----------------------------------------------------------------------------------


def _hits(conn, ids: list[tuple[int, float | None]], parsed: Query | None) -> list[SearchHit]:
    if not ids:
        return []
    wanted = [i for i, _ in ids]
    rows = conn.execute(
        select(document, version.c.text).outerjoin(version, version.c.id == document.c.current_version_id)
        .where(document.c.id.in_(wanted))
    ).all()
    by_id = {row.id: row for row in rows}
    needles = parsed.needles if parsed else []
    hits = []
    for doc_id, score in ids:
        if doc_id not in by_id:
            continue
        doc = by_id[doc_id]
        snip = snippet(doc.text or "", needles)
        hits.append(SearchHit(
            id=doc.id, doc_number=doc.doc_number, title=doc.title, agency=doc.agency, region=doc.region,
            doc_type=doc.doc_type, status=doc.status, signed_date=doc.signed_date,
            published_date=doc.published_date, topics=list(doc.topics or []),
            authoritative_url=doc.authoritative_url, first_seen=doc.first_seen, last_seen=doc.last_seen,
            score=round(score, 6) if score is not None else None,
            snippet=snip.marked, snippet_text=snip.text, marks=snip.marks,
        ))
    return hits
