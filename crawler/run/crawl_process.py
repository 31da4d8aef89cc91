"""One way to run a crawl: the parent's side, for the CLI, the scheduler, ``sources
check`` and ``sources test`` alike (a distributed round too: crawler/run/distributed.py).

The parent opens the CrawlRun rows, then runs Scrapy in a child process
(``python -m crawler.run.crawl_child SPEC``, a CrawlSpec: crawler/run/crawl_spec.py): the Twisted
reactor cannot restart inside one process, and a crash or hang of a crawl must not take
the caller down. The parent closes any run the child left open, and reads the summary
back from the archive. How a crawl differs from another is its CrawlOptions.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.run.crawl_spec import CrawlSpec, crawl_deadline_minutes
from crawler.components.loopback import is_loopback_url
from spiders.registry import Source
from crawler.run.runs import CrawlSummary, close_runs, open_runs
from storage import crawl_runs
from storage.api import open_archive
from storage.queries import archive_stats

# How long a child asked to stop may take to close its runs before it is killed.
STOP_GRACE_SECONDS = 5.0
# How long past its deadline a crawl may take to close (its spiders wait for the pages in
# extraction, each under its own deadline, and one retry) before the parent stops it.
DEADLINE_GRACE_SECONDS = 15 * 60.0

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


def stop_requested() -> bool:
    return _stopping.is_set()


@contextmanager
def crawling() -> Iterator[None]:
    """Counts this crawl among those wait_for_crawls() waits for, until its runs are closed."""
    global _active_count
    with _active:
        _active_count += 1
    try:
        yield
    finally:
        with _active:
            _active_count -= 1
            _active.notify_all()


def wait_for_crawls(timeout: float) -> bool:
    """Wait until no crawl runs in this process; False if some still do after ``timeout``."""
    with _active:
        return _active.wait_for(lambda: _active_count == 0, timeout=timeout)


def loopback_only(sources: list[Source]) -> bool:
    """Whether every URL these sources start from is on this machine (sample sites)."""
    urls = [u for s in sources for u in (*s.start_urls, *([s.api.page_url] if s.api else []))]
    return bool(urls) and all(is_loopback_url(u) for u in urls)


def registry_settings(registry_path: str | os.PathLike | None) -> dict[str, Any]:
    """Crawl settings a registry file asks for: its ``[hosts]`` (the sample sites' registry
    sends their origin to the server that serves them, with the loopback defaults)."""
    from spiders.registry import registry_hosts

    hosts = registry_hosts(registry_path)
    return {**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": hosts} if hosts else {}


@dataclass
class CrawlOptions:
    """How a crawl runs: what the CLI, the scheduler and the tests choose between."""

    db_url: str | None = None
    trigger: str = "cli"  # "cli" | "schedule"
    registry_path: str | os.PathLike | None = None
    base: str | None = None  # the origin the sources' URLs are moved to (sample sites)
    settings: dict[str, Any] | None = None  # Scrapy settings over the project's
    timeout: float | None = None  # the whole crawl's
    progress: bool = True  # a line per page on stderr
    distributed: Any = None  # crawler.run.distributed.Distributed: a round through Redis


def run_crawl(sources: list[Source], options: CrawlOptions | None = None, **kwargs: Any) -> Any:
    """Crawl these sources once; return what each run did (a CrawlSummary; with
    ``options.distributed``, a DistributedSummary). ``kwargs``: CrawlOptions' fields.

    Raises CrawlStopped (after the child is stopped and its runs are closed as
    ``interrupted``) when a stop signal or stop_all() ends the crawl.
    """
    options = options or CrawlOptions(**kwargs)
    summary = _crawl_once(sources, options)
    # Where every crawl ends in its parent (CLI crawl and demo, a distributed round): watches
    # are told what it archived (the scheduler's crawl service tells them where its crawls
    # end: crawler/run/crawl_service.py). A stopped crawl raised above: what it archived
    # is told at the end of the next one.
    from crawler.watch.notify import notify_after_crawl

    notify_after_crawl(options.db_url)
    return summary


def _crawl_once(sources: list[Source], options: CrawlOptions) -> Any:
    if options.distributed is not None:
        from crawler.run.distributed import run_distributed

        return run_distributed(sources, options)
    with crawling():
        return _run_local(sources, options)


def _run_local(sources: list[Source], options: CrawlOptions) -> "CrawlSummary":
    archive = open_archive(options.db_url)
    try:
        chosen, run_ids = open_runs(archive, sources, options)
        # Our own sample sites: no politeness delays (it is our server), never elsewhere.
        defaults = LOOPBACK_SETTINGS if loopback_only(chosen) else {}
        spec = CrawlSpec(
            db_url=archive.url, registry=str(options.registry_path) if options.registry_path else None,
            sources=[s.id for s in sources], base=options.base, run_ids=run_ids, trigger=options.trigger,
            settings={**defaults, **(options.settings or {}), "POLICY_PROGRESS": options.progress},
        )
        deadline = _deadline_seconds(chosen, spec.settings)
        backstop = deadline + DEADLINE_GRACE_SECONDS if deadline and options.timeout is None else None
        returncode, _ = run_child(spec, options.timeout if backstop is None else backstop)
        if returncode == "timeout" and backstop is not None:
            # The child's own deadline (CloseSpider) did not end it: closed here, the same way.
            note = (f"the crawl's deadline ({deadline / 60:g} min) ended it; its crawler process did not "
                    f"close within {DEADLINE_GRACE_SECONDS / 60:g} min more and was stopped")
            for run_id in run_ids.values():
                run = crawl_runs.get_run(archive, run_id)
                if run is not None and run.status == "running":
                    crawl_runs.add_note(archive, run_id, note)
            results = close_runs(archive, sources, run_ids, "partial", None)
            return CrawlSummary(sources=results, documents=archive_stats(archive)["documents"])
        stopped = returncode in ("timeout", "stopped") or returncode in (-signal.SIGTERM, -signal.SIGINT)
        if returncode == "timeout":
            detail = "crawl timed out"
        elif returncode == "stopped":
            detail = "crawl stopped by a signal"
        else:
            detail = f"crawler process ended with {returncode}"
        # A run the child left open: closed here, with why (a stop is not an error).
        results = close_runs(archive, sources, run_ids, "interrupted" if stopped else "failed",
                             None if stopped else detail)
        if returncode == "stopped":
            raise CrawlStopped("crawl stopped; its runs are closed as interrupted")
        return CrawlSummary(sources=results, documents=archive_stats(archive)["documents"])
    finally:
        archive.dispose()


def _deadline_seconds(sources: list[Source], settings: dict[str, Any]) -> float:
    """The deadline the child's spiders close at (crawl_spec.scrapy_settings), in seconds."""
    if "CLOSESPIDER_TIMEOUT" in settings:
        return float(settings["CLOSESPIDER_TIMEOUT"] or 0)
    from crawler import settings as project

    default = float(settings.get("POLICY_CRAWL_DEADLINE_MINUTES", project.POLICY_CRAWL_DEADLINE_MINUTES) or 0)
    return 60 * crawl_deadline_minutes(sources, default)


def run_child(spec: CrawlSpec, timeout: float | None, quiet: bool = False) -> tuple[int | str, str]:
    """Run the spec in ``python -m crawler.run.crawl_child``: its exit code (or "timeout", or
    "stopped": a signal or stop_all()), and with ``quiet`` what it wrote on stderr (its
    stdout goes nowhere then); else both go to our stderr (stdout is kept for --json)."""
    with tempfile.TemporaryDirectory(prefix="policy-archive-crawl-") as tmp:
        spec_path = Path(tmp) / "spec.json"
        spec_path.write_text(spec.to_json(), encoding="utf-8")
        err_path = Path(tmp) / "stderr.txt"
        with open(err_path, "wb") as err:
            out = {"stdout": subprocess.DEVNULL, "stderr": err} if quiet else {"stdout": sys.stderr.fileno()}
            code = _wait_child([sys.executable, "-m", "crawler.run.crawl_child", str(spec_path)], out, timeout)
        return code, err_path.read_text("utf-8", "replace")


def _wait_child(argv: list[str], streams: dict[str, Any], timeout: float | None) -> int | str:
    restore = _stop_on_signals()
    child = None
    try:
        child = subprocess.Popen(argv, **streams)
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
