"""Background crawling: every enabled source on its own cron (or, for trials, on one
interval for all).

APScheduler decides what is due; one long-lived crawl service crawls it
(crawler/run/crawl_service.py: a child process started once, many sources at once in one
reactor, one extraction pool, one archive). Each source's job hands its id to the service
and waits for its crawl to end, so one run of a source at a time still holds, and a tick
while it runs is a logged skip. Runs missed while the scheduler was down coalesce into one;
a stop signal stops the service and closes its runs as ``interrupted``. One scheduler per
archive: a second one exits with a clear line. ``--distributed`` rounds go through Redis
as before (crawler/run/distributed.py), and a job run outside run_forever() (no service)
crawls through the CLI's runner, a child process per crawl.
"""
from __future__ import annotations

import fcntl
import logging
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.vocab.sources import UNWELL_STATES

log = logging.getLogger("policy_archive.scheduler")

# APScheduler's default grace is 1 s: a run one minute late would be skipped silently.
MISFIRE_GRACE_SECONDS = 3600
# How long a stop waits for running crawls to stop their children and close their runs.
STOP_WAIT_SECONDS = 30
# The crawl service of run_forever(); None: each job crawls in a child of its own.
_service: Any = None


class SchedulerError(Exception):
    """The scheduler cannot start; the message is one line for the user."""


def crawl_source(source_id: str, db_url: str | None, registry_path: str | None,
                 distributed: dict[str, Any] | None = None) -> None:
    """The job: one scheduled crawl of one source (module-level so a job store can name it).

    ``distributed`` (crawler.run.distributed.Distributed's fields, e.g. {"redis", "prefix",
    "workers"}): a round through Redis instead, with that many local workers; workers on
    other machines join it (crawler/run/distributed.py).
    """
    if _service is not None and not distributed:
        _crawl_in_service(_service, source_id, db_url)
        return
    from crawler.run.crawl_process import CrawlOptions, CrawlStopped, registry_settings, run_crawl
    from crawler.run.distributed import Distributed
    from spiders.registry import load_registry

    source = load_registry(registry_path)[source_id]
    options = CrawlOptions(db_url=db_url, trigger="schedule", registry_path=registry_path, progress=False,
                           settings=registry_settings(registry_path),
                           distributed=Distributed(**distributed) if distributed else None)
    try:
        summary = run_crawl([source], options)
    except CrawlStopped:
        _log_stopped(db_url, source_id)
        return
    _log_result(summary.sources[0])
    _log_health(db_url, [source_id])


def _crawl_in_service(service: Any, source_id: str, db_url: str | None) -> None:
    from crawler.run import crawl_process
    from crawler.run.runs import run_result
    from storage.api import open_archive

    with crawl_process.crawling():  # a stop waits for this job to say how its run ended
        answer = service.crawl(source_id)
        if answer.status == "stopped" or crawl_process.stop_requested():
            _log_stopped(db_url, source_id)
            return
        if answer.status == "lost":
            log.warning("%s: %s; its run is closed as interrupted", source_id, answer.error)
            return
        if answer.run_id is None:
            log.error("%s: not crawled: %s", source_id, answer.error)
            return
        archive = open_archive(db_url)
        try:
            result = run_result(archive, source_id, answer.run_id)
        finally:
            archive.dispose()
        _log_result(result)
        _log_health(db_url, [source_id])


def _log_result(result: Any) -> None:
    counters = ", ".join(f"{k} {v}" for k, v in result.counters.items() if v)
    kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(result.error_kinds.items()))
    log.info("%s: run #%d %s (%s)%s", result.source, result.run_id, result.status, counters or "nothing",
             f"; errors: {kinds}" if kinds else "")


def _log_stopped(db_url: str | None, source_id: str) -> None:
    """What a stop did to the source's run, as the archive has it: a run that closed on its
    own just before the stop keeps its status, and saying "interrupted" would be false."""
    from storage.api import list_runs, open_archive

    archive = open_archive(db_url)
    try:
        runs = list_runs(archive, source_id, limit=1)
    finally:
        archive.dispose()
    if runs and runs[0].status == "interrupted":
        log.warning("%s: stopped, run #%d closed as interrupted", source_id, runs[0].id)
    elif runs:
        log.info("%s: stopped after run #%d had closed %s", source_id, runs[0].id, runs[0].status)


def _log_health(db_url: str | None, source_ids: list[str]) -> None:
    from storage.api import open_archive
    from storage.health import source_health

    archive = open_archive(db_url)
    try:
        for health in source_health(archive, source_ids).values():
            if health.state in UNWELL_STATES:
                log.warning("source %s is %s: %s", health.source_id, health.state, health.reason)
    finally:
        archive.dispose()


def _trigger(source: Any, registry_path: str | None, interval: float | None) -> Any:
    if interval is not None:
        return IntervalTrigger(seconds=interval)
    from spiders.registry import registry_holding

    try:
        return CronTrigger.from_crontab(source.schedule)
    except ValueError as exc:
        where = registry_holding(source.id, registry_path)
        raise SchedulerError(f"source {source.id!r} in {where}: bad schedule {source.schedule!r}: {exc}") from None


def build_scheduler(
    db_url: str | None = None, registry_path: str | None = None, interval: float | None = None,
    distributed: dict[str, Any] | None = None, **options: Any
) -> BlockingScheduler:
    from apscheduler.executors.pool import ThreadPoolExecutor

    from spiders.registry import load_registry

    enabled = [s for s in load_registry(registry_path).values() if s.enabled]
    # A job thread only waits for the crawl service, which bounds the crawling itself:
    # every source due at once reaches it (APScheduler's default is 10 threads).
    options.setdefault("executors", {"default": ThreadPoolExecutor(max(10, len(enabled)))})
    sched = BlockingScheduler(**options)
    for source in enabled:
        extra = {"next_run_time": datetime.now(timezone.utc)} if interval is not None else {}
        sched.add_job(
            crawl_source,
            _trigger(source, registry_path, interval),
            id=f"crawl:{source.id}",
            name=f"crawl {source.id}",
            args=[source.id, db_url, registry_path] + ([distributed] if distributed else []),
            replace_existing=True,
            # never two runs of one source at once; runs missed while down become one
            max_instances=1,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            **extra,
        )
    sched.add_listener(_job_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    return sched


def _job_event(event: Any) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s", event.job_id, _when(event.scheduled_run_time))
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        # a submission event (APScheduler 3's JobSubmissionEvent) carries every run time it
        # was due at (coalesced), where an execution event carries one
        times = ", ".join(_when(t) for t in event.scheduled_run_times)
        log.info("job %s skipped: still running (its run at %s)", event.job_id, times)
    else:
        log.error("job %s failed: %s: %s", event.job_id, type(event.exception).__name__, event.exception)


def _when(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


class ArchiveLock:
    """One scheduler per archive: an exclusive lock held while the scheduler runs.

    SQLite: flock on a file next to the database; PostgreSQL: a session advisory lock.
    """

    PG_KEY = 0x70A5C4ED

    def __init__(self, db_url: str | None) -> None:
        from storage.api import open_archive

        self.archive = open_archive(db_url)
        self.handle: Any = None

    def acquire(self) -> None:
        from sqlalchemy import text

        if self.archive.dialect == "postgresql":
            conn = self.archive.engine.connect()
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.PG_KEY}).scalar():
                conn.close()
                raise SchedulerError(f"another scheduler is running on {self.archive.display_url}")
            self.handle = conn
            return
        database = self.archive.engine.url.database
        path = Path(f"{database}.scheduler.lock") if database and database != ":memory:" else None
        if path is None:
            return
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the scheduler's life)
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            owner = fh.read().strip()
            fh.close()
            raise SchedulerError(
                f"another scheduler is running on {self.archive.display_url}" + (f" (pid {owner})" if owner else "")
            ) from None
        import os

        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self.handle = fh

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.archive.dispose()


def _quiet_logs() -> None:
    """The log says what the scheduler did; the libraries' chatter is debug detail."""
    for name in ("alembic", "scrapy", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # its job events (missed, failed, skipped) are logged by _job_event, in one line each
    logging.getLogger("apscheduler").setLevel(logging.ERROR)


def run_forever(db_url: str | None = None, registry_path: str | None = None, interval: float | None = None,
                distributed: dict[str, Any] | None = None) -> int:
    global _service
    from crawler.run import crawl_process
    from crawler.run.service_client import CrawlServiceClient
    from storage import crawl_runs
    from storage.api import open_archive

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    _quiet_logs()
    try:
        sched = build_scheduler(db_url, registry_path, interval, distributed)
        lock = ArchiveLock(db_url)
        lock.acquire()
    except SchedulerError as exc:
        print(f"policy-archive: error: {exc}", file=sys.stderr)
        return 2
    try:
        archive = open_archive(db_url)
        closed = crawl_runs.close_stale_runs(archive)
        archive.dispose()
        if closed:
            log.info("closed %d run(s) left running by a process that is gone", len(closed))

        def stop(signum: int, _frame: Any) -> None:
            log.info("signal %s: stopping the running crawls", signum)
            crawl_process.stop_all()
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for job in sched.get_jobs():
            log.info("scheduled %s (%s)", job.name, job.trigger)
        if distributed is None:
            _service = CrawlServiceClient(db_url, registry_path)
            _service.start()
        sched.start()
        if _service is not None:
            _service.stop()
        if not crawl_process.wait_for_crawls(STOP_WAIT_SECONDS):
            log.warning("some crawls did not stop within %d s", STOP_WAIT_SECONDS)
    finally:
        if _service is not None:
            _service.stop()
            _service = None
        lock.release()
    return 0


if __name__ == "__main__":
    sys.exit(run_forever())
