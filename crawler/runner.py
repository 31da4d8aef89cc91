"""One way to run a crawl, for the CLI and the scheduler alike.

The parent opens the CrawlRun rows, then runs Scrapy in a child process
(``python -m crawler.runner SPEC``): the Twisted reactor cannot restart inside one
process, and a crash or hang of a crawl must not take the caller down. The parent
closes any run the child left open, and reads the summary back from the archive.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spiders.registry import Source, load_registry
from storage import open_archive, runs
from storage.queries import archive_stats

COUNTERS = ("requests", "pages", "new_documents", "new_versions", "unchanged", "offtopic", "errors")

# Settings for crawling the bundled sample sites on loopback: no politeness delays
# (it is our own server), and never a request elsewhere.
LOOPBACK_SETTINGS = {
    "LOOPBACK_ONLY": True,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 0,
    "DOWNLOAD_TIMEOUT": 15,
}


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


def run_crawl(
    sources: list[Source],
    *,
    db_url: str | None = None,
    trigger: str = "cli",
    registry_path: str | os.PathLike | None = None,
    base: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float | None = None,
    progress: bool = True,
) -> CrawlSummary:
    """Crawl these sources once in a child process; return what each run did."""
    archive = open_archive(db_url)
    try:
        runs.sync_sources(archive, [s.with_base(base) if base else s for s in sources])
        run_ids = {s.id: runs.start_run(archive, s.id, trigger) for s in sources}
        spec = {
            "db_url": archive.url,
            "registry": str(registry_path) if registry_path else None,
            "sources": [s.id for s in sources],
            "base": base,
            "run_ids": run_ids,
            "trigger": trigger,
            "settings": {**(settings or {}), "POLICY_PROGRESS": progress},
        }
        returncode = _run_child(spec, timeout)
        closing = "interrupted" if returncode in (-signal.SIGTERM, -signal.SIGINT, "timeout") else "failed"
        results = []
        for source in sources:
            run = runs.get_run(archive, run_ids[source.id])
            if run.status == "running":
                detail = "crawl timed out" if returncode == "timeout" else f"crawler process ended with {returncode}"
                runs.record_error(archive, run.id, "process", detail)
                run = runs.finish_run(archive, run.id, closing)
            results.append(_result(source.id, run))
        return CrawlSummary(sources=results, documents=archive_stats(archive)["documents"])
    finally:
        archive.dispose()


def _result(source_id: str, run: Any) -> SourceResult:
    summary = run.error_summary or {}
    return SourceResult(
        source=source_id,
        run_id=run.id,
        status=run.status,
        counters={c: int(getattr(run, c) or 0) for c in COUNTERS},
        error_kinds=dict(summary.get("counts", {})),
        error_samples=[f"{s['kind']}: {s['message']}" for s in summary.get("samples", [])],
        notes=list(summary.get("notes", [])),
    )


def _run_child(spec: dict[str, Any], timeout: float | None) -> int | str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(spec, fh, ensure_ascii=False)
        spec_path = fh.name
    try:
        # The child's stdout goes to our stderr: stdout is kept for --json output.
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler.runner", spec_path], stdout=sys.stderr.fileno()
        )
        try:
            return child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(child)
            return "timeout"
        except KeyboardInterrupt:
            _stop(child)
            raise
    finally:
        os.unlink(spec_path)


def _stop(child: subprocess.Popen) -> None:
    """Ask for a clean shutdown (Scrapy closes spiders on SIGTERM), then insist."""
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def child_main(spec_path: str) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.browser import crawl_settings
    from spiders import spider_for_family

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    registry = load_registry(spec["registry"])
    sources = [registry[i] for i in spec["sources"]]
    if spec.get("base"):
        sources = [s.with_base(spec["base"]) for s in sources]
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(
        {
            "POLICY_ARCHIVE_DB": spec["db_url"],
            "POLICY_RUN_IDS": spec["run_ids"],
            "POLICY_TRIGGER": spec["trigger"],
            "LOG_LEVEL": os.environ.get("POLICY_ARCHIVE_LOG_LEVEL", "WARNING"),
            **spec.get("settings", {}),
        },
        priority="cmdline",
    )
    settings.update(
        crawl_settings(sources, settings.getbool("LOOPBACK_ONLY"), settings.getfloat("DOWNLOAD_TIMEOUT")),
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    # A robots.txt that cannot be fetched is logged with a traceback; the page request
    # that follows fails too and is recorded as the run's error, so say it once.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    by_family: dict[str, list[Source]] = {}
    for source in sources:
        by_family.setdefault(source.family, []).append(source)
    for family, members in by_family.items():
        process.crawl(spider_for_family(family), sources=members)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1]))
