"""Sources synced from the registry, and crawl runs with their counters and errors."""
from __future__ import annotations

import threading

import pytest

from spiders.registry import Source as RegistrySource
from storage.api import (
    ArchiveError,
    count,
    finish_run,
    get_run,
    list_runs,
    list_sources,
    open_archive,
    record_error,
    start_run,
    sync_sources,
)


def _source(sid: str = "gov-a", **changes) -> RegistrySource:
    values = dict(id=sid, name="某市卫健委", kind="gov", family="gov_portal", start_urls=("http://a.test/",),
                  region="某市", base_url="http://a.test", schedule="0 3 * * *")
    values.update(changes)
    return RegistrySource(**values)


def test_sync_sources_inserts_then_updates(archive):
    assert sync_sources(archive, [_source("gov-a"), _source("agg-b", kind="aggregator", family="aggregator")]) == {
        "added": 2, "updated": 0
    }
    assert sync_sources(archive, [_source("gov-a"), _source("agg-b", kind="aggregator", family="aggregator")]) == {
        "added": 0, "updated": 0
    }
    assert sync_sources(archive, [_source("gov-a", enabled=False, schedule="0 4 * * *")]) == {
        "added": 0, "updated": 1
    }
    sources = {s.id: s for s in list_sources(archive)}
    assert set(sources) == {"gov-a", "agg-b"}  # a source that left the registry stays
    assert (sources["gov-a"].enabled, sources["gov-a"].schedule) == (False, "0 4 * * *")
    assert sources["agg-b"].kind == "aggregator"


def test_a_run_from_start_to_finish(archive):
    sync_sources(archive, [_source()])
    run_id = start_run(archive, "gov-a", "cli")
    running = get_run(archive, run_id)
    assert (running.status, running.trigger, running.finished_at, running.duration_seconds) == (
        "running", "cli", None, None
    )
    count(archive, run_id, requests=3)
    count(archive, run_id, requests=2, pages=1, offtopic=1)
    summary = finish_run(archive, run_id, "ok")
    assert (summary.status, summary.requests, summary.pages, summary.offtopic, summary.errors) == ("ok", 5, 1, 1, 0)
    assert summary.duration_seconds >= 0
    assert summary.to_dict()["finished_at"].endswith("+00:00")
    latest = list_sources(archive)[0]
    assert (latest.last_run_id, latest.last_run_status) == (run_id, "ok")


def test_errors_are_counted_by_kind_with_a_few_samples(archive):
    sync_sources(archive, [_source()])
    run_id = start_run(archive, "gov-a", "schedule")
    for n in range(7):
        record_error(archive, run_id, "http_412", f"412 on http://a.test/{n}")
    record_error(archive, run_id, "parse", "x" * 2000)
    run = get_run(archive, run_id)
    assert run.errors == 8
    assert run.error_summary["counts"] == {"http_412": 7, "parse": 1}
    samples = run.error_summary["samples"]
    assert len(samples) == 5 and samples[0] == {"kind": "http_412", "message": "412 on http://a.test/0"}


def test_counters_from_many_writers_are_never_lost(archive_url):
    archives = [open_archive(archive_url) for _ in range(4)]
    try:
        sync_sources(archives[0], [_source()])
        run_id = start_run(archives[0], "gov-a", "schedule")

        def work(a):
            for _ in range(15):
                count(a, run_id, requests=1)
            record_error(a, run_id, "timeout", "read timed out")

        threads = [threading.Thread(target=work, args=(a,)) for a in archives]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        run = get_run(archives[0], run_id)
        assert (run.requests, run.errors, run.error_summary["counts"]) == (60, 4, {"timeout": 4})
    finally:
        for a in archives:
            a.dispose()


def test_list_runs_newest_first_and_by_source(archive):
    sync_sources(archive, [_source("gov-a"), _source("gov-b")])
    ids = [start_run(archive, sid, "schedule") for sid in ("gov-a", "gov-b", "gov-a")]
    assert [r.id for r in list_runs(archive)] == ids[::-1]
    assert [r.id for r in list_runs(archive, source_id="gov-a")] == [ids[2], ids[0]]
    assert [r.id for r in list_runs(archive, limit=1)] == [ids[2]]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda a: start_run(a, "nowhere", "cli"), ArchiveError),
        (lambda a: start_run(a, "gov-a", "cron"), ValueError),
        (lambda a: count(a, 1, bananas=1), ValueError),
        (lambda a: finish_run(a, 1, "running"), ValueError),
        (lambda a: finish_run(a, 999, "ok"), ArchiveError),
        (lambda a: record_error(a, 999, "x", "y"), ArchiveError),
        (lambda a: count(a, 999, requests=1), ArchiveError),
    ],
    ids=["unknown source", "bad trigger", "bad counter", "finish as running", "no such run", "error on no run",
         "count on no run"],
)
def test_misuse_is_refused(archive, call, error):
    sync_sources(archive, [_source()])
    start_run(archive, "gov-a", "cli")
    with pytest.raises(error):
        call(archive)
    assert get_run(archive, 999) is None


def test_concurrent_syncs_of_new_sources_never_collide(archive_url):
    """Two crawls started together both sync the same new sources (a race on the key)."""
    archives = [open_archive(archive_url) for _ in range(2)]
    try:
        for trial in range(8):
            sources = [_source(f"new-{trial}-{i}") for i in range(5)]
            barrier = threading.Barrier(2)
            results, errors = [], []

            def work(a):
                barrier.wait()
                try:
                    results.append(sync_sources(a, sources))
                except Exception as exc:  # the failure this test is about
                    errors.append(exc)

            threads = [threading.Thread(target=work, args=(a,)) for a in archives]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
            assert sum(r["added"] for r in results) == 5, results
    finally:
        for a in archives:
            a.dispose()


def test_a_run_with_failures_is_partial_and_lists_them(archive):
    from storage.crawl_runs import record_failure

    sync_sources(archive, [_source()])
    run_id = start_run(archive, "gov-a", "cli")
    count(archive, run_id, pages=2)
    record_failure(archive, run_id, "http_5xx", "HTTP 503", url="http://a.test/1", role="detail")
    record_failure(archive, run_id, "http_5xx", "HTTP 502", url="http://a.test/1", role="detail")
    record_failure(archive, run_id, "robots", "forbidden by robots.txt", url="http://a.test/p")
    run = finish_run(archive, run_id, "ok", settle=True)
    assert run.status == "partial" and (run.errors, run.robots) == (2, 1)
    failures = {(f.url, f.kind): (f.attempts, f.message) for f in get_run(archive, run_id).failures}
    assert failures == {("http://a.test/1", "http_5xx"): (2, "HTTP 502"),
                        ("http://a.test/p", "robots"): (1, "forbidden by robots.txt")}
    empty = start_run(archive, "gov-a", "cli")
    record_failure(archive, empty, "timeout", "timed out", url="http://a.test/")
    assert finish_run(archive, empty, "ok", settle=True).status == "failed"
    skipped = start_run(archive, "gov-a", "cli")
    record_failure(archive, skipped, "robots", "forbidden", url="http://a.test/")
    assert finish_run(archive, skipped, "ok", settle=True).status == "ok"


def test_a_run_whose_process_is_gone_reads_as_interrupted_everywhere(archive):
    import subprocess

    from sqlalchemy import select

    from storage.models import CrawlRun

    sync_sources(archive, [_source("gov-a"), _source("gov-b")])
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = start_run(archive, "gov-a", "cli", pid=gone.pid)
    mine = start_run(archive, "gov-b", "cli")
    assert get_run(archive, stale).status == "interrupted"
    assert {r.id: r.status for r in list_runs(archive)} == {stale: "interrupted", mine: "running"}
    assert {s.id: s.last_run_status for s in list_sources(archive)} == {"gov-a": "interrupted", "gov-b": "running"}
    # a read writes nothing: the row stays for the next crawl (or scheduler) to close
    with archive.session() as session:
        assert session.scalar(select(CrawlRun.status).where(CrawlRun.id == stale)) == "running"
