"""The CrawlRun rows of a crawl, from the parent's side: opened before the crawlers start,
closed after (a run the crawlers left open is closed with why), and read back as each
source's result. A local crawl (crawl_process.py) and a distributed round (distributed.py)
keep their runs alike through here."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spiders.registry import Source
from storage import crawl_runs
from storage.models import RUN_COUNTERS as COUNTERS

if TYPE_CHECKING:
    from crawler.run.crawl_process import CrawlOptions


@dataclass
class SourceResult:
    source: str
    run_id: int
    status: str
    counters: dict[str, int]
    error_kinds: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        notes = list(self.notes)
        if self.status == "ok" and self.counters.get("pages", 0) == 0:
            # The most common complaint about crawlers: "ran but returned nothing".
            notes.append("yielded no pages: the site may have changed its layout")
        return "; ".join(notes) or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "run_id": self.run_id,
            "status": self.status,
            **self.counters,
            "error_kinds": self.error_kinds,
            "error_samples": self.error_samples,
            "note": self.note,
        }


@dataclass
class CrawlSummary:
    sources: list[SourceResult]
    documents: int

    def total(self, counter: str) -> int:
        return sum(r.counters.get(counter, 0) for r in self.sources)

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {
            **{c: self.total(c) for c in COUNTERS},
            "documents": self.documents,
            "ok": self.ok,
            "sources": [r.to_dict() for r in self.sources],
        }


def open_runs(archive: Any, sources: list[Source], options: CrawlOptions) -> tuple[list[Source], dict[str, int]]:
    """The sources at the options' base, mirrored into the archive, and a run opened for each."""
    crawl_runs.close_stale_runs(archive)
    chosen = [s.with_base(options.base) for s in sources] if options.base else list(sources)
    crawl_runs.sync_sources(archive, chosen)
    return chosen, {s.id: crawl_runs.start_run(archive, s.id, options.trigger) for s in sources}


def close_runs(archive: Any, sources: list[Source], run_ids: dict[str, int], status: Any,
               error: str | None) -> list["SourceResult"]:
    """Each source's result; a run still open is closed as ``status`` (or ``status(run)``),
    with ``error`` on record when there is one."""
    results = []
    for source in sources:
        run = crawl_runs.get_run(archive, run_ids[source.id])
        if run.status == "running":
            if error:
                crawl_runs.record_error(archive, run.id, "process", error)
            run = crawl_runs.finish_run(archive, run.id, status(run) if callable(status) else status)
        results.append(_result(source.id, run))
    return results


def run_result(archive: Any, source_id: str, run_id: int) -> SourceResult:
    """A run's result as the archive has it now."""
    return _result(source_id, crawl_runs.get_run(archive, run_id))


def _result(source_id: str, run: Any) -> SourceResult:
    summary = run.error_summary or {}
    return SourceResult(
        source=source_id,
        run_id=run.id,
        status=run.status,
        counters={c: int(run.counters.get(c, 0)) for c in COUNTERS},
        error_kinds=dict(summary.get("counts", {})),
        error_samples=[f"{s['kind']}: {s['message']}" for s in summary.get("samples", [])],
        notes=list(summary.get("notes", [])),
    )
