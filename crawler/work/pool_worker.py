"""What an extraction worker process runs (crawler/work/page_pool.py starts it): its
start, then one item at a time from its pipe until it is told to go.

A module of its own so that a worker imports neither Twisted nor the pool: the fork
server unpickles the worker's entry by importing its module, and a reactor installed in
every worker would only cost memory.
"""
from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


# Address space a worker (or `extract`) may take beyond what it holds once its imports are
# done (a warm worker: 276 MB of address space, 75 MB resident). Measured: a 5 MB page of
# 40,000 paragraphs extracts well within it; a 3.9 MB page of 80,000 links needs more
# (it is refused as too large), and so does a DOCX or PDF past the caps that slipped by.
MEMORY_HEADROOM = 384 * 1024 * 1024


def set_memory_ceiling(headroom: int = MEMORY_HEADROOM) -> int:
    """Limit this process's address space to what it has now plus ``headroom`` (bytes),
    and return the limit. Address space, not resident memory: the only ceiling the kernel
    enforces on a process without cgroups; an allocation past it fails with MemoryError
    instead of the machine swapping. Inherited by the converters a reader starts."""
    import resource

    with open("/proc/self/status", encoding="ascii") as status:
        size = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:")), 0)
    limit = size + headroom
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


@contextmanager
def memory_ceiling(headroom: int = MEMORY_HEADROOM) -> Iterator[None]:
    """``set_memory_ceiling`` for the block only (`extract` runs in the caller's process)."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    set_memory_ceiling(headroom)
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def serve(conn: Any, initializer: Callable[[int], None] | None, crawl_pid: int, memory_headroom: int | None) -> None:
    """A worker's life: start, say ready, then answer one item at a time, in the order
    they came, until told to go. A thread of its own reads the pipe as items arrive: the
    pool sends the next item while this one runs, so the worker never waits for it, and a
    send never waits for the worker. An item that ran out of memory is answered, and the
    worker leaves: what the failed allocation left behind is not worth trusting."""
    os.setpgrp()  # its converters (antiword, catdoc) go with it when it is killed
    if initializer is not None:
        initializer(crawl_pid)
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_read, args=(conn, inbox), name="read-items", daemon=True).start()
    if memory_headroom:
        set_memory_ceiling(memory_headroom)  # after the imports: the headroom is the pages'
    conn.send(("ready", os.getpid()))
    while (task := inbox.get()) is not None:
        fn, args = task
        try:
            answer: tuple[str, Any] = ("ok", fn(*args))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the page's slot
            answer = ("error", exc)
        try:
            conn.send(answer)
        except Exception as exc:  # an answer or exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        if answer[0] == "error" and isinstance(answer[1], MemoryError):
            return


def _read(conn: Any, inbox: queue.SimpleQueue) -> None:
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            task = None
        except Exception as exc:  # an item that does not unpickle here: its answer says why
            task = (_fail, (RuntimeError(f"{type(exc).__name__}: {exc}"),))
        inbox.put(task)
        if task is None:
            return


def _fail(exc: BaseException) -> None:
    raise exc
