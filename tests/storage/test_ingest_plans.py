"""Every query ingest issues for a page is answered from an index, on both backends.

A per-page query that scans a table makes ingest slower the bigger the archive gets
(issue 12). The archive here is small (a few hundred documents through real ``ingest``),
but a plan does not depend on the size: every statement issued while one more page is
archived (a new notice, a revision, an aggregator's copy, an off-topic page, a page kept
raw, a 304 re-check, the crawl's known-page lookup) is captured and explained.

An offence is a full pass over a growing table, or a walk of a group that grows with it
(an index lookup by source, status or agency alone, as ``_document_at_url`` once
visited every capture of the source), unless the walk goes in the index's order and
stops after a LIMIT. SQLite: EXPLAIN QUERY PLAN (SCAN, SEARCH … (columns), TEMP B-TREE).
PostgreSQL, after ANALYZE: EXPLAIN with sequential scans and sorts disabled, so only
what no index can serve is left as a Seq Scan or a Sort; the Index Cond names the
columns looked up.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from storage.api import ingest, open_archive
from storage.ingest import record_offtopic, record_unextracted
from storage.known_pages import known_pages, mark_unchanged
from tests.bench.ingest_scale import Builder

# The tables that grow with the archive (sources, runs and walks stay small).
GROWING = {"document", "version", "version_band", "capture", "blob", "citation", "attachment",
           "search_entry", "search_ghost", "run_failure"}
ARCHIVE_DOCUMENTS = 300
_EXPLAINED = ("SELECT", "UPDATE", "DELETE", "WITH")


@contextmanager
def captured(archive) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith(_EXPLAINED):
            statements.append((statement, parameters[0] if executemany else parameters))

    event.listen(archive.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(archive.engine, "before_cursor_execute", keep)


# Columns whose value a group of rows shares that grows with the archive (all pages of a
# source, all documents of an agency): an index lookup by these alone walks the group.
GROUP_COLUMNS = {
    "capture": {"source_id", "run_id", "part_no", "http_status", "error_kind", "encoding", "content_type"},
    "document": {"status", "agency", "region", "doc_type", "authoritative_source_id", "published_date",
                 "draft_of_id"},  # draft_of_id IS NULL: nearly every document
    "version": {"source_id"},
    "version_band": {"band_no"},
    "attachment": {"kind"},
    "search_entry": {"tier"},
}


def _selective(table: str, equalities: list[str]) -> bool:
    return any(c not in GROUP_COLUMNS.get(table, ()) for c in equalities)


def _walk_is_bounded(statement: str, plan: str, sort_marker: str, whole_group: bool) -> bool:
    """A walk of a group (or of a key range) in an index's order that stops after LIMIT
    rows, or (``whole_group``: a read that wants all of the group) reads it in that order.
    A sort means the whole group is read first, whatever the LIMIT."""
    if sort_marker in plan:
        return False
    limited = re.search(r"\bLIMIT\b", statement, re.I) or re.search(r"^\s*(?:->\s*)?Limit\b", plan, re.M)
    return whole_group or bool(limited)


def _sqlite_offences(statement: str, plan_rows: list, whole_group: bool) -> list[str]:
    plan = "\n".join(row[-1] for row in plan_rows)
    out = []
    for row in plan_rows:
        detail = row[-1]
        scan = re.match(r"SCAN (\w+)", detail)
        if scan and scan.group(1) in GROWING:
            out.append(detail)
            continue
        search = re.match(r"SEARCH (\w+) USING .*?(?:INDEX \w+|PRIMARY KEY) \((.*)\)", detail)
        if search and search.group(1) in GROWING:
            table, cond = search.groups()
            equalities = re.findall(r"(\w+)=\?", cond)
            if not _selective(table, equalities) and not _walk_is_bounded(statement, plan, "TEMP B-TREE", whole_group):
                out.append(detail)
    return out


def _pg_offences(statement: str, plan_rows: list, index_table: dict[str, str], whole_group: bool) -> list[str]:
    lines = [line for (line,) in plan_rows]
    plan = "\n".join(lines)
    out = []
    for i, line in enumerate(lines):
        seq = re.search(r"Seq Scan on (\w+)", line)
        if seq and seq.group(1) in GROWING:
            out.append(line.strip())
            continue
        node = re.search(r"(?:Index Scan|Index Only Scan)(?: Backward)? using (\w+) on (\w+)", line) or \
            re.search(r"Bitmap Index Scan on (\w+)()", line)
        if not node:
            continue
        table = node.group(2) or index_table.get(node.group(1), "")
        if table not in GROWING:
            continue
        cond = ""
        for detail in lines[i + 1 :]:
            if "->" in detail:
                break
            if "Index Cond:" in detail:
                cond = detail
        equalities = re.findall(r"(\w+)\)*(?:::[\w ]+)?\)*\s*=\s", cond)
        if not _selective(table, equalities) and not _walk_is_bounded(statement, plan, "Sort", whole_group):
            out.append(f"{line.strip()} {cond.strip()}")
    return out


def _index_tables(archive) -> dict[str, str]:
    from sqlalchemy import inspect

    insp = inspect(archive.engine)
    out = {}
    for table in GROWING:
        names = [i["name"] for i in insp.get_indexes(table)]
        names += [u["name"] for u in insp.get_unique_constraints(table)]
        names.append(insp.get_pk_constraint(table)["name"])
        out.update({n: table for n in names if n})
    return out


def offenders(archive, statements: list[tuple[str, object]], whole_group: bool = False) -> list[str]:
    found: dict[str, str] = {}
    index_table = _index_tables(archive) if archive.dialect == "postgresql" else {}
    with archive.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, params in statements:
            cur = raw.cursor()
            try:
                if archive.dialect == "sqlite":
                    cur.execute("EXPLAIN QUERY PLAN " + statement, params)
                    bad = _sqlite_offences(statement, cur.fetchall(), whole_group)
                else:
                    cur.execute("BEGIN")
                    # Only what no index can serve is left: a Seq Scan, or a Sort.
                    cur.execute("SET LOCAL enable_seqscan = off")
                    cur.execute("SET LOCAL enable_sort = off")
                    cur.execute("EXPLAIN " + statement, params)
                    bad = _pg_offences(statement, cur.fetchall(), index_table, whole_group)
                    cur.execute("ROLLBACK")
            finally:
                cur.close()
            if bad:
                found.setdefault(" ".join(statement.split()), "; ".join(bad))
    return [f"{plan}\n    in: {sql[:600]}" for sql, plan in found.items()]


@pytest.fixture(scope="module")
def filled(module_archive_url):
    archive = open_archive(module_archive_url)
    builder = Builder(archive, seed=12)
    builder.fill_to(ARCHIVE_DOCUMENTS, progress=False)
    if archive.dialect == "postgresql":
        # What autovacuum does to any archive in use (here in the test's own schema): a
        # planner without statistics picks among indexes at random.
        with archive.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE " + ", ".join(sorted(GROWING)))
    try:
        yield archive, builder
    finally:
        archive.dispose()


def _check(archive, statements, whole_group: bool = False) -> None:
    assert statements, "no statement was captured"
    bad = offenders(archive, statements, whole_group)
    assert not bad, f"{len(bad)} per-page queries scan a growing table:\n" + "\n".join(bad)


def test_a_new_notice_is_ingested_by_index(filled):
    archive, b = filled
    with captured(archive) as statements:
        assert ingest(archive, b.stream.fresh(), b.runs["gov-js"]).outcome == "new_document"
        unnumbered = b.stream.fresh()
        unnumbered.extraction.doc_number = unnumbered.extraction.agency = None
        assert ingest(archive, unnumbered).outcome == "new_document"
    _check(archive, statements)


def test_drafts_look_for_their_finals_by_index(filled):
    archive, b = filled
    with captured(archive) as statements:
        for agency in ("国家卫生健康委员会", None):
            draft = b.stream.fresh()
            draft.extraction.status, draft.extraction.agency = "draft", agency
            assert ingest(archive, draft).outcome == "new_document"
    _check(archive, statements)


def test_a_revision_and_a_copy_are_ingested_by_index(filled):
    archive, b = filled
    ingest(archive, b.stream.fresh())
    with captured(archive) as statements:
        # A copy of a notice no aggregator has copied yet (once one has, its copy of a
        # later text is that site's new version, not noise).
        assert ingest(archive, b.stream.copy(b.stream.notices[-1])).outcome == "unchanged"
        assert ingest(archive, b.stream.revision()).outcome == "new_version"
        assert ingest(archive, b.stream.refetch()).outcome == "unchanged"
    _check(archive, statements)


def test_offtopic_and_unextracted_pages_are_kept_by_index(filled):
    archive, b = filled
    with captured(archive) as statements:
        record_offtopic(archive, b.stream.offtopic())
        record_unextracted(archive, b.stream.offtopic(), "parse", "boom")
    _check(archive, statements)


def test_a_not_modified_recheck_uses_indexes(filled):
    archive, b = filled
    notice = b.stream.known()
    with captured(archive) as statements:
        assert mark_unchanged(archive, notice.site, notice.url, b.stream.clock) == "unchanged"
    _check(archive, statements)


def test_the_known_page_lookup_reads_the_source_in_index_order(filled):
    # Once per crawl, not per page: it wants every page of the source (the conditional
    # re-check middleware then looks each request up in memory), so it may walk the
    # source's captures, but in an index's order: no scan of the table, no sort.
    archive, b = filled
    notice = b.stream.known()
    with captured(archive) as statements:
        assert notice.url in known_pages(archive, notice.site)
    _check(archive, statements, whole_group=True)
