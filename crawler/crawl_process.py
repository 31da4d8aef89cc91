"""One way to run a crawl, for the CLI and the scheduler alike.

The parent opens the CrawlRun rows, then runs Scrapy in a child process
(``python -m crawler.crawl_child SPEC``): the Twisted reactor cannot restart inside one
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
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.loopback import is_loopback_url
from spiders.registry import Source, load_registry
from storage import crawl_runs
from storage.api import open_archive
from storage.models import RUN_COUNTERS as COUNTERS
from storage.queries import archive_stats

# How long a child asked to stop may take to close its runs before it is killed.
STOP_GRACE_SECONDS = 5.0

# Settings for crawling the bundled sample sites on loopback: no politeness delays
# (it is our own server), and never a request elsewhere.
LOOPBACK_SETTINGS = {
    "LOOPBACK_ONLY": True,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 0,
    "DOWNLOAD_TIMEOUT": 10,
}


class CrawlStopped(Exception):
    """The crawl was stopped by a signal (SIGTERM, SIGINT) or by stop_all()."""


# Set by stop_all() (the scheduler's stop signal): every running crawl stops its child.
_stopping = threading.Event()
_active = threading.Condition()
_active_count = 0


def stop_all() -> None:
    """Ask every crawl running in this process to stop its child and close its runs."""
    _stopping.set()


def wait_for_crawls(timeout: float) -> bool:
    """Wait until no crawl runs in this process; False if some still do after ``timeout``."""
    with _active:
        return _active.wait_for(lambda: _active_count == 0, timeout=timeout)


def loopback_only(sources: list[Source]) -> bool:
    """Whether every URL these sources start from is on this machine (sample sites)."""
    urls = [u for s in sources for u in (*s.start_urls, *([s.api.page_url] if s.api else []))]
    return bool(urls) and all(is_loopback_url(u) for u in urls)


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
    """Crawl these sources once in a child process; return what each run did.

    Raises CrawlStopped (after the child is stopped and its runs are closed as
    ``interrupted``) when a stop signal or stop_all() ends the crawl.
    """
    global _active_count
    with _active:
        _active_count += 1
    archive = open_archive(db_url)
    try:
        crawl_runs.close_stale_runs(archive)
        chosen = [s.with_base(base) if base else s for s in sources]
        crawl_runs.sync_sources(archive, chosen)
        run_ids = {s.id: crawl_runs.start_run(archive, s.id, trigger) for s in sources}
        # Our own sample sites: no politeness delays (it is our server), never elsewhere.
        defaults = LOOPBACK_SETTINGS if loopback_only(chosen) else {}
        spec = {
            "db_url": archive.url,
            "registry": str(registry_path) if registry_path else None,
            "sources": [s.id for s in sources],
            "base": base,
            "run_ids": run_ids,
            "trigger": trigger,
            "settings": {**defaults, **(settings or {}), "POLICY_PROGRESS": progress},
        }
        returncode = _run_child(spec, timeout)
        stopped = returncode in ("timeout", "stopped") or returncode in (-signal.SIGTERM, -signal.SIGINT)
        closing = "interrupted" if stopped else "failed"
        results = []
        for source in sources:
            run = crawl_runs.get_run(archive, run_ids[source.id])
            if run.status == "running":
                if returncode == "timeout":
                    detail = "crawl timed out"
                elif returncode == "stopped":
                    detail = "crawl stopped by a signal"
                else:
                    detail = f"crawler process ended with {returncode}"
                if not stopped:
                    crawl_runs.record_error(archive, run.id, "process", detail)
                run = crawl_runs.finish_run(archive, run.id, closing)
            results.append(_result(source.id, run))
        if returncode == "stopped":
            raise CrawlStopped("crawl stopped; its runs are closed as interrupted")
        return CrawlSummary(sources=results, documents=archive_stats(archive)["documents"])
    finally:
        archive.dispose()
        with _active:
            _active_count -= 1
            _active.notify_all()


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


def _run_child(spec: dict[str, Any], timeout: float | None) -> int | str:
    """The child's exit code, or "timeout", or "stopped" (a signal or stop_all())."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(spec, fh, ensure_ascii=False)
        spec_path = fh.name
    restore = _stop_on_signals()
    child = None
    try:
        # The child's stdout goes to our stderr: stdout is kept for --json output.
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler.crawl_child", spec_path], stdout=sys.stderr.fileno()
        )
        waited = 0.0
        while True:
            if _stopping.is_set():
                _stop(child)
                return "stopped"
            try:
                return child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                waited += 0.2
                if timeout is not None and waited >= timeout:
                    _stop(child)
                    return "timeout"
    except (KeyboardInterrupt, CrawlStopped):
        if child is not None:
            _stop(child)
        return "stopped"
    finally:
        restore()
        os.unlink(spec_path)


def _stop_on_signals() -> Any:
    """In the main thread (the CLI), SIGTERM stops the crawl like Ctrl-C; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # the scheduler's own handler calls stop_all()

    def on_term(signum: int, _frame: Any) -> None:
        raise CrawlStopped(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, on_term)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _stop(child: subprocess.Popen) -> None:
    """Ask for a clean shutdown (Scrapy closes spiders on SIGTERM), then insist."""
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _die_with_parent() -> None:
    """Linux: have the kernel send us SIGTERM when the parent dies (no orphan crawls)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_main(spec_path: str) -> int:
    _die_with_parent()
    # tldextract reads the bundled suffix list, never the internet (see crawler/settings.py)
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from scrapy.settings import Settings

    from crawler.browser import crawl_settings

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sources = spec_sources(spec)
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
    crawler_process(settings, sources).start()
    return 0


def spec_sources(spec: dict[str, Any]) -> list[Source]:
    """The sources a child's spec names, from its registry, at its base if it has one."""
    registry = load_registry(spec["registry"])
    sources = [registry[i] for i in spec["sources"]]
    return [s.with_base(spec["base"]) for s in sources] if spec.get("base") else sources


def crawler_process(settings: Any, sources: list[Source]) -> Any:
    """A CrawlerProcess with one family spider per family of these sources."""
    from scrapy.crawler import CrawlerProcess

    from spiders import spider_for_family

    process = CrawlerProcess(settings)
    # A robots.txt that cannot be fetched is logged with a traceback; the page request
    # that follows fails too and is recorded as the run's error, so say it once.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    by_family: dict[str, list[Source]] = {}
    for source in sources:
        by_family.setdefault(source.family, []).append(source)
    for family, members in by_family.items():
        process.crawl(spider_for_family(family), sources=members)
    return process


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1]))
