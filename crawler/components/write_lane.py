"""The run recorder's archive writes, off the reactor thread, one at a time, in order.

A listing page walked, a failed fetch, a dropped duplicate: each is a small transaction,
and on the reactor thread each would stall every download while it waits for the
database (SQLite's write lock, held by the pipeline's page writes; PostgreSQL's round
trips and commit). One worker thread keeps them in the order they happened, which the
listing frontier needs (a walk's depth only grows); closing the lane waits for what is
still queued, so a run is closed only after everything it recorded is written.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


class WriteLane:
    def __init__(self, name: str = "run-journal") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``fn`` after every write submitted before it; after ``close``, right here."""
        if self._closed:
            _logged(fn, args, kwargs)
            return
        self._pool.submit(_logged, fn, args, kwargs)

    def close(self) -> None:
        """Wait for every queued write; later ones run in the caller's thread."""
        self._closed = True
        self._pool.shutdown(wait=True)


def _logged(fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    # One failed write must not stop those queued after it (nor vanish unseen).
    try:
        fn(*args, **kwargs)
    except Exception:
        log.exception("run journal write failed: %s", getattr(fn, "__qualname__", fn))
