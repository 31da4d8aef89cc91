"""The crawl service: one long-lived process that crawls every source the scheduler finds
due, each as a crawler of its own in one Twisted reactor, all feeding one extraction pool
and one archive (engine and connection pool).

Why a child of the scheduler, and not the reactor in the scheduler's own process: the
reactor wants the main thread (signals) and cannot restart, APScheduler's blocking
scheduler owns that thread, and a crash in C code under a crawl (lxml, a PDF library, the
browser) must not take the scheduler down with it. So the scheduler starts this process
once and writes it one line per due source on its stdin; this process answers one line per
source on its stdout when the source's crawl ends, and a heartbeat in between
(crawler/run/service_client.py is the scheduler's side). A scheduler that dies closes our
stdin (and the kernel sends us SIGTERM): the crawls stop and their runs close
``interrupted``; a service that dies leaves its runs to the scheduler, which closes them
``interrupted`` (their rows carry this process's pid) and starts a new service.

Per source: its run row is opened here (pid: this process), its crawler gets the source's
own settings (crawl_spec.scrapy_settings: its deadline as CLOSESPIDER_TIMEOUT, loopback or
polite defaults, the browser when it is guarded) and the shared archive; a crawler that does
not close within the grace a CLI crawl's child gets past its deadline
(crawl_process.DEADLINE_GRACE_SECONDS, or the setting POLICY_SERVICE_DEADLINE_GRACE) is cut
off: its run closes ``partial`` with a note and its place goes to the next source, the
others crawl on.
At most POLICY_SERVICE_SOURCES sources crawl at once; two on one host take turns, and so
do two that need the browser (crawler/run/admission.py). ``_crawl_ended`` is the one place
where a source's crawl is over.

Messages, one JSON object a line. In: the service's spec first ({"db_url", "registry",
"settings"}), then {"crawl": source_id} per due source. Out: {"alive": true}
every HEARTBEAT_SECONDS, and per source {"source", "run_id", "status", "error"}.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger("policy_archive.crawl_service")

# Sources crawled at once unless POLICY_SERVICE_SOURCES says (crawler/settings.py).
DEFAULT_SOURCES_AT_ONCE = 8
HEARTBEAT_SECONDS = 5.0
# Guarded sources (a Chromium each, some hundred MB) take turns on this as on a host.
BROWSER_TURN = "(browser)"


@dataclass
class ServiceSpec:
    db_url: str | None = None
    registry: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # Scrapy settings over every source's


@dataclass
class Running:
    source: Any
    run_id: int
    crawler: Any = None
    backstop: Any = None  # the reactor's call that cuts the crawl off


class CrawlService:
    """The service's state, used on the reactor thread only."""

    def __init__(self, spec: ServiceSpec, process: Any, archive: Any, answer: Any) -> None:
        from crawler.run.admission import Admission

        self.spec = spec
        self.process = process
        self.archive = archive
        self.answer = answer
        self.admission = Admission(process.settings.getint("POLICY_SERVICE_SOURCES", DEFAULT_SOURCES_AT_ONCE))
        self.running: dict[str, Running] = {}
        # {source_id: (source, settings)}: read when the source came due, used when it starts
        self.due: dict[str, tuple[Any, Any]] = {}
        self.stopping = False
        # watches are told what crawls archived, one notification at a time (notify_watches)
        self.notification: Any = None  # the Deferred of the one in flight
        self.notify_again = False
        self.told_waiters: list[Any] = []  # Deferreds fired once none is in flight or owed

    def request(self, message: dict[str, Any]) -> None:
        source_id = str(message.get("crawl", ""))
        if self.stopping:
            self.answer({"source": source_id, "run_id": None, "status": "stopped", "error": None})
            return
        try:
            source, settings = self.source_and_settings(source_id)
        except KeyError:
            self.answer({"source": source_id, "run_id": None, "status": "failed",
                         "error": f"no source {source_id!r} in the registry any more"})
            return
        except Exception as exc:  # a registry that no longer reads
            self.answer({"source": source_id, "run_id": None, "status": "failed", "error": f"{exc}"})
            return
        if self.admission.holds(source_id):
            self.answer({"source": source_id, "run_id": None, "status": "skipped",
                         "error": "already waiting or crawling in the crawl service"})
            return
        self.due[source_id] = (source, settings)
        turns = set() if settings.getbool("LOOPBACK_ONLY") else source_hosts(source)
        if settings.getbool("POLICY_BROWSER"):
            turns.add(BROWSER_TURN)
        self.admission.add(source_id, turns)
        self.start_ready()

    def source_and_settings(self, source_id: str) -> tuple[Any, Any]:
        """The source as the registry has it now, and its crawl's settings."""
        from crawler.run.crawl_process import LOOPBACK_SETTINGS, loopback_only, registry_settings
        from crawler.run.crawl_spec import CrawlSpec, scrapy_settings
        from spiders.registry import load_registry

        source = load_registry(self.spec.registry)[source_id]
        defaults = LOOPBACK_SETTINGS if loopback_only([source]) else {}
        spec = CrawlSpec(sources=[source_id], registry=self.spec.registry, db_url=self.archive.url,
                         trigger="schedule", settings={**defaults, **registry_settings(self.spec.registry),
                                                       **self.spec.settings, "POLICY_PROGRESS": False})
        return source, scrapy_settings(spec, [source])

    def start_ready(self) -> None:
        for source_id in self.admission.ready():
            self.start(source_id)

    def start(self, source_id: str) -> None:
        from twisted.internet import threads

        source, settings = self.due.pop(source_id)
        opened = threads.deferToThread(self.open_run, source)
        opened.addCallbacks(lambda run_id: self.crawl(source, settings, run_id),
                            lambda failure: self._crawl_ended(source_id, None, "failed",
                                                              f"could not open its run: {failure.value}"))

    def open_run(self, source: Any) -> int:
        from storage import crawl_runs

        crawl_runs.sync_sources(self.archive, [source])
        return crawl_runs.start_run(self.archive, source.id, "schedule")

    def crawl(self, source: Any, settings: Any, run_id: int) -> None:
        from scrapy.crawler import Crawler
        from twisted.internet import reactor

        from crawler.run.crawl_process import DEADLINE_GRACE_SECONDS
        from crawler.run.crawl_state import RunContext
        from spiders import spider_for_family

        running = self.running[source.id] = Running(source, run_id)
        if self.stopping:
            self.close_left_open(running, "interrupted", None)
            return
        try:
            crawler = Crawler(spider_for_family(source.family), settings, init_reactor=False)
            # Every crawler of the service writes through the one archive (run_context's made here).
            crawler._policy_run_context = RunContext(archive=self.archive, trigger="schedule",
                                                     run_ids={source.id: run_id})
            running.crawler = crawler  # before the crawl starts: a spider that fails at once ends it at once
            done = self.process.crawl(crawler, sources=[source])
        except Exception as exc:
            running.crawler = None
            self.close_left_open(running, "failed", f"{type(exc).__name__}: {exc}")
            return
        deadline = settings.getfloat("CLOSESPIDER_TIMEOUT")
        if deadline > 0:
            grace = settings.getfloat("POLICY_SERVICE_DEADLINE_GRACE", DEADLINE_GRACE_SECONDS)
            running.backstop = reactor.callLater(deadline + grace, self.cut_off, running, deadline, grace)
        done.addCallbacks(lambda _: self.crawler_closed(running, None),
                          lambda failure: self.crawler_closed(running, f"{failure.type.__name__}: {failure.value}"))

    def current(self, running: Running) -> bool:
        """Whether this is still the source's crawl in progress: not cut off, and not a
        crawl of it started since (a cut-off crawler may close long after)."""
        return self.running.get(running.source.id) is running and running.crawler is not None

    def crawler_closed(self, running: Running, error: str | None) -> None:
        if not self.current(running):
            return  # cut off already: its run is closed and its place given away
        if running.backstop is not None and running.backstop.active():
            running.backstop.cancel()
        # The recorder closed the run at the spider's close; a crawler that failed before
        # or during it left it open: closed here with why.
        status = "interrupted" if self.stopping and error is None else "failed"
        self.close_left_open(running, status, error or "the crawl ended without closing its run")

    def cut_off(self, running: Running, deadline: float, grace: float) -> None:
        """The crawler did not close within ``grace`` of its deadline: its run closes
        ``partial`` and its place goes to the next source. The crawler is asked to stop;
        whatever it still does is no longer recorded against the run."""
        from storage import crawl_runs

        if not self.current(running):
            return
        crawler, running.crawler = running.crawler, None
        crawler._policy_run_context.run_ids.pop(running.source.id, None)
        crawl_runs.add_note(self.archive, running.run_id,
                            f"the crawl's deadline ({deadline / 60:g} min) ended it; its crawler did not close "
                            f"within {grace / 60:g} min more and was cut off")
        self.close_left_open(running, "partial", None)
        crawler.stop().addErrback(lambda failure: log.warning("a cut-off crawler of %s failed to stop: %s",
                                                              running.source.id, failure.value))

    def close_left_open(self, running: Running, status: str, error: str | None) -> None:
        from twisted.internet import threads

        source_id = running.source.id

        def close() -> str:
            from storage import crawl_runs

            run = crawl_runs.get_run(self.archive, running.run_id)
            if run.status != "running":
                return run.status
            if error:
                crawl_runs.record_error(self.archive, run.id, "process", error)
            return crawl_runs.finish_run(self.archive, run.id, status).status

        closed = threads.deferToThread(close)
        closed.addCallbacks(lambda final: self._crawl_ended(source_id, running.run_id, final, None),
                            lambda failure: self._crawl_ended(source_id, running.run_id, "failed", f"{failure.value}"))

    def _crawl_ended(self, source_id: str, run_id: int | None, status: str, error: str | None) -> None:
        """A source's crawl is over and its run closed (or never opened): the one place
        where that happens, for every way a crawl ends (closed by its spider, failed, cut off
        at its deadline, stopped). Post-crawl work goes here, off the reactor thread
        (threads.deferToThread): this thread fetches for every source at once."""
        if source_id in self.running and (run_id is None or self.running[source_id].run_id == run_id):
            del self.running[source_id]
        self.admission.release(source_id)
        self.answer({"source": source_id, "run_id": run_id, "status": status, "error": error})
        if not self.stopping:
            self.start_ready()
            if run_id is not None:
                self.notify_watches()

    def notify_watches(self) -> None:
        """Watches are told what the archive got (crawler/watch/notify.py, as at the end of
        run_crawl). It matches everything not matched yet, so crawls that end while it runs
        are told by one more run after it, not one each. A stopped crawl's pages are told
        after the next crawl, as a stopped run_crawl's are."""
        from twisted.internet import threads

        from crawler.watch.notify import notify_after_crawl

        if self.notification is not None:
            self.notify_again = True
            return
        self.notify_again = False

        def told(_: Any) -> None:
            self.notification = None
            if self.notify_again:
                self.notify_watches()
                return
            waiters, self.told_waiters = self.told_waiters, []
            for waiter in waiters:
                waiter.callback(None)

        self.notification = threads.deferToThread(notify_after_crawl, self.archive.url)
        self.notification.addBoth(told)

    def all_told(self) -> Any:
        """A Deferred fired once no notification is in flight or owed."""
        from twisted.internet import defer

        if self.notification is None:
            return defer.succeed(None)
        waiter: Any = defer.Deferred()
        self.told_waiters.append(waiter)
        return waiter

    def stop(self) -> None:
        """Stop crawling: sources not started yet are answered ``stopped``; the crawlers
        close (their runs ``interrupted``), then the reactor stops."""
        if self.stopping:
            return
        self.stopping = True
        for source_id in self.admission.drop_waiting():
            self.due.pop(source_id, None)
            self.answer({"source": source_id, "run_id": None, "status": "stopped", "error": None})
        # what the crawls archived is told before the process leaves (a second signal does not wait)
        self.process.stop().addBoth(lambda _: self.all_told()).addBoth(lambda _: self.stop_reactor())

    def stop_reactor(self) -> None:
        from twisted.internet import reactor
        from twisted.internet.error import ReactorNotRunning

        try:
            reactor.stop()
        except ReactorNotRunning:
            pass

    def on_signal(self, signum: int, _frame: Any) -> None:
        """SIGTERM or SIGINT: stop as when the scheduler closes our stdin; a second one
        stops the reactor without waiting for the crawlers."""
        from twisted.internet import reactor

        reactor.callFromThread(self.stop_reactor if self.stopping else self.stop)


def source_hosts(source: Any) -> set[str]:
    """The hosts a source's crawl asks (its start URLs' and its API's)."""
    urls = [*source.start_urls, *([source.api.page_url] if getattr(source, "api", None) else [])]
    return {host for host in (urlsplit(u).hostname for u in urls) if host}


class Answers:
    """Lines to the scheduler on a private copy of stdout: the real stdout then points at
    stderr, so nothing a library prints can garble the protocol."""

    def __init__(self) -> None:
        self._out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        self._lock = threading.Lock()

    def __call__(self, message: dict[str, Any]) -> None:
        with self._lock:
            try:
                self._out.write(json.dumps(message, ensure_ascii=False) + "\n")
            except (BrokenPipeError, ValueError, OSError):
                pass  # the scheduler is gone; the stop that follows closes the runs


def service_main() -> int:
    """``python -m crawler.run.service_child``: serve until stdin closes or a signal stops us."""
    # No PR_SET_PDEATHSIG here (crawl_child has it): the kernel sends it when the *thread*
    # that started us ends, and the scheduler's job thread that happened to start the
    # service ends with its source's crawl while the others go on. The parent's death
    # closes our stdin (it holds the only write end), and that stops us (read_requests).
    answer = Answers()
    first = sys.stdin.readline()
    if not first:
        return 0
    spec = ServiceSpec(**json.loads(first))
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from scrapy.settings import Settings
    from scrapy.utils.reactor import install_reactor

    base = Settings()
    base.setmodule("crawler.settings", priority="project")
    base.update({"LOG_LEVEL": os.environ.get("POLICY_ARCHIVE_LOG_LEVEL", "WARNING"), **spec.settings},
                priority="cmdline")
    # Before anything imports twisted.internet.reactor (the extraction pool does).
    install_reactor(base["TWISTED_REACTOR"], base["ASYNCIO_EVENT_LOOP"])
    from scrapy.crawler import CrawlerProcess
    from twisted.internet import reactor, task

    from crawler.components.pipelines import extraction_pool_options
    from crawler.work.page_pool import close_shared_pool, open_shared_pool
    from storage.api import open_archive

    archive = open_archive(spec.db_url)
    process = CrawlerProcess(base)
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    service = CrawlService(spec, process, archive, answer)
    # Held for the service's life: crawls come and go, the workers stay warm.
    options = extraction_pool_options(base)
    if options["workers"] > 0:
        open_shared_pool(**options)

    def read_requests() -> None:
        for line in sys.stdin:
            if line.strip():
                reactor.callFromThread(service.request, json.loads(line))
        reactor.callFromThread(service.stop)

    threading.Thread(target=read_requests, name="service-requests", daemon=True).start()
    heartbeat = task.LoopingCall(answer, {"alive": True})
    reactor.callWhenRunning(heartbeat.start, HEARTBEAT_SECONDS)
    # Ours, not Scrapy's: a stop must also keep the sources still waiting from starting.
    signal.signal(signal.SIGTERM, service.on_signal)
    signal.signal(signal.SIGINT, service.on_signal)
    try:
        process.start(stop_after_crawl=False, install_signal_handlers=False)
    finally:
        if options["workers"] > 0:
            close_shared_pool()
        _close_own_runs(archive)
        archive.dispose()
    return 0


def _close_own_runs(archive: Any) -> None:
    """Runs of this process still open when its reactor stopped (a forced stop): closed
    ``interrupted`` before the process leaves."""
    from storage import crawl_runs

    crawl_runs.close_runs_of_process(archive, os.getpid())
