"""The archive pipeline's page writes: in the order they were queued, one thread at a
time, the pages that are waiting written together in one transaction (each page in a
savepoint of its own: storage/write_group.py).

A write is queued once its page's turn has come (crawler/components/pipelines.py), and a
drain runs in the reactor's thread pool while anything is queued: it takes what is
waiting (at most ``max_pages``), writes each page, commits, and only then answers each
page's Deferred. So a page the crawl reports as done is committed, and the transaction
opens and commits inside one thread call: it never stays open across reactor turns,
which the reactor thread's own archive writes (closing a run) would otherwise wait on
while the transaction waited on the reactor. When pages arrive slower than they are
written, each goes alone, as before; under load they go in groups.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from twisted.internet import defer, reactor
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

log = logging.getLogger(__name__)


class PageWriter:
    def __init__(self, write: Callable[..., None], commit: Callable[[], None], max_pages: int) -> None:
        self._write = write  # one page's write (its errors are its own to record)
        self._commit = commit  # commits what the writes left open; raises nothing
        self.max_pages = max(1, max_pages)
        self._pending: deque[tuple[tuple[Any, ...], defer.Deferred]] = deque()
        self._lock = threading.Lock()
        self._draining = False

    def put(self, *args: Any) -> defer.Deferred:
        """Queue ``write(*args)`` (on the reactor thread); fires once it is committed."""
        done: defer.Deferred = defer.Deferred()
        with self._lock:
            self._pending.append((args, done))
            start, self._draining = not self._draining, True
        if start:
            deferToThread(self._drain).addErrback(lambda f: log.error("page writer stopped: %s", f.getTraceback()))
        return done

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._draining = False
                    return
                batch = [self._pending.popleft() for _ in range(min(len(self._pending), self.max_pages))]
            answers: list[tuple[defer.Deferred, Failure | None]] = []
            for args, done in batch:
                try:
                    self._write(*args)
                    answers.append((done, None))
                except BaseException:  # noqa: BLE001 - the page's own Deferred carries it
                    answers.append((done, Failure()))
            self._commit()
            for done, failure in answers:
                if failure is None:
                    reactor.callFromThread(done.callback, None)
                else:
                    reactor.callFromThread(done.errback, failure)
