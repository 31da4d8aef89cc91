"""Scale-out: one crawl round shared by worker processes through Redis (scrapy-redis).

A round (a *job*) is published in Redis by a coordinator (``crawl --distributed``, or
the scheduler with a Redis URL): the sources, their CrawlRun ids, the crawl settings.
Workers (``policy-archive worker``, on this machine or others) take the job, and crawl
through scrapy-redis's scheduler: one shared request queue and one shared request
fingerprint set per spider, so a URL one worker fetched is never fetched by another.
The first worker to start a spider seeds its listing requests; every worker crawls
until its queue has stayed empty for a while, then exits. The coordinator waits for
the workers, closes the runs, and removes the round's keys.

Keys, all under a prefix (``--prefix``, so two deployments or test runs never meet):

    P:jobs                         sorted set of open job ids (score: start time)
    P:job:ID                       the job (JSON)
    P:job:ID:seeded:SPIDER         set by the worker that seeds SPIDER's listings
    P:job:ID:SPIDER:requests       scrapy-redis request queue
    P:job:ID:SPIDER:dupefilter     scrapy-redis fingerprint set
    P:job:ID:worker:WID:SPIDER     heartbeat of a running worker (expires)
    P:polite:HOST                  when HOST may next be asked (crawler/run/distributed_worker.py)

The fingerprint set lives as long as its round, not forever: with SCHEDULER_PERSIST a
worker that stops and comes back resumes the round without fetching anything twice,
but the next round must ask again for the pages it knows (the conditional re-check of
incremental crawling; a notice revised at its URL is a new version). Listing pages are
``dont_filter`` requests in every spider, so they would bypass a longer-lived set too.

This module does not import Scrapy: the coordinator only waits (see crawl_process.py).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from spiders.registry import ApiConfig, Source

REDIS_ENV = "POLICY_ARCHIVE_REDIS"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "policy-archive"
# A worker whose queue stays empty this long is done (Scrapy looks every 5 s).
DEFAULT_IDLE_SECONDS = 20.0
HEARTBEAT_SECONDS = 2.0
HEARTBEAT_TTL = 15
# Keys of a round that nobody cleans up (a coordinator killed with -9) expire.
JOB_TTL = 7 * 24 * 3600
DEFAULT_LOCAL_WORKERS = 2


class DistributedError(Exception):
    """Redis cannot be used for a distributed crawl; one line for the user."""


def redis_url(value: str | None) -> str:
    return value or os.environ.get(REDIS_ENV) or DEFAULT_REDIS


def connect(url: str) -> Any:
    import redis

    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise DistributedError(f"cannot use Redis at {url}: {exc}") from None
    return server


class Keys:
    def __init__(self, prefix: str, job_id: str = "") -> None:
        if "%" in prefix:
            raise DistributedError("a Redis key prefix cannot contain '%'")
        self.prefix = prefix
        self.job_id = job_id

    @property
    def jobs(self) -> str:
        return f"{self.prefix}:jobs"

    @property
    def job(self) -> str:
        return f"{self.prefix}:job:{self.job_id}"

    def seeded(self, spider: str) -> str:
        return f"{self.job}:seeded:{spider}"

    def queue(self, spider: str = "%(spider)s") -> str:
        return f"{self.job}:{spider}:requests"

    def dupefilter(self, spider: str = "%(spider)s") -> str:
        return f"{self.job}:{spider}:dupefilter"

    def worker(self, worker_id: str, spider: str) -> str:
        return f"{self.job}:worker:{worker_id}:{spider}"

    @property
    def responses(self) -> str:
        return f"{self.job}:responses"

    def polite(self, host: str) -> str:
        return f"{self.prefix}:polite:{host}"


# ---- the job ------------------------------------------------------------------------


def source_to_dict(source: Source) -> dict[str, Any]:
    return asdict(source)


def source_from_dict(data: dict[str, Any]) -> Source:
    # JSON has no tuples: every sequence field of Source and ApiConfig is a tuple.
    def tuples(d: dict[str, Any]) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}

    values = tuples(data)
    if values.get("api"):
        values["api"] = ApiConfig(**tuples(values["api"]))
    return Source(**values)


def job_sources(job: dict[str, Any]) -> list[Source]:
    return [source_from_dict(d) for d in job["sources"]]


def publish_job(server: Any, prefix: str, sources: list[Source], run_ids: dict[str, int], trigger: str,
                settings: dict[str, Any], idle_seconds: float) -> dict[str, Any]:
    job = {
        "id": uuid.uuid4().hex[:16],
        "created": time.time(),
        "sources": [source_to_dict(s) for s in sources],
        "run_ids": run_ids,
        "trigger": trigger,
        "settings": settings,
        "idle_seconds": idle_seconds,
    }
    keys = Keys(prefix, job["id"])
    server.set(keys.job, json.dumps(job, ensure_ascii=False), ex=JOB_TTL)
    server.zadd(keys.jobs, {job["id"]: job["created"]})
    return job


def load_job(server: Any, prefix: str, job_id: str | None = None, skip: set[str] | frozenset = frozenset()) -> dict[str, Any] | None:
    """The job with this id, else the newest open job not in ``skip``."""
    if job_id is None:
        for candidate in server.zrevrange(Keys(prefix).jobs, 0, -1):
            candidate = candidate.decode()
            if candidate not in skip:
                job_id = candidate
                break
        else:
            return None
    raw = server.get(Keys(prefix, job_id).job)
    return json.loads(raw) if raw else None


def wait_for_job(server: Any, prefix: str, job_id: str | None, wait_seconds: float,
                 skip: set[str] | frozenset = frozenset()) -> dict[str, Any] | None:
    deadline = time.monotonic() + wait_seconds
    while True:
        job = load_job(server, prefix, job_id, skip)
        if job is not None or time.monotonic() >= deadline:
            return job
        time.sleep(0.5)


def spider_names(job: dict[str, Any]) -> list[str]:
    """The round's spiders: a worker names each spider after its family (one queue each)."""
    return sorted({s["family"] for s in job["sources"]})


def _round_busy(server: Any, keys: Keys, spiders: list[str]) -> bool:
    """Whether a worker of the round is alive or a request still waits in a queue."""
    if next(iter(server.scan_iter(match=f"{keys.job}:worker:*", count=1000)), None) is not None:
        return True
    return any(server.zcard(keys.queue(name)) for name in spiders)


def _round_started(server: Any, keys: Keys, spiders: list[str]) -> bool:
    return any(server.exists(keys.seeded(name)) for name in spiders)


def close_job(server: Any, keys: Keys) -> None:
    server.zrem(keys.jobs, keys.job_id)
    doomed = list(server.scan_iter(match=f"{keys.job}:*", count=1000)) + [keys.job]
    server.delete(*doomed)


# ---- the coordinator ------------------------------------------------------------------


@dataclass
class DistributedSummary:
    """A crawl's summary (crawl_process.CrawlSummary), with its round and each worker's share."""

    crawl: Any
    job_id: str
    workers: dict[str, int] = field(default_factory=dict)  # worker id -> responses

    @property
    def sources(self) -> list[Any]:
        return self.crawl.sources

    @property
    def ok(self) -> bool:
        return self.crawl.ok

    def to_dict(self) -> dict[str, Any]:
        return {**self.crawl.to_dict(), "round": self.job_id, "workers": self.workers}


@dataclass
class Distributed:
    """The options of a round through Redis (crawl_process.CrawlOptions.distributed)."""

    redis: str | None = None  # default: $POLICY_ARCHIVE_REDIS or the local Redis
    prefix: str = DEFAULT_PREFIX
    workers: int = DEFAULT_LOCAL_WORKERS  # local worker processes (0: only other machines')
    idle_seconds: float = DEFAULT_IDLE_SECONDS


def worker_argv(redis: str, prefix: str, job_id: str, idle_seconds: float) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "worker", "--redis", redis, "--prefix", prefix,
            "--job", job_id, "--idle", str(idle_seconds)]


def run_distributed(sources: list[Source], options: Any) -> DistributedSummary:
    """One distributed round of these sources (crawl_process.run_crawl with
    ``options.distributed``): publish it, run the local worker processes (more may join
    from other machines), wait, close the runs."""
    from crawler.run.runs import CrawlSummary, close_runs, open_runs
    from storage.api import open_archive
    from storage.queries import archive_stats

    round_: Distributed = options.distributed
    url = redis_url(round_.redis)
    server = connect(url)
    deadline = time.monotonic() + options.timeout if options.timeout else None
    archive = open_archive(options.db_url)
    try:
        sources, run_ids = open_runs(archive, sources, options)
        job = publish_job(server, round_.prefix, sources, run_ids, options.trigger,
                          {**(options.settings or {}), "POLICY_PROGRESS": options.progress}, round_.idle_seconds)
        keys = Keys(round_.prefix, job["id"])
        if options.progress:
            print(f"distributed round {job['id']} on {url} (prefix {round_.prefix}): {round_.workers} local worker(s)",
                  file=sys.stderr, flush=True)
        # The archive's URL goes to the workers by environment, not argv: it may hold a password.
        env = {**os.environ, "POLICY_ARCHIVE_DB": archive.url}
        children = [subprocess.Popen(worker_argv(url, round_.prefix, job["id"], round_.idle_seconds), env=env,
                                     stdout=sys.stderr.fileno()) for _ in range(round_.workers)]
        outcome = _wait(server, keys, spider_names(job), children, deadline)
        # The workers leave the runs open (others may still crawl): the round closes them.
        if outcome != "ok":
            status: Any = "interrupted" if outcome == "timed out" else "failed"
        else:
            status = lambda run: "failed" if run.pages == 0 and run.errors else "ok"  # noqa: E731
        results = close_runs(archive, sources, run_ids, status, None if outcome == "ok" else outcome)
        done = {k.decode(): int(v) for k, v in server.hgetall(keys.responses).items()}
        close_job(server, keys)
        if options.progress:
            print(f"round {job['id']}: responses by worker {done}", file=sys.stderr, flush=True)
        crawl = CrawlSummary(sources=results, documents=archive_stats(archive)["documents"])
        return DistributedSummary(crawl, job_id=job["id"], workers=done)
    finally:
        archive.dispose()


def _wait(server: Any, keys: Keys, spiders: list[str], children: list[subprocess.Popen],
          deadline: float | None) -> str:
    """"ok", "timed out" or what went wrong, once the local workers have exited, some
    worker (here or elsewhere) has started the round, and none is alive any more."""
    try:
        while True:
            codes = [child.poll() for child in children]
            failed = [f"worker process {c.pid} ended with {code}" for c, code in zip(children, codes) if code]
            if all(code is not None for code in codes):
                if _round_started(server, keys, spiders):
                    if not _round_busy(server, keys, spiders):
                        return "; ".join(failed) or "ok"
                elif children:
                    # Every local worker is gone and none of them took the round.
                    return "; ".join(failed) or "the workers exited without starting the round"
            if deadline is not None and time.monotonic() >= deadline:
                _stop(children)
                return "timed out"
            time.sleep(0.5)
    except KeyboardInterrupt:
        _stop(children)
        raise


def _stop(children: list[subprocess.Popen]) -> None:
    """Ask the workers for a clean shutdown (Scrapy closes spiders on SIGTERM), then insist."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
