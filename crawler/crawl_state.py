"""What one crawler process keeps while it crawls (RunContext): the archive, the CrawlRun
row of each source, its counts so far; shared by the run recorder (crawler/extensions.py)
and the archive pipeline (crawler/pipelines.py, which works in a thread pool)."""
from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.errors import SKIP_KINDS
from storage import crawl_runs
from storage.api import Archive, open_archive


# spider close reasons → run status (settled to partial/failed by its errors at the end)
_STATUS = {"finished": "ok", "shutdown": "interrupted", "cancelled": "interrupted"}


@dataclass
class RunContext:
    archive: Archive
    trigger: str = "cli"
    run_ids: dict[str, int] = field(default_factory=dict)
    progress: bool = False
    requests: Counter = field(default_factory=Counter)
    pages: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    # {source_id: {listing}}: listings whose walk reached its end in this crawl
    walks_ended: dict[str, set[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run_for(self, source_id: str | None) -> int | None:
        return self.run_ids.get(source_id or "")

    def record_failure(
        self, source_id: str | None, kind: str, message: str, url: str | None = None,
        role: str | None = None, attempts: int = 1,
    ) -> None:
        if kind not in SKIP_KINDS:
            with self.lock:
                self.errors[source_id or ""] += 1
        run_id = self.run_for(source_id)
        if run_id is not None:
            crawl_runs.record_failure(self.archive, run_id, kind, message, url=url, role=role, attempts=attempts)

    def status_of(self, source_id: str, reason: str) -> str:
        """How a run closed, from the spider's close reason (its errors settle the rest)."""
        return _STATUS.get(reason, "failed")

    def page_done(self, source_id: str, outcome: str) -> None:
        with self.lock:
            self.pages[source_id] += 1
            n = self.pages[source_id]
        if self.progress:
            print(f"  {source_id}: page {n} {outcome}", file=sys.stderr, flush=True)


def run_context(crawler: Any) -> RunContext:
    """The crawler's RunContext, made on first use."""
    ctx = getattr(crawler, "_policy_run_context", None)
    if ctx is None:
        settings = crawler.settings
        archive = open_archive(settings.get("POLICY_ARCHIVE_DB") or None)
        raw_ids = settings.get("POLICY_RUN_IDS") or {}
        if isinstance(raw_ids, str):
            raw_ids = json.loads(raw_ids)
        ctx = RunContext(
            archive=archive,
            trigger=settings.get("POLICY_TRIGGER", "cli"),
            run_ids={k: int(v) for k, v in raw_ids.items()},
            progress=settings.getbool("POLICY_PROGRESS"),
        )
        crawler._policy_run_context = ctx
    return ctx


def open_missing_runs(ctx: RunContext, sources: list[Any]) -> None:
    """Start CrawlRun rows for sources run_crawl() did not prepare (plain `scrapy crawl`)."""
    missing = [s for s in sources if s.id not in ctx.run_ids]
    if not missing:
        return
    crawl_runs.sync_sources(ctx.archive, missing)
    for source in missing:
        ctx.run_ids[source.id] = crawl_runs.start_run(ctx.archive, source.id, ctx.trigger)
