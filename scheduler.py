"""Background crawling: every enabled source on its own cron.

Each crawl runs through the same runner as the CLI (a child process per crawl, since
the Twisted reactor cannot restart). One run of a source at a time; runs missed while
the scheduler was down coalesce into one; a stop signal lets running crawls close
their runs as ``interrupted``.
"""
from __future__ import annotations

import logging
import signal
import sys
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger("policy_archive.scheduler")

# APScheduler's default grace is 1 s: a run one minute late would be skipped silently.
MISFIRE_GRACE_SECONDS = 3600


def crawl_source(source_id: str, db_url: str | None, registry_path: str | None,
                 distributed: dict[str, Any] | None = None) -> None:
    """The job: one scheduled crawl of one source (module-level so a job store can name it).

    ``distributed`` ({"redis", "prefix", "workers"}): a round through Redis instead, with
    that many local workers; workers on other machines join it (crawler/distributed.py).
    """
    from crawler.runner import run_crawl
    from spiders.registry import load_registry

    source = load_registry(registry_path)[source_id]
    if distributed:
        from crawler.distributed import run_distributed

        summary = run_distributed([source], db_url=db_url, trigger="schedule", progress=False, **distributed)
    else:
        summary = run_crawl([source], db_url=db_url, trigger="schedule", registry_path=registry_path, progress=False)
    result = summary.sources[0]
    log.info("%s: %s, %s", source_id, result.status, result.counters)


def build_scheduler(db_url: str | None = None, registry_path: str | None = None,
                    distributed: dict[str, Any] | None = None, **options: Any) -> BlockingScheduler:
    from spiders.registry import load_registry

    sched = BlockingScheduler(**options)
    for source in load_registry(registry_path).values():
        if not source.enabled:
            continue
        sched.add_job(
            crawl_source,
            CronTrigger.from_crontab(source.schedule),
            id=f"crawl:{source.id}",
            name=f"crawl {source.id}",
            args=[source.id, db_url, registry_path] + ([distributed] if distributed else []),
            replace_existing=True,
            # never two runs of one source at once; runs missed while down become one
            max_instances=1,
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return sched


def run_forever(db_url: str | None = None, registry_path: str | None = None,
                distributed: dict[str, Any] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sched = build_scheduler(db_url, registry_path, distributed)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping after the running crawls close", signum)
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    for job in sched.get_jobs():
        log.info("scheduled %s (%s)", job.name, job.trigger)
    try:
        sched.start()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(run_forever())
