"""Facets of a search: for each field (region, agency, topic, type, status, year, source),
the values its matching documents have and how many have each, the most common first.

One query per facet, each a GROUP BY over the matching document ids (the same match and
filters as storage.search, as a subquery), bounded to ``top`` values: the counts are of the
whole result set, not of one page, and a facet never lists the archive's long tail.

A result set of more than ``bound`` documents is counted over its first ``bound`` in rank
order (the most authoritative, newest; storage/search_window.py), each count scaled to the
set's estimated size: the result is then marked ``estimated``. Seven GROUP BYs over every
match of a term half the archive contains would cost seconds per page.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, String, bindparam, cast, func, select, table, text
from sqlalchemy.sql import column

from storage.db import Archive
from storage.search_filters import Filters
from storage.search_query import parse, to_fts5, to_tsquery
from storage.search_window import estimate_total
from storage.tables import FTS_TABLE, capture, document, search_entry, search_ghost, version

FACETS = ("region", "agency", "topic", "type", "status", "year", "source")
TOP = 10
BOUND = 2_000


class FacetCounts(dict):
    """{facet: [(value, documents), …]}; ``estimated`` when counted over a sample and scaled."""

    estimated: bool = False

_fts = table(FTS_TABLE, column("rowid"))


def search_facets(archive: Archive, query: str = "", filters: Filters | None = None,
                  *, top: int = TOP, bound: int = BOUND) -> FacetCounts:
    """{facet: [(value, documents), …]} over what ``search(archive, query, filters)`` finds."""
    filters = filters or Filters()
    parsed = parse(query) if query.strip() else None
    with archive.reader() as conn:
        ids, params = _matching_ids(archive.dialect, parsed, filters)
        first = conn.execute(ids.limit(bound + 1), params).all()
        out, scale = FacetCounts(), 1.0
        if len(first) > bound:
            # Counted over the first ``bound``; the last one's rank key says how large the whole set is.
            if parsed is None:
                total = conn.scalar(select(func.count()).select_from(document)
                                       .where(*filters.conditions(archive.dialect))) or 0
            else:
                total = estimate_total(conn, len(first), first[-1][1], filters)
            out.estimated, first, scale = True, first[:bound], total / bound
        sample = [row[0] for row in first]
        for name in FACETS:
            rows = conn.execute(_facet(name, archive.dialect, sample).limit(top)).all()
            out[name] = [(str(v), _scaled(int(n), scale)) for v, n in rows]
        return out


def facet_counts(found: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict[str, Any]]]:
    """search_facets' answer as JSON, every facet named (an empty one as []):
    {facet: [{"value": …, "count": documents}, …]}, in FACETS order, most documents first."""
    return {name: [{"value": v, "count": n} for v, n in found.get(name, [])] for name in FACETS}


def _scaled(n: int, scale: float) -> int:
    return n if scale == 1.0 else max(1, round(n * scale))


def _matching_ids(dialect: str, parsed: Any, filters: Filters) -> tuple[Select, dict[str, Any]]:
    """The ids of the documents the search matches (with their rank keys), first in rank
    order; and its parameters."""
    if parsed is None:
        return select(document.c.id).where(*filters.conditions(dialect)).order_by(document.c.id.desc()), {}
    if dialect == "sqlite":
        stmt = (select(search_entry.c.document_id, _fts.c.rowid).select_from(_fts)
                .join(search_entry, search_entry.c.rank_key == _fts.c.rowid)
                .where(text(f"{FTS_TABLE} MATCH :match"), _fts.c.rowid.not_in(select(search_ghost.c.rank_key))))
        conds = filters.date_conditions()
        if conds:
            stmt = stmt.join(document, document.c.id == search_entry.c.document_id).where(*conds)
        return stmt.order_by(_fts.c.rowid.desc()), {"match": to_fts5(parsed, filters.fts_terms())}
    # The match and the filters as storage/search_pg.py applies them.
    from sqlalchemy.dialects.postgresql import TSQUERY  # loaded by a PostgreSQL engine already

    from storage.search_pg import with_filters

    tsq = cast(bindparam("tsq", with_filters(to_tsquery(parsed), filters.ts_terms()), type_=String), TSQUERY)
    stmt = (select(search_entry.c.document_id, search_entry.c.rank_key)
            .join(document, document.c.id == search_entry.c.document_id)
            .where(search_entry.c.tsv.op("@@")(tsq), *filters.date_conditions()))
    return stmt.order_by(search_entry.c.rank_key.desc()), {}


def _facet(name: str, dialect: str, ids: list[int]) -> Select:
    """(value, count of documents) for one facet, most documents first, then by value."""
    if name == "source":
        # A document is on a source when any capture of any of its versions came from it.
        n = func.count(version.c.document_id.distinct())
        return (select(capture.c.source_id, n).join(version, version.c.id == capture.c.version_id)
                .where(version.c.document_id.in_(ids))
                .group_by(capture.c.source_id).order_by(n.desc(), capture.c.source_id))
    if name == "topic":
        each = (func.jsonb_array_elements_text(document.c.topics) if dialect == "postgresql"
                else func.json_each(document.c.topics)).table_valued("value")
        n = func.count()
        return (select(each.c.value, n).select_from(document).join(each, text("1 = 1"))
                .where(document.c.id.in_(ids))
                .group_by(each.c.value).order_by(n.desc(), each.c.value))
    value = {
        "region": document.c.region, "agency": document.c.agency, "type": document.c.doc_type,
        "status": document.c.status,
        "year": (func.to_char(document.c.published_date, "YYYY") if dialect == "postgresql"
                 else func.strftime("%Y", document.c.published_date)),
    }[name]
    n = func.count()
    return (select(value, n).where(document.c.id.in_(ids), value.is_not(None))
            .group_by(value).order_by(n.desc(), value))
