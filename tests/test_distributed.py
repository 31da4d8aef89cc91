"""Scale-out for real: two worker processes, the Redis server and a PostgreSQL database
of this machine, the sample sites on loopback.

Every test uses Redis keys under a prefix of its own (deleted afterwards) and a fresh
PostgreSQL database. With POLICY_ARCHIVE_REQUIRE_SERVICES set (CI), a server that is
down fails the test instead of skipping it.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select, text

from crawler.samples.server import SampleServer, sample_registry_path, sample_root
from crawler.run.crawl_process import LOOPBACK_SETTINGS, CrawlOptions, run_crawl
from crawler.run.distributed import Distributed, Keys, close_job, publish_job
from spiders.registry import load_registry
from storage.api import open_archive
from storage.models import Capture, Document, Version

REDIS_URL = "redis://127.0.0.1:6379/0"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# Spacing of one host's requests across all workers (a real crawl's would be ~1 s).
SHARED_DELAY = 0.08

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def _unavailable(message: str) -> None:
    if os.environ.get("POLICY_ARCHIVE_REQUIRE_SERVICES"):
        pytest.fail(message)  # CI starts the servers: a skip there would hide a failure
    pytest.skip(message)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        server.ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis not reachable at 127.0.0.1:6379: {exc}")
    prefix = f"pa-test-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        leftover = list(server.scan_iter(match=f"{prefix}:*", count=1000))
        if leftover:
            server.delete(*leftover)
        server.close()


@pytest.fixture
def pg_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards."""
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        _unavailable(f"PostgreSQL not reachable at 127.0.0.1:5432: {type(exc).__name__}")
    name = f"pa_dist_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class TimedSampleServer(SampleServer):
    """The sample server, also noting when each request arrived."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: list[tuple[float, str]] = []

    def record(self, entry) -> None:
        with self._lock:
            self.arrivals.append((time.monotonic(), entry.target))
        super().record(entry)


def _sources():
    return [s for s in load_registry(sample_registry_path()).values() if s.enabled]


def _archive_facts(url: str) -> dict:
    archive = open_archive(url)
    try:
        with archive.session() as s:
            docs = s.execute(select(Document.doc_number, Document.title)).all()
            return {
                "documents": sorted((n or "", t or "") for n, t in docs),
                "versions": s.scalar(select(func.count()).select_from(Version)),
                "captured_urls": Counter(s.scalars(select(Capture.url).where(Capture.part_no == 0))),
            }
    finally:
        archive.dispose()


def run_round(sources, *, redis, prefix, workers, idle_seconds, **options):
    """A distributed round through the one runner: run_crawl with CrawlOptions.distributed."""
    round_ = Distributed(redis=redis, prefix=prefix, workers=workers, idle_seconds=idle_seconds)
    return run_crawl(sources, CrawlOptions(distributed=round_, **options))


def test_two_workers_crawl_one_round_into_one_archive(pg_database, redis_prefix, tmp_path):
    # What one crawler alone makes of the sample sites: the reference.
    with TimedSampleServer(sample_root()) as server:
        alone_url = f"sqlite:///{tmp_path / 'alone.db'}"
        alone = run_crawl(_sources(), db_url=alone_url, registry_path=sample_registry_path(),
                          base=server.base_url, settings=LOOPBACK_SETTINGS, timeout=300, progress=False)
        assert alone.ok and alone.total("errors") == 0, alone.to_dict()
        alone_hits = {t: n for t, n in server.hits.items() if t != "/robots.txt"}

        server.reset_counts()
        server.arrivals.clear()
        summary = run_round(
            _sources(), db_url=pg_database, redis=REDIS_URL, prefix=redis_prefix, workers=2,
            # One host, served in milliseconds: a worker that pulls up to CONCURRENT_REQUESTS
            # at a time can drain the queue before the other has asked. Two at a time and a
            # shared per-host delay make it a round the two really share.
            base=server.base_url,
            settings={**LOOPBACK_SETTINGS, "CONCURRENT_REQUESTS": 2, "POLICY_SHARED_DELAY": 0.1},
            idle_seconds=2, timeout=300, progress=False,
        )
        hits = dict(server.hits)

    report = summary.to_dict()
    assert report["ok"] and report["errors"] == 0, report
    # Two worker processes, and both crawled.
    assert len(report["workers"]) == 2 and all(n > 0 for n in report["workers"].values()), report["workers"]

    # No URL fetched twice: the shared fingerprint set. robots.txt is each Scrapy
    # process's own (RobotsTxtMiddleware), not a scheduled request.
    twice = {t: n for t, n in hits.items() if n > 1 and t != "/robots.txt"}
    assert twice == {}, twice
    # ... and every URL the lone crawler fetched was fetched.
    assert {t: n for t, n in hits.items() if t != "/robots.txt"} == alone_hits

    # One archive, no duplicate documents: the same documents the lone crawler made.
    together, reference = _archive_facts(pg_database), _archive_facts(alone_url)
    assert together["documents"] == reference["documents"]
    assert together["versions"] == reference["versions"]
    assert together["captured_urls"] == reference["captured_urls"]
    assert max(together["captured_urls"].values()) == 1
    assert report["new_documents"] == len(reference["documents"]) == report["documents"]

    # The round's keys are gone; the host's politeness slot stays until it expires.
    import redis

    left = {k.decode() for k in redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{redis_prefix}:*")}
    assert all(k.startswith(f"{redis_prefix}:polite:") for k in left), left


def test_politeness_holds_across_workers(pg_database, redis_prefix):
    sources = [s for s in _sources() if s.id in ("baoshan", "shenyang", "shuiwu")]
    with TimedSampleServer(sample_root()) as server:
        summary = run_round(
            sources, db_url=pg_database, redis=REDIS_URL, prefix=redis_prefix, workers=2, base=server.base_url,
            settings={**LOOPBACK_SETTINGS, "POLICY_SHARED_DELAY": SHARED_DELAY}, idle_seconds=1, timeout=300,
            progress=False,
        )
        times = sorted(t for t, _ in server.arrivals)
    assert summary.ok, summary.to_dict()
    # The one host (127.0.0.1:port) saw at most one request per SHARED_DELAY from both
    # workers together: over the whole crawl, and over any six requests in a row. (A
    # request may leave a little after its turn, when its worker's reactor is busy
    # ingesting: two requests can then arrive close together, never a burst. Without
    # the shared delay, 8 requests per worker arrive at once.)
    assert times[-1] - times[0] >= (len(times) - 1) * SHARED_DELAY * 0.9
    worst = min(b - a for a, b in zip(times, times[5:]))
    assert worst >= 3 * SHARED_DELAY, worst


def test_turns_space_a_host_across_workers(redis_prefix):
    import redis

    from crawler.run.distributed_worker import SharedPoliteness

    delay = 0.1
    keys = Keys(redis_prefix, "unit")
    # Two workers (two connections), each sending as soon as the host lets it.
    workers = [SharedPoliteness(redis.Redis.from_url(REDIS_URL), keys, delay) for _ in range(2)]
    sent: list[float] = []

    def crawl(worker):
        for _ in range(4):
            while (wait := worker.try_acquire("www.example.gov.cn")) > 0:
                time.sleep(wait)
            sent.append(time.monotonic())

    threads = [threading.Thread(target=crawl, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    sent.sort()
    assert len(sent) == 8
    assert all(b - a >= delay * 0.95 for a, b in zip(sent, sent[1:])), [round(b - a, 3) for a, b in zip(sent, sent[1:])]
    # Another host is not held up by this one.
    assert workers[0].try_acquire("www.other.gov.cn") == 0.0


def test_a_worker_waits_for_the_round_it_is_given(redis_prefix, pg_database, tmp_path):
    """A round published with no local worker is taken by a `worker` started by hand."""
    import subprocess
    import sys

    from crawler.run.distributed import connect

    server = connect(REDIS_URL)
    source = next(s for s in _sources() if s.id == "spam")
    with SampleServer(sample_root()) as sample:
        result: dict = {}

        def coordinate():
            result["summary"] = run_round(
                [source], db_url=pg_database, redis=REDIS_URL, prefix=redis_prefix, workers=0,
                base=sample.base_url, settings=LOOPBACK_SETTINGS, idle_seconds=1, timeout=120, progress=False,
            )

        coordinator = threading.Thread(target=coordinate)
        coordinator.start()
        worker = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "worker", "--redis", REDIS_URL, "--prefix", redis_prefix,
             "--db", pg_database, "--wait", "30"],
            capture_output=True, text=True, timeout=120,
        )
        coordinator.join(120)
    assert worker.returncode == 0, worker.stderr[-2000:]
    report = result["summary"].to_dict()
    assert report["ok"] and report["pages"] > 0, report
    assert len(report["workers"]) == 1
    assert server.zcard(Keys(redis_prefix).jobs) == 0


def test_worker_without_a_round_and_bad_redis_are_one_line_errors(redis_prefix, tmp_path, capsys):
    from crawler.cli import main

    assert main(["worker", "--redis", REDIS_URL, "--prefix", redis_prefix, "--wait", "0"]) == 2
    assert "no open round" in capsys.readouterr().err
    db = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["crawl", "--distributed", "--redis", "redis://127.0.0.1:1/0", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policy-archive: error: cannot use Redis at redis://127.0.0.1:1/0") and err.count("\n") == 1


def test_jobs_round_trip_their_sources(redis_prefix):
    from crawler.run.distributed import connect, job_sources, load_job

    server = connect(REDIS_URL)
    sources = [s.with_base("http://127.0.0.1:9") for s in _sources()]
    job = publish_job(server, redis_prefix, sources, {s.id: i for i, s in enumerate(sources)}, "cli", {}, 5)
    assert job_sources(load_job(server, redis_prefix)) == sources
    close_job(server, Keys(redis_prefix, job["id"]))
    assert load_job(server, redis_prefix) is None


def test_the_scheduler_hands_its_rounds_to_redis(tmp_path):
    import scheduler

    registry = sample_registry_path()
    options = {"redis": REDIS_URL, "prefix": "pa-test-unused", "workers": 1}
    sched = scheduler.build_scheduler("sqlite:///x.db", str(registry), distributed=options)
    jobs = sched.get_jobs()
    assert jobs and all(job.args[3] == options for job in jobs)
