"""Several pages' writes in one transaction, each page still all or nothing.

A crawl's archive writer commits per page otherwise, and a commit (with its BEGIN, on
SQLite the WAL append) was a tenth of the crawl process's CPU. ``WriteGroup`` stands in
for the Archive where ingest, ``record_offtopic``, ``record_unextracted`` and
``mark_unchanged`` take one: each ``transaction()`` is a SAVEPOINT inside one open
transaction, so a page that fails rolls back alone, and the pages before it stay.

The caller bounds how long the transaction stays open: it commits when no next page is
ready to be written (crawler/components/pipelines.py), and the group commits by itself
after ``max_pages`` pages or ``max_seconds``. A kill before the commit loses the group's
pages whole, each with its run counters (counted in the same transaction), as a kill
before a page's own commit lost that page.

While the group is open it holds SQLite's write lock (and on PostgreSQL the identity
locks its pages took): another connection's write waits for the commit, which is why
the bounds are small and why a caller must commit before writing through the Archive
itself in the same thread.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransaction

from storage.db import PG_LOCK_KEY, Archive

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 16
DEFAULT_MAX_SECONDS = 0.5


class WriteGroup:
    def __init__(self, archive: Archive, max_pages: int = DEFAULT_MAX_PAGES,
                 max_seconds: float = DEFAULT_MAX_SECONDS) -> None:
        self.archive = archive
        self.max_pages = max(1, max_pages)
        self.max_seconds = max_seconds
        self.pages = 0  # written into the open transaction
        self.written = 0  # pages committed, all groups
        self.commits = 0
        self._session: Session | None = None
        self._outer: SessionTransaction | None = None
        self._opened = 0.0

    # What ingest and its neighbours read off an Archive besides transaction().
    @property
    def dialect(self) -> str:
        return self.archive.dialect

    @property
    def url(self) -> str:
        return self.archive.url

    def session(self) -> Session:
        return self.archive.session()

    @contextmanager
    def transaction(self, serialize: bool | Iterable[str] = False) -> Iterator[Session]:
        """One page's write: a SAVEPOINT in the group's transaction (``serialize`` as for
        ``Archive.transaction``: the PostgreSQL locks are held to the group's commit)."""
        session = self._open()
        try:
            with session.begin_nested():
                if serialize and self.archive.dialect == "postgresql":
                    from storage.locks import take_locks

                    take_locks(session, serialize, PG_LOCK_KEY)
                yield session
        except DBAPIError:
            # The page's savepoint is rolled back. A deadlock or a unique violation can
            # involve what the group's earlier pages hold or made: commit those now, so
            # the caller's retry (storage/locks.py) starts in a transaction of its own.
            self.commit()
            raise
        self.pages += 1
        if self.pages >= self.max_pages or time.monotonic() - self._opened >= self.max_seconds:
            self.commit()

    def commit(self) -> None:
        """Commit the open transaction, if any. A commit that fails loses the group's pages
        (with their counters): logged with how many, and raised."""
        session, outer, pages = self._session, self._outer, self.pages
        if session is None or outer is None:
            return
        self._session = self._outer = None
        self.pages = 0
        try:
            outer.commit()
            self.commits += 1
            self.written += pages
        except Exception:
            log.exception("archive commit of %d page(s) failed; they were not archived", pages)
            raise
        finally:
            session.close()

    def _open(self) -> Session:
        if self._session is None:
            self._session = self.archive.write_session()
            self._outer = self._session.begin()
            self._opened = time.monotonic()
        return self._session

    def __enter__(self) -> "WriteGroup":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.commit()
