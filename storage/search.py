"""Ranked full-text search over the archive, on SQLite (FTS5) and PostgreSQL (tsvector).

Relevance is BM25 (FTS5's bm25 with title and 文号 weighted above the body; ts_rank with
the same weights on PostgreSQL) times the document's tier factor: a government site's
notice keeps all of it, a copy known only from aggregators less, a document with no
metadata at all (spam copies: no agency, no region, no 文号) comes after every document
that has some, however well it matches.

A query that matches more of the archive than RANK_WINDOW documents is ranked within the
RANK_WINDOW most authoritative, most recently published of them (the index's rowid order,
no join), so a two-character term that half the archive contains is answered in
milliseconds; the total is always the exact count.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, String, bindparam, case, cast, func, literal_column, select, table, text
from sqlalchemy.sql import column

from storage.db import Archive
from storage.queries import DocumentSummary, _jsonable
from storage.search_filters import Filters, check_limit
from storage.search_query import Query, QueryError, parse, to_fts5, to_tsquery
from storage.search_snippets import snippet
from storage.tables import FTS_TABLE, TIER_BARE, TIER_FACTOR, document, search_entry, search_ghost, version

SORTS = ("relevance", "date")
RANK_WINDOW = 2_000
PG_RANK_WINDOW = 2_000  # ts_rank reads (detoasts) each tsvector of the window
# bm25 weights per FTS5 column: title, doc_number, body, chars, region, agency, tags.
BM25_WEIGHTS = (10.0, 8.0, 1.0, 0.5, 0.0, 0.0, 0.0)
# ts_rank weights {D (body), C (characters), B, A (title, 文号)}.
PG_WEIGHTS = "{0.1, 0.05, 0.4, 1.0}"


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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page, "pages": self.pages,
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
) -> SearchResult:
    """Documents matching ``query`` (see storage/search_query.py) and ``filters``.

    An empty query lists the documents the filters select, newest first. Raises
    QueryError (one line) for a query or filter that cannot be searched.
    """
    filters = filters or Filters()
    check_limit(limit, page)
    if sort not in SORTS:
        raise QueryError(f"--sort: one of {', '.join(SORTS)}, not {sort!r}")
    parsed = parse(query) if query.strip() else None
    offset = (page - 1) * limit
    with archive.reader() as conn:
        if parsed is None:
            ids, total = _browse(conn, archive.dialect, filters, offset, limit)
        elif archive.dialect == "sqlite":
            ids, total = _sqlite(conn, parsed, filters, sort, offset, limit)
        else:
            ids, total = _postgres(conn, parsed, filters, sort, offset, limit)
        if parsed is not None and total == 0:
            _check_index_built(conn)
        hits = _hits(conn, ids, parsed)
    return SearchResult(query=query, total=total, page=page, limit=limit, sort=sort, hits=hits,
                        filters=filters.to_dict())


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
    return [(r[0], None) for r in rows], total


# --- SQLite -------------------------------------------------------------------------------

_fts = table(FTS_TABLE, column("rowid"))


def _tier_case(key: str) -> str:
    whens = " ".join(f"WHEN {tier} THEN {factor}" for tier, factor in TIER_FACTOR.items())
    return f"(CASE ({key} >> 52) {whens} ELSE 1.0 END)"


def _sqlite(conn, parsed: Query, filters: Filters, sort: str, offset: int, limit: int):
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
    total = conn.scalar(base(func.count()), params) or 0
    if total == 0 or offset >= total:
        return [], total
    if sort == "date":
        order = [literal_column(f"(({FTS_TABLE}.rowid >> 36) & 65535)").desc(), rowid.desc()]
        rows = conn.execute(base(rowid).order_by(*order).offset(offset).limit(limit), params).all()
        return _keys_to_ids(conn, [(r[0], None) for r in rows]), total
    window = max(RANK_WINDOW, offset + limit)
    stmt = base(rowid)
    if total > window:
        cutoff = conn.scalar(base(rowid).order_by(rowid.desc()).offset(window - 1).limit(1), params)
        stmt = stmt.where(rowid >= cutoff)
    weights = ", ".join(map(str, BM25_WEIGHTS))
    score = literal_column(f"bm25({FTS_TABLE}, {weights}) * {_tier_case(f'{FTS_TABLE}.rowid')}")
    bare = literal_column(f"(({FTS_TABLE}.rowid >> 52) = {TIER_BARE})")
    stmt = stmt.add_columns(score.label("score")).order_by(bare, score, rowid.desc()).offset(offset).limit(limit)
    rows = conn.execute(stmt, params).all()
    return _keys_to_ids(conn, [(r[0], -r[1]) for r in rows]), total


def _keys_to_ids(conn, rows: list[tuple[int, float | None]]) -> list[tuple[int, float | None]]:
    keys = [k for k, _ in rows]
    by_key = dict(conn.execute(
        select(search_entry.c.rank_key, search_entry.c.document_id).where(search_entry.c.rank_key.in_(keys))
    ).all()) if keys else {}
    return [(by_key[k], s) for k, s in rows if k in by_key]


# --- PostgreSQL ---------------------------------------------------------------------------


def _tsquery(parsed: Query) -> Any:
    """The query as a tsquery parameter (bigram tokens only: search_query)."""
    from sqlalchemy.dialects.postgresql import TSQUERY  # loaded by a PostgreSQL engine already

    return cast(bindparam("tsq", to_tsquery(parsed), type_=String), TSQUERY)


def _postgres(conn, parsed: Query, filters: Filters, sort: str, offset: int, limit: int):
    # The tsquery is built from bigram tokens only (search_query) and sent as a parameter.
    tsq = _tsquery(parsed)
    params: dict[str, Any] = {}
    conds = filters.conditions("postgresql")
    matches = search_entry.c.tsv.op("@@")(tsq)

    def base(*cols) -> Select:
        stmt = select(*cols).select_from(search_entry).where(matches)
        if conds:
            stmt = stmt.join(document, document.c.id == search_entry.c.document_id).where(*conds)
        return stmt

    total = conn.scalar(base(func.count()), params) or 0
    if total == 0 or offset >= total:
        return [], total
    if sort == "date":
        stmt = base(search_entry.c.document_id)
        if not conds:
            stmt = stmt.join(document, document.c.id == search_entry.c.document_id)
        stmt = stmt.order_by(document.c.published_date.desc().nulls_last(), search_entry.c.rank_key.desc())
        rows = conn.execute(stmt.offset(offset).limit(limit), params).all()
        return [(r[0], None) for r in rows], total
    window = max(PG_RANK_WINDOW, offset + limit)
    inner = (base(search_entry.c.document_id, search_entry.c.rank_key, search_entry.c.tier, search_entry.c.tsv,
                  search_entry.c.doc_number)
             .order_by(search_entry.c.rank_key.desc()).limit(window).subquery())
    factor = case(*((inner.c.tier == tier, f) for tier, f in TIER_FACTOR.items()), else_=1.0)
    # Normalization 1: divided by 1 + log(length), so a long page stuffed with terms gains little.
    score = func.ts_rank(literal_column(f"'{PG_WEIGHTS}'::float4[]"), inner.c.tsv, tsq, 1) * factor
    stmt = (select(inner.c.document_id, score.label("score")).select_from(inner)
            .order_by(inner.c.tier == TIER_BARE, *_own_number_first(inner.c.doc_number, parsed),
                      score.desc(), inner.c.rank_key.desc()).offset(offset).limit(limit))
    rows = conn.execute(stmt, params).all()
    return [(r[0], float(r[1])) for r in rows], total


def _own_number_first(column: Any, parsed: Query) -> list[Any]:
    """A 文号 searched for names its document: that one before the ones citing it. (FTS5's
    bm25 gets there by the 文号 column's weight; ts_rank weighs a phrase too evenly.)"""
    numbers = [t.doc_number for group in parsed.groups for t in group if t.doc_number]
    return [func.coalesce(column.in_(numbers), False).desc()] if numbers else []


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
            tsq = _tsquery(parsed)
            stmt = (select(search_entry.c.document_id).join(document, document.c.id == search_entry.c.document_id)
                    .where(search_entry.c.tsv.op("@@")(tsq), search_entry.c.document_id.in_(chunk),
                           *filters.conditions("postgresql")))
            found.update(session.scalars(stmt))
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
