"""Extraction on every core: a pool of worker processes for the pipeline's CPU work, each
item under a deadline, and the sequencer that keeps the archive's decisions in the order
pages were handed over.

Why processes: extraction and MinHash are pure Python and lxml under the GIL, so threads
give the crawl one core. Why 'forkserver': the crawl process has threads (the reactor's
pool, SQLite connections), and forking a threaded process can copy a held lock; the fork
server is a clean single-threaded process. It preloads nothing: a module it held would
count once in it and again in every worker's resident memory, so each worker imports the
extraction stack itself, once, in its initializer.

Why not ProcessPoolExecutor: it cannot stop one task. A page whose attachment holds a
library in C code for fifteen minutes must be abandoned at its deadline, and only killing
the process that runs it does that; the executor does not say which process that is, and
losing any of its processes breaks it for every page in flight. Here each worker has a
slot (a thread of this process) that hands it items over a pipe (the one it runs and the
next, so it never waits for this process) and waits for each answer until the deadline:
an overrun kills that worker (with whatever converter it started: it leads a process
group of its own) and the slot starts another, which gets the item that was next; the
item fails with ItemOverran. A worker that dies (killed, out of memory, a crash in a C
library) costs only its own item, which is tried once more in a new worker; a second
death is reported as WorkerLost (the pipeline keeps the page raw).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from twisted.internet import defer, reactor

from crawler.work.pool_worker import serve

log = logging.getLogger(__name__)

# Not even the default "__main__": each worker imports the crawl's main module for itself
# when it starts anyway.
PRELOAD: list[str] = []
# How long a new worker may take to import the extraction stack before it counts as lost.
START_SECONDS = 120.0
# How long a retiring worker may take to leave before it is killed.
LEAVE_SECONDS = 5.0
# Items a worker holds at once: the one it runs and the next.
PREFETCH = 2


class WorkerLost(Exception):
    """A page's extraction worker died twice (the page itself may be what kills it)."""


class ItemOverran(Exception):
    """The item ran past the pool's deadline: its worker was killed and replaced."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"extraction overran its {seconds:g} s deadline; its worker was replaced")
        self.seconds = seconds


def default_workers() -> int:
    """One worker per core but one: the crawl process keeps a core busy itself (fetching,
    and the archive writes, which are one at a time). Measured on 2 cores: a second worker
    added nothing to pages/s and 135 MB to the tree's RSS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


class _Worker:
    """One worker process and this side of its pipe."""

    def __init__(self, pool: "PagePool") -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self.conn, theirs = context.Pipe()
        self.process = context.Process(
            target=serve, args=(theirs, pool.initializer, os.getpid(), pool.memory_headroom),
            name="extract-worker", daemon=True)
        self.process.start()
        theirs.close()
        self.tasks = 0
        if not self.conn.poll(START_SECONDS):
            self.kill()
            raise WorkerLost(f"an extraction worker did not start within {START_SECONDS:g} s")
        try:
            self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerLost("an extraction worker died while starting") from None

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send(self, fn: Callable[..., Any], args: tuple) -> bool:
        """Hand the worker an item (it queues it behind the one it runs); False when the
        worker is gone. An item that does not pickle raises here, before anything is sent."""
        self.tasks += 1
        try:
            self.conn.send((fn, args))
            return True
        except (EOFError, OSError):
            return False

    def answer(self, timeout: float | None) -> tuple[str, Any]:
        """The oldest item's ("ok", value) or ("error", exception); ("lost", None) when
        the worker died, ("overran", None) when no answer came within ``timeout``."""
        try:
            if not self.conn.poll(timeout):
                return "overran", None
            return self.conn.recv()
        except (EOFError, OSError):
            return "lost", None
        except Exception as exc:  # an answer that does not unpickle: the item's failure
            return "error", RuntimeError(f"{type(exc).__name__}: {exc}")

    def leave(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(LEAVE_SECONDS)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.join()
        self.conn.close()


class PagePool:
    """Runs ``fn(*args)`` in worker processes; results come back as Deferreds fired on the
    reactor thread. ``workers=0`` runs them in the reactor's thread pool instead (with no
    deadline: a thread cannot be stopped). ``initializer`` runs in each worker with this
    process's id; ``deadline`` is each item's, in seconds; ``memory_headroom`` the address
    space (bytes) each worker may take beyond its start (pool_worker.set_memory_ceiling)."""

    def __init__(self, workers: int, initializer: Callable[[int], None] | None = None,
                 max_tasks_per_child: int | None = None, deadline: float | None = None,
                 memory_headroom: int | None = None) -> None:
        self.workers = workers
        self.initializer = initializer
        self.max_tasks_per_child = max_tasks_per_child
        self.deadline = deadline
        self.memory_headroom = memory_headroom
        self.restarts = 0  # workers that died under an item
        self.overruns = 0  # workers killed for overrunning an item's deadline
        self._lock = threading.Lock()
        self._tasks: queue.Queue = queue.Queue()
        self._slots: list[threading.Thread] = []
        self._live: dict[int, _Worker] = {}
        self._closed = False

    def pids(self) -> list[int]:
        """The live workers' process ids (for tests and for the memory benchmark)."""
        with self._lock:
            return [pid for pid, w in self._live.items() if w.process.is_alive()]

    def run(self, fn: Callable[..., Any], *args: Any) -> defer.Deferred:
        """``fn(*args)`` as a Deferred, fired on the reactor thread."""
        if self.workers == 0:
            from twisted.internet.threads import deferToThread

            return deferToThread(fn, *args)
        result: defer.Deferred = defer.Deferred()

        def settle(future: Future) -> None:
            if future.cancelled():  # dropped at shutdown
                return
            exc = future.exception()
            if exc is None:
                result.callback(future.result())
            else:
                result.errback(exc)

        try:
            future = self.submit(fn, *args)
        except RuntimeError:
            return defer.fail()
        future.add_done_callback(lambda f: reactor.callFromThread(settle, f))
        return result

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """``fn(*args)`` in a worker, as a Future (set on the worker's slot thread)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the extraction pool is shut down")
            if not self._slots:
                self._slots = [threading.Thread(target=self._slot, name=f"extract-slot-{n}", daemon=True)
                               for n in range(max(self.workers, 1))]
                for slot in self._slots:
                    slot.start()
        future: Future = Future()
        self._tasks.put((fn, args, future))
        return future

    def _slot(self) -> None:
        """One worker's items: up to PREFETCH handed over at once (the next one waits in the
        worker while this one runs: no idle gap for the round trip through this process's
        GIL), answered in order; the oldest item's deadline runs from when the worker
        started it (when the answer before it came, or when it was sent to an idle worker)."""
        worker: _Worker | None = None
        flight: deque[list] = deque()  # [fn, args, future, retries left], oldest first
        started = 0.0
        closing = False
        while True:
            while not closing and len(flight) < PREFETCH and not self._retiring(worker):
                try:
                    task = self._tasks.get() if not flight else self._tasks.get_nowait()
                except queue.Empty:
                    break
                if task is None:
                    closing = True
                    break
                fn, args, future = task
                if not future.set_running_or_notify_cancel():
                    continue
                if worker is None:
                    worker = self._start_for(flight)
                    if worker is None:
                        future.set_exception(WorkerLost("no extraction worker would start"))
                        flight.clear()
                        continue
                if not flight:
                    started = time.monotonic()
                try:
                    sent = worker.send(fn, args)
                except Exception as exc:  # does not pickle: this item's failure alone
                    future.set_exception(RuntimeError(f"{type(exc).__name__}: {exc}"))
                    continue
                flight.append([fn, args, future, 1])
                if not sent:
                    break
            if not flight:
                if closing:
                    break
                if worker is not None and self._retiring(worker):
                    self._forget(worker)
                    worker.leave()
                    worker = None
                continue
            left = None if self.deadline is None else max(0.0, started + self.deadline - time.monotonic())
            status, value = worker.answer(left)
            head = flight.popleft()
            if status in ("ok", "error"):
                (head[2].set_result if status == "ok" else head[2].set_exception)(value)
                started = time.monotonic()
                if status == "error" and isinstance(value, MemoryError):
                    self._forget(worker)  # it leaves by itself; what it holds goes to a new one
                    worker.kill()
                    worker = self._start_for(flight)
                continue
            self._drop(worker, "died" if status == "lost" else "overran")
            if status == "overran":
                head[2].set_exception(ItemOverran(self.deadline or 0))
            elif head[3] > 0 and not self._closed:
                head[3] -= 1
                flight.appendleft(head)
            else:
                head[2].set_exception(WorkerLost("extraction worker died twice on this page"))
            worker = self._start_for(flight)
            started = time.monotonic()
        if worker is not None:
            self._forget(worker)
            worker.leave()

    def _retiring(self, worker: _Worker | None) -> bool:
        """Renewed after so many items: memory grows with the odd huge page."""
        return worker is not None and bool(self.max_tasks_per_child) and worker.tasks >= self.max_tasks_per_child

    def _start_for(self, flight: deque) -> _Worker | None:
        """A new worker with the items in flight handed to it again, in order; None (and
        those items failed, and taken out of flight) when no worker would start twice over."""
        for tries_left in (1, 0):
            try:
                worker = self._start()
            except WorkerLost as exc:  # died while starting: as under an item
                self._count(died=True)
                if tries_left:
                    continue
                while flight:
                    flight.popleft()[2].set_exception(exc)
                return None
            for fn, args, _, _ in flight:
                worker.send(fn, args)  # a worker that died at once answers "lost" for them
            return worker
        return None

    def _start(self) -> _Worker:
        worker = _Worker(self)
        with self._lock:
            self._live[worker.pid or 0] = worker
        return worker

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            self._live.pop(worker.pid or 0, None)

    def _drop(self, worker: _Worker, why: str) -> None:
        self._count(died=why == "died")
        self._forget(worker)
        worker.kill()

    def _count(self, died: bool) -> None:
        with self._lock:
            if died:
                self.restarts += 1
            else:
                self.overruns += 1
            count = self.restarts + self.overruns
        log.warning("an extraction worker %s; starting a new one (restart %d)",
                    "died" if died else "overran an item's deadline", count)

    def shutdown(self) -> None:
        """Stop the workers (items still queued are dropped; the crawl is over)."""
        with self._lock:
            self._closed = True
            slots, self._slots = self._slots, []
        try:
            while True:
                task = self._tasks.get_nowait()
                if task is not None:
                    task[2].cancel()
        except queue.Empty:
            pass
        for _ in slots:
            self._tasks.put(None)
        for slot in slots:
            slot.join()


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
