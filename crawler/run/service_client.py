"""The scheduler's side of the crawl service (crawler/run/crawl_service.py): starts the
service process, hands it each due source, and waits for that source's answer.

A scheduled job calls crawl() and waits in its own thread, so APScheduler's rules keep
holding (one run of a source at a time, a tick while it runs is a logged skip) while the
service decides how many sources crawl at once. The service is watched: one that dies
(killed, a crash in C code) answers every waiting source ``lost``, its open runs are closed
``interrupted`` (they carry its pid) and the next due source starts a new service; one that
stops sending its heartbeat for WEDGED_SECONDS (a reactor stuck in a spider's code) is
killed, with the same outcome.
"""
from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from typing import Any

log = logging.getLogger("policy_archive.scheduler")

# No heartbeat for this long (the service sends one every few seconds): its reactor is stuck.
WEDGED_SECONDS = 600.0
# How long a service asked to stop may take to stop its crawlers and close their runs.
STOP_SECONDS = 30.0


@dataclass
class ServiceAnswer:
    source: str
    run_id: int | None
    # a run's status, or "stopped" (not started: the service stopped), "skipped" (already
    # waiting or crawling there), "lost" (the service died; its runs closed interrupted)
    status: str
    error: str | None = None


class CrawlServiceClient:
    def __init__(self, db_url: str | None, registry_path: str | None, settings: dict[str, Any] | None = None,
                 wedged_seconds: float = WEDGED_SECONDS) -> None:
        from crawler.run.crawl_service import ServiceSpec

        self.wedged_seconds = wedged_seconds
        self.spec = ServiceSpec(db_url=db_url, registry=registry_path, settings=dict(settings or {}))
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self._readers: list[threading.Thread] = []
        # {source_id: (its answer, the service it was handed to)}
        self._waiting: dict[str, tuple[Future, subprocess.Popen]] = {}
        self._heard = time.monotonic()
        self._stopped = False

    @property
    def pid(self) -> int | None:
        child = self._child
        return child.pid if child is not None and child.poll() is None else None

    def start(self) -> None:
        with self._lock:
            self._started()

    def _started(self) -> subprocess.Popen:
        """The running service, started now if there is none (called holding the lock)."""
        if self._child is not None and self._child.poll() is None:
            return self._child
        child = subprocess.Popen([sys.executable, "-m", "crawler.run.service_child"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        child.stdin.write(json.dumps(asdict(self.spec), ensure_ascii=False) + "\n")
        child.stdin.flush()
        self._child, self._heard = child, time.monotonic()
        log.info("crawl service started (pid %d)", child.pid)
        reader = threading.Thread(target=self._read, args=(child,), name="crawl-service-answers", daemon=True)
        reader.start()
        self._readers.append(reader)
        return child

    def crawl(self, source_id: str) -> ServiceAnswer:
        """Crawl the source in the service; returns once its crawl is over."""
        answer: Future = Future()
        with self._lock:
            if self._stopped:
                return ServiceAnswer(source_id, None, "stopped")
            if source_id in self._waiting:
                return ServiceAnswer(source_id, None, "skipped", "already waiting for the crawl service")
            child = self._started()
            self._waiting[source_id] = (answer, child)
            try:
                child.stdin.write(json.dumps({"crawl": source_id}) + "\n")
                child.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass  # dying: its reader answers every waiting source "lost"
        while True:
            try:
                return answer.result(timeout=1.0)
            except FutureTimeout:
                if time.monotonic() - self._heard > self.wedged_seconds:
                    self._kill(child, f"no word from the crawl service for {self.wedged_seconds:g} s")

    def _read(self, child: subprocess.Popen) -> None:
        for line in child.stdout:
            self._heard = time.monotonic()
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if "source" in message:
                with self._lock:
                    waiting, _ = self._waiting.pop(message["source"], (None, None))
                if waiting is not None:
                    waiting.set_result(ServiceAnswer(message["source"], message.get("run_id"), message["status"],
                                                     message.get("error")))
        code = child.wait()
        self._lost(child, code)

    def _lost(self, child: subprocess.Popen, code: int) -> None:
        """The service is gone: its runs still open are closed ``interrupted``, and every
        source waiting for it is answered."""
        from storage import crawl_runs
        from storage.api import open_archive

        try:
            archive = open_archive(self.spec.db_url)
            try:
                crawl_runs.close_stale_runs(archive)
            finally:
                archive.dispose()
        except Exception as exc:  # the archive itself is the problem: said, and the runs wait
            log.error("the crawl service's open runs could not be closed: %s", exc)
        with self._lock:
            lost = [(source_id, answer) for source_id, (answer, given) in self._waiting.items() if given is child]
            for source_id, _ in lost:
                del self._waiting[source_id]
            if self._child is child:
                self._child = None
        if lost and not self._stopped:
            log.warning("the crawl service (pid %d) ended with %s; its runs are closed as interrupted",
                        child.pid, code)
        for source_id, waiting in lost:
            waiting.set_result(ServiceAnswer(source_id, None, "lost", f"the crawl service ended with {code}"))

    def _kill(self, child: subprocess.Popen, why: str) -> None:
        if child.poll() is None:
            log.error("%s: killing it (pid %d)", why, child.pid)
            child.kill()

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Stop the service: its crawls stop and close their runs ``interrupted``; returns
        once it is gone and every waiting source is answered."""
        with self._lock:
            self._stopped = True
            child = self._child
        if child is not None and child.poll() is None:
            try:
                child.stdin.close()  # the service stops when its requests end
            except (BrokenPipeError, OSError):
                pass
            try:
                child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGTERM)  # then 5 s more, then the kill
                try:
                    child.wait(5)
                except subprocess.TimeoutExpired:
                    child.kill()
        for reader in self._readers:
            reader.join()
