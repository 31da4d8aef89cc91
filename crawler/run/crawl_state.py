"""What one crawler process keeps while it crawls (RunContext): the archive, the CrawlRun
row of each source, its counts so far; shared by the run recorder (crawler/components/extensions.py),
the archive pipeline (crawler/components/pipelines.py, which works in a thread pool) and, in a check,
the first-notice components (crawler/run/check.py).

RunContext is the crawl's one place for counting: requests and duplicates are tallied
here and written once per run when its spider closes (crawl_runs.count); a failure goes
on record through record_failure() alone (the archive counts it as an error or a skip
with the failed URL's row). A check keeps no archive: the same tallies and failures stay
in memory and become its findings.
"""
from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.vocab.failures import SKIP_KINDS
from storage import crawl_runs
from storage.api import Archive, open_archive

# spider close reasons → run status (settled to partial/failed by its errors at the end)
# Scrapy's close reasons; "closespider_timeout" is the crawl's deadline (crawl_spec.py)
DEADLINE_REASON = "closespider_timeout"
_STATUS = {"finished": "ok", "shutdown": "interrupted", "cancelled": "interrupted", DEADLINE_REASON: "partial"}
# Counters this process tallies and writes once, at its spider's close.
TALLIED = ("requests", "duplicates")


@dataclass
class RunContext:
    archive: Archive | None  # None: a check, which writes nothing
    trigger: str = "cli"
    run_ids: dict[str, int] = field(default_factory=dict)
    progress: bool = False
    tallies: dict[str, Counter] = field(default_factory=dict)
    pages: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    # {source_id: [(kind, message, role), ...]}: every failure, in order (a check's findings)
    failures: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)
    # {source_id: seconds}: how long each source's spider ran, once it closed
    seconds: dict[str, float] = field(default_factory=dict)
    # {source_id: {listing}}: listings whose walk reached its end in this crawl
    walks_ended: dict[str, set[str]] = field(default_factory=dict)
    # {source_id: minutes}: sources whose own deadline passed while the crawl went on
    cut_short: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run_for(self, source_id: str | None) -> int | None:
        return self.run_ids.get(source_id or "")

    def count(self, source_id: str | None, kind: str, n: int = 1) -> None:
        """Tally ``n`` of ``kind`` (one of TALLIED) for a source's run."""
        if kind not in TALLIED:
            raise ValueError(f"{kind} is not tallied by the crawl (see storage/crawl_runs.py)")
        if source_id:
            with self.lock:
                self.tallies.setdefault(source_id, Counter())[kind] += n

    def write_tallies(self, source_id: str) -> None:
        """Add what this process tallied for the source to its run (once, at the close)."""
        with self.lock:
            tally = self.tallies.pop(source_id, Counter())
        run_id = self.run_for(source_id)
        if self.archive is not None and run_id is not None and +tally:
            crawl_runs.count(self.archive, run_id, **tally)

    def record_failure(
        self, source_id: str | None, kind: str, message: str, url: str | None = None,
        role: str | None = None, attempts: int = 1,
    ) -> None:
        with self.lock:
            if kind not in SKIP_KINDS:
                self.errors[source_id or ""] += 1
            self.failures.setdefault(source_id or "", []).append((kind, message, role))
        run_id = self.run_for(source_id)
        if self.archive is not None and run_id is not None:
            crawl_runs.record_failure(self.archive, run_id, kind, message, url=url, role=role, attempts=attempts)

    def status_of(self, source_id: str, reason: str) -> str:
        """How a run closed, from the spider's close reason (its errors settle the rest);
        a source cut short by its own deadline closes partial, as the crawl's would."""
        status = _STATUS.get(reason, "failed")
        return "partial" if status == "ok" and source_id in self.cut_short else status

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
        writes = settings.getbool("POLICY_ARCHIVE_WRITES", True)
        archive = open_archive(settings.get("POLICY_ARCHIVE_DB") or None) if writes else None
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
    if not missing or ctx.archive is None:
        return
    crawl_runs.sync_sources(ctx.archive, missing)
    for source in missing:
        ctx.run_ids[source.id] = crawl_runs.start_run(ctx.archive, source.id, ctx.trigger)
