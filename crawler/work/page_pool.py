"""Extraction on every core: a pool of worker processes for the pipeline's CPU work, and
the sequencer that keeps the archive's decisions in the order pages were handed over.

Why processes: extraction and MinHash are pure Python and lxml under the GIL, so threads
give the crawl one core. Why 'forkserver': the crawl process has threads (the reactor's
pool, SQLite connections), and forking a threaded process can copy a held lock; the fork
server is a clean single-threaded process. It preloads nothing: a module it held would
count once in it and again in every worker's resident memory, so each worker imports the
extraction stack itself, once, in its initializer.

A worker that dies (killed, out of memory, a crash in a C library) breaks a
ProcessPoolExecutor for good, failing every page in flight: the pool is then made again
and those pages are tried once more; a page whose second try also loses its worker is
reported as such (and kept raw by the pipeline).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from twisted.internet import defer, reactor

log = logging.getLogger(__name__)

# Not even the default "__main__": each worker imports the crawl's main module for itself
# when it starts anyway.
PRELOAD: list[str] = []


class WorkerLost(Exception):
    """A page's extraction worker died twice (the page itself may be what kills it)."""


def default_workers() -> int:
    """One worker per core but one: the crawl process keeps a core busy itself (fetching,
    and the archive writes, which are one at a time). Measured on 2 cores: a second worker
    added nothing to pages/s and 135 MB to the tree's RSS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


class PagePool:
    """Runs ``fn(*args)`` in worker processes; results come back as Deferreds fired on the
    reactor thread. ``workers=0`` runs them in the reactor's thread pool instead.
    ``initializer`` runs in each worker with this process's id."""

    def __init__(self, workers: int, initializer: Callable[[int], None] | None = None,
                 max_tasks_per_child: int | None = None) -> None:
        self.workers = workers
        self.initializer = initializer
        self.max_tasks_per_child = max_tasks_per_child
        self.restarts = 0
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the extraction pool is shut down")
            if self._executor is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(PRELOAD)
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=self.initializer,
                    initargs=(os.getpid(),) if self.initializer else (),
                    max_tasks_per_child=self.max_tasks_per_child,
                )
            return self._executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is not broken:
                return  # another page already made the new pool
            self._executor = None
            self.restarts += 1
        log.warning("an extraction worker died; starting a new pool (restart %d)", self.restarts)
        # (shutdown drops the executor's references to both: take them first)
        manager, processes = getattr(broken, "_executor_manager_thread", None), getattr(broken, "_processes", None)
        broken.shutdown(wait=False, cancel_futures=True)
        threading.Thread(target=_reap, args=(manager, processes), name="reap-broken-pool", daemon=True).start()

    def pids(self) -> list[int]:
        """The live workers' process ids (for tests and for the memory benchmark)."""
        executor = self._executor
        return list(getattr(executor, "_processes", None) or {}) if executor else []

    def run(self, fn: Callable[..., Any], *args: Any) -> defer.Deferred:
        if self.workers == 0:
            from twisted.internet.threads import deferToThread

            return deferToThread(fn, *args)
        return self._submit(fn, args, tries=2)

    def _submit(self, fn: Callable[..., Any], args: tuple, tries: int) -> defer.Deferred:
        result: defer.Deferred = defer.Deferred()
        try:
            executor = self._pool()
            future = executor.submit(fn, *args)
        except BrokenProcessPool:
            # Broken between our look and the submit: same as losing the worker.
            self._replace(executor)
            return self._submit(fn, args, tries) if tries > 1 else defer.fail(WorkerLost("worker pool broke"))
        except Exception:
            return defer.fail()

        def done(f: Future) -> None:
            reactor.callFromThread(settle, f)

        def settle(f: Future) -> None:
            exc = f.exception()
            if exc is None:
                result.callback(f.result())
            elif isinstance(exc, BrokenProcessPool):
                self._replace(executor)
                if tries > 1 and not self._closed:
                    self._submit(fn, args, tries - 1).chainDeferred(result)
                else:
                    result.errback(WorkerLost(f"extraction worker died: {exc}"))
            else:
                result.errback(exc)

        future.add_done_callback(done)
        return result

    def shutdown(self) -> None:
        """Stop the workers (pages still queued are dropped; the crawl is over)."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _reap(manager: threading.Thread | None, processes: dict | None, patience: float = 30.0) -> None:
    """Kill whatever workers a broken pool still has until its manager thread is done.

    Python 3.11's manager terminates a broken pool's workers once, then joins them; a
    worker spawned by a submit racing the breakage (the check for "broken" and the
    spawn are not under the manager's lock) is never told to stop, and the join, and
    so the crawl process's exit, waits for it forever.
    """
    deadline = time.monotonic() + patience
    while manager is not None and manager.is_alive() and time.monotonic() < deadline:
        for process in list((processes or {}).values()):
            if process.is_alive():
                process.kill()
        manager.join(0.2)


# One pool per crawl process, shared by its crawlers (one per spider family), so a crawl
# of six families does not start six pools of workers.
_shared: dict[str, Any] = {"pool": None, "users": 0}
_shared_lock = threading.Lock()


def open_shared_pool(workers: int, **options: Any) -> PagePool:
    """The process's pool (made by the first caller, with its options); close with
    close_shared_pool(), the last close shuts it down."""
    with _shared_lock:
        if _shared["pool"] is None:
            _shared["pool"] = PagePool(workers, **options)
        _shared["users"] += 1
        return _shared["pool"]


def close_shared_pool() -> None:
    with _shared_lock:
        _shared["users"] -= 1
        if _shared["users"] > 0:
            return
        pool, _shared["pool"], _shared["users"] = _shared["pool"], None, 0
    if pool is not None:
        pool.shutdown()


class Sequencer:
    """Turns in the order they were taken: ``take()`` gives (wait, done); ``wait`` fires
    once every earlier turn has called its ``done``. The pipeline writes page n+1 only
    after page n, so what the archive decides does not depend on which worker was quicker."""

    def __init__(self) -> None:
        self._last: defer.Deferred = defer.succeed(None)
        self.taken = 0

    def take(self) -> tuple[defer.Deferred, Callable[[], None]]:
        previous, mine = self._last, defer.Deferred()
        self._last = mine
        self.taken += 1

        def done() -> None:
            if not mine.called:
                mine.callback(None)

        return previous, done
