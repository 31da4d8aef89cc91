"""Watches on both backends: what a watch is owed after ingest (new documents its search
finds, once however many sites carry them; revisions of what it was told), that matching
twice owes nothing twice, and how the outbox is taken, retried and gathered into digests."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from storage_samples import NOTICE_A, NOTICE_A_REVISED, NOTICE_B, later, page, site_copy

from storage.api import Filters, ingest
from storage.crawl_runs import this_process
from storage.models import Outbox, Watch
from storage.outbox import LEASE, backoff, claim_due, day_start, mark_failed, mark_sent
from storage.watch_match import first_change, match_watches
from storage.watches import (
    WatchError,
    add_watch,
    get_watch,
    list_watches,
    remove_watch,
    told,
)

NUM_A = "市政办发〔2016〕12号"
NUM_B = "市民发〔2019〕21号"


def _ingest_a(archive, hours=0, text=NOTICE_A):
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", text, doc_number=NUM_A, title="医养结合通知",
                         agency="市人民政府办公室", region="辽宁省甲市", topics=["eldercare"],
                         published_date=date(2016, 3, 10), at=later(hours)))


def _ingest_b(archive, hours=0):
    ingest(archive, page("gov2", "gov", "http://gov2.test/b.html", NOTICE_B, doc_number=NUM_B, title="养老服务实施意见",
                         agency="市民政局", region="云南省乙市", topics=["eldercare"],
                         published_date=date(2019, 6, 20), at=later(hours)))


def _owed(archive, name):
    return sorted((r.payload["doc_number"], r.kind) for r in told(archive, name))


def test_add_list_remove_and_refusals(archive):
    info = add_watch(archive, "yl", "养老", Filters.parse(region="辽宁"), notify=["json://127.0.0.1:9/x"])
    assert (info.name, info.query, info.filters, info.pending) == ("yl", "养老", {"region": "辽宁"}, 0)
    with pytest.raises(WatchError, match="exists"):
        add_watch(archive, "yl", "医保")
    with pytest.raises(WatchError, match="needs a query or a filter"):
        add_watch(archive, "all", "")
    with pytest.raises(WatchError, match="--digest"):
        add_watch(archive, "weekly", "养老", digest="weekly")
    add_watch(archive, "pw", "医保", notify=["mailto://me:secret@127.0.0.1:2525?to=a@example.org",
                                            "mailto://127.0.0.1:2525?user=me&pass=secret&to=a@example.org"])
    shown = {w.name: w.notify for w in list_watches(archive)}
    assert shown["pw"] == ["mailto://me:***@127.0.0.1:2525?to=a@example.org",
                           "mailto://127.0.0.1:2525?user=me&pass=***&to=a@example.org"]
    remove_watch(archive, "yl")
    assert [w.name for w in list_watches(archive)] == ["pw"]
    with pytest.raises(WatchError, match="no watch named"):
        remove_watch(archive, "yl")


def test_new_documents_are_owed_once_however_many_sites_carry_them(archive):
    _ingest_a(archive)  # before the watch: never new to it
    add_watch(archive, "yl", "养老")
    add_watch(archive, "yunnan", "养老", Filters.parse(region="云南"))
    add_watch(archive, "nothing", "彩票公益金 护理型床位")
    _ingest_b(archive, 1)
    ingest(archive, page("agg", "aggregator", "http://agg.test/b", site_copy(NOTICE_B), at=later(2)))
    ingest(archive, page("agg2", "aggregator", "http://agg2.test/b", site_copy(NOTICE_B, 27), at=later(3)))
    report = match_watches(archive)
    assert report.new == {"yl": 1, "yunnan": 1, "nothing": 0}
    assert _owed(archive, "yl") == [(NUM_B, "new")]
    assert _owed(archive, "nothing") == []
    assert match_watches(archive).total == 0  # seen again: nothing
    _ingest_b(archive, 5)
    assert match_watches(archive).total == 0


def test_a_revision_of_a_told_document_is_owed_with_its_first_changed_sentence(archive):
    add_watch(archive, "yl", "医养结合")
    _ingest_a(archive)
    match_watches(archive)
    _ingest_a(archive, 24, NOTICE_A_REVISED)
    assert match_watches(archive).revised == {"yl": 1}
    (revision,) = [r for r in told(archive, "yl") if r.kind == "revised"]
    assert revision.payload["changed"].startswith("到2022年，全市所有养老机构")


def test_matching_the_same_versions_again_enqueues_nothing_twice(archive):
    add_watch(archive, "yl", "养老")
    _ingest_a(archive)
    _ingest_b(archive, 1)
    match_watches(archive)
    with archive.transaction() as session:  # as if the mark had never moved
        session.execute(update(Watch).values(seen_version_id=Watch.start_version_id))
    match_watches(archive)
    with archive.session() as session:
        assert session.scalar(select(func.count()).select_from(Outbox)) == 2


def test_a_claimed_row_is_not_taken_twice_and_a_dead_senders_claim_is_taken_over(archive):
    """A live sender on this host keeps its rows however long it takes; a dead one's are
    taken at once; another host's after its lease."""
    add_watch(archive, "yl", "养老", notify=["json://127.0.0.1:9/x"])
    _ingest_b(archive)
    match_watches(archive)
    (batch,) = claim_due(archive)
    assert claim_due(archive) == []  # leased to this process
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host, _ = this_process()
    with archive.transaction() as session:  # the lease stands, but its holder has ended
        session.execute(update(Outbox).values(claimed_by=f"{host}:{dead.pid}"))
    (again,) = claim_due(archive)
    assert again.ids == batch.ids
    # a sender on another host cannot be asked: its lease decides
    from storage.models import utcnow

    now = utcnow()
    with archive.transaction() as session:
        session.execute(update(Outbox).values(claimed_by="elsewhere.example:1", next_try_at=now + LEASE))
    assert claim_due(archive, now + LEASE - timedelta(seconds=1)) == []
    (taken,) = claim_due(archive, now + LEASE)
    assert taken.ids == batch.ids


def test_a_failed_delivery_waits_for_its_backoff_and_is_shown_on_the_watch(archive):
    add_watch(archive, "yl", "养老", notify=["json://127.0.0.1:9/x"])
    _ingest_b(archive)
    match_watches(archive)
    (batch,) = claim_due(archive)
    from storage.models import utcnow

    now = utcnow()
    mark_failed(archive, batch, "connection refused", now)
    assert claim_due(archive, now + backoff(1) - timedelta(seconds=1)) == []
    (retry,) = claim_due(archive, now + backoff(1))
    info = get_watch(archive, "yl")
    assert (info.failures, info.last_error, info.pending) == (1, "connection refused", 1)
    mark_sent(archive, retry)
    info = get_watch(archive, "yl")
    assert (info.failures, info.pending, info.sent) == (0, 0, 1)
    assert backoff(1) < backoff(2) < backoff(30) == backoff(31)
    assert LEASE > timedelta(0)


def test_a_daily_digest_gathers_a_days_matches_once_the_day_is_over(archive):
    add_watch(archive, "daily", "养老", notify=["json://127.0.0.1:9/x"], digest="daily")
    _ingest_a(archive)
    _ingest_b(archive, 1)
    match_watches(archive)
    with archive.session() as session:
        created = session.scalar(select(func.max(Outbox.created_at)))
    assert claim_due(archive, created) == []  # the day is not over
    (batch,) = claim_due(archive, day_start(created) + timedelta(days=1))
    assert sorted(r.payload["doc_number"] for r in batch.rows) == [NUM_A, NUM_B]


def test_first_change_names_the_rewritten_sentence():
    assert first_change("一。二。\n三。", "一。二改了。\n三。") == "二改了。"
    assert first_change("一。", "一。\n新的一段。") == "新的一段。"
    assert first_change("一。", "一。") is None


@pytest.mark.postgres
def test_a_version_committed_after_a_newer_one_is_not_skipped(pg_url):
    """PostgreSQL hands out version ids at insert and commits in any order: a notice whose
    transaction commits after a later one's must still be matched. (SQLite's writers run
    one at a time, so there the order cannot invert.)"""
    import threading
    import time

    from sqlalchemy import text

    from storage.api import open_archive
    from storage.ingest import _ingest, _prepared

    archive = open_archive(pg_url)
    try:
        add_watch(archive, "yl", "养老")
        written, commit = threading.Event(), threading.Event()

        def slow_writer():
            record = page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A, title="医养结合通知",
                          agency="市人民政府办公室", region="辽宁省甲市", topics=["eldercare"])
            with archive.transaction() as session:
                _ingest(session, _prepared(record), None)
                written.set()
                commit.wait(60)

        writer = threading.Thread(target=slow_writer)
        writer.start()
        assert written.wait(60)
        _ingest_b(archive, 1)  # a newer version id, committed first
        reports = []
        matcher = threading.Thread(target=lambda: reports.append(match_watches(archive)))
        matcher.start()
        deadline = time.monotonic() + 60
        # until the matcher waits for the writer's lock on this test's own version table
        # (other tests, other schemas, may be waiting on theirs at the same time)
        waiting = text("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE NOT l.granted AND c.relname = 'version' AND n.nspname = current_schema()")
        with archive.engine.connect() as conn:
            while not conn.scalar(waiting):
                assert time.monotonic() < deadline, "the matcher never waited for the open transaction"
                time.sleep(0.05)
        commit.set()
        writer.join(60)
        matcher.join(60)
        assert _owed(archive, "yl") == [(NUM_A, "new"), (NUM_B, "new")]
    finally:
        archive.dispose()


def test_documents_are_matched_in_slices_alike(archive, monkeypatch):
    import storage.watch_match

    monkeypatch.setattr(storage.watch_match, "CHUNK", 1)
    add_watch(archive, "yl", "养老")
    _ingest_a(archive)
    _ingest_b(archive, 1)
    assert match_watches(archive).new == {"yl": 2}
    _ingest_a(archive, 24, NOTICE_A_REVISED)
    assert match_watches(archive).revised == {"yl": 1}
