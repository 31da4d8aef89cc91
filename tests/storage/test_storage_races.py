"""Writes that cannot race: a row two transactions may both find missing is written with
one INSERT … ON CONFLICT, never "read, then insert".

The PostgreSQL tests make the race happen every time instead of by chance: each writer
has a connection of its own, and all of them wait on one barrier just before their first
write to the table, so every one has done its reads before any writes. With a read, then
an insert, all of them find no row and insert, and all but one fail on the key.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, func, select

from spiders.registry import Source
from storage.api import open_archive, sync_sources
from storage.blobs import store
from storage.frontier import listing_walks, record_complete, record_progress
from storage.models import Blob, Document, SearchEntry
from storage.rows import insert_object
from storage.search_index import IndexRow, write_rows
from storage.crawl_runs import record_failure, start_run, get_run

SRC = Source(id="gov_a", name="A", kind="gov", family="gov_portal", start_urls=("http://gov.example/",))
LISTING = "http://gov.example/list/index.html"
WRITERS = 6


def race(url: str, table: str, work: Callable[[object, int], None]) -> list[BaseException]:
    """Run ``work(archive, i)`` in WRITERS threads, each with its own archive, all released
    together at their first INSERT or UPDATE of ``table``; the errors they raised."""
    barrier = threading.Barrier(WRITERS, timeout=30)
    first_write = re.compile(rf"\s*(INSERT INTO|UPDATE) {table}\b")
    errors: list[BaseException] = []
    archives = [open_archive(url) for _ in range(WRITERS)]

    def hold_first_write(archive) -> None:
        waited = []

        @event.listens_for(archive.engine, "before_cursor_execute")
        def _wait(conn, cursor, statement, *args) -> None:
            if not waited and first_write.match(statement):
                waited.append(True)
                barrier.wait()

    def run(i: int) -> None:
        try:
            work(archives[i], i)
        except BaseException as exc:  # noqa: BLE001 - every writer's failure is the result
            errors.append(exc)

    for archive in archives:
        hold_first_write(archive)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for archive in archives:
        archive.dispose()
    return errors


@pytest.mark.postgres
def test_listing_frontier_written_by_racing_crawls_loses_nothing(pg_url):
    with open_archive(pg_url) as archive:
        sync_sources(archive, [SRC])
    errors = race(pg_url, "listing_walk",
                  lambda archive, i: record_progress(archive, "gov_a", LISTING, i, f"{LISTING}?p={i + 1}", None))
    assert errors == []
    with open_archive(pg_url) as archive:
        walk = listing_walks(archive, "gov_a")[LISTING]
    # the deepest walk's depth is kept, whichever wrote last
    assert (walk.state, walk.reached) == ("walking", WRITERS)


@pytest.mark.postgres
def test_one_body_stored_by_racing_pages_is_one_blob(pg_url):
    def keep(archive, i: int) -> None:
        with archive.transaction() as session:
            store(session, "同一个附件".encode() * 100)

    assert race(pg_url, "blob", keep) == []
    with open_archive(pg_url) as archive, archive.session() as session:
        assert session.scalar(select(func.count()).select_from(Blob)) == 1


@pytest.mark.postgres
def test_index_entries_of_unrelated_notices_written_at_once_get_distinct_numbers(pg_url):
    """Two ingests of different notices each index their document: neither may have to
    run its page again because both numbered their entry max(seq) + 1."""
    with open_archive(pg_url) as archive, archive.transaction() as session:
        ids = [insert_object(session, Document, **_document_values(i)).id for i in range(WRITERS)]

    def index(archive, i: int) -> None:
        with archive.transaction() as session:
            write_rows(session, [IndexRow.build(ids[i], title=f"关于养老服务的通知（{i}）", doc_number=None,
                                                body="养老服务", region=None, agency=None, tier=0, published=None,
                                                version_id=None, tags="")])

    assert race(pg_url, "search_entry", index) == []
    with open_archive(pg_url) as archive, archive.session() as session:
        seqs = list(session.scalars(select(SearchEntry.seq)))
    assert len(set(seqs)) == len(seqs) == WRITERS


def _document_values(i: int) -> dict:
    columns = {c.key: None for c in Document.__table__.columns if c.key != "id"}
    now = datetime(2024, 5, 1, tzinfo=timezone.utc)
    return {**columns, "title": f"通知{i}", "topics": [], "status": None, "first_seen": now, "last_seen": now}


@pytest.mark.postgres
def test_sources_synced_by_racing_crawls_are_added_once(pg_url):
    errors = race(pg_url, "source", lambda archive, i: sync_sources(archive, [SRC]))
    assert errors == []


def test_frontier_depth_rules(archive):
    """An unfinished walk keeps the deepest page asked for; a completed one starts again."""
    sync_sources(archive, [SRC])
    record_progress(archive, "gov_a", LISTING, 4, f"{LISTING}?p=5", None)
    record_progress(archive, "gov_a", LISTING, 1, f"{LISTING}?p=2", None)
    assert listing_walks(archive, "gov_a")[LISTING].reached == 5
    record_complete(archive, "gov_a", LISTING, None)
    done = listing_walks(archive, "gov_a")[LISTING]
    assert (done.state, done.reached, done.next_url) == ("complete", 0, None) and done.completed_at
    record_progress(archive, "gov_a", LISTING, 1, None, None)
    again = listing_walks(archive, "gov_a")[LISTING]
    assert (again.state, again.reached, again.next_url) == ("walking", 1, None)
    assert again.completed_at == done.completed_at


def test_a_url_failing_twice_in_a_run_is_one_row_with_its_attempts(archive):
    sync_sources(archive, [SRC])
    run = start_run(archive, "gov_a", "cli")
    record_failure(archive, run, "timeout", "first", url="http://gov.example/1.html")
    record_failure(archive, run, "timeout", "second", url="http://gov.example/1.html", attempts=2)
    (failure,) = get_run(archive, run).failures
    assert (failure.attempts, failure.message) == (3, "second")
