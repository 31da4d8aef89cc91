"""Ingest locks on PostgreSQL: one advisory lock per identity a page could share.

Ingest decides a page's Document by what it shares with pages already archived: its
文号, its URL, its exact text, and its MinHash bands (the near-duplicate lookup only
ever finds versions sharing a band). Two pages that could decide on each other share
one of those keys; two that share none cannot, even one after the other. So a
transaction locks exactly these keys (``pg_advisory_xact_lock``, released at commit)
before it looks anything up: writers of unrelated notices run side by side, writers
that could merge run one after the other and the second sees the first's rows.

The keys are locked in one statement in sorted order, so two transactions never hold
one key each while waiting for the other's (no deadlock between ingests). What the
locks cannot order (two workers inserting the same Source row, a deadlock with the
run-counter row) ends in a unique violation or a deadlock error: the transaction is
rolled back and run again, and the second time it sees the other's committed rows.
SQLite needs none of this: its write transactions already run one at a time.
"""
from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.db import Archive

T = TypeVar("T")

# unique_violation, serialization_failure, deadlock_detected: a rerun can succeed.
RETRY_SQLSTATES = {"23505", "40001", "40P01"}
ATTEMPTS = 5

_LOCK_MANY = text(
    "SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS t(k, n) ORDER BY n"
)


def lock_id(key: str) -> int:
    """A key's advisory lock id: a signed 64-bit hash (what pg_advisory_xact_lock takes)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8, person=b"pa-ingest").digest()
    return int.from_bytes(digest, "big", signed=True)


def identity_keys(
    doc_number: str | None = None,
    urls: Iterable[str] = (),
    text_hash: str | None = None,
    bands: Iterable[tuple[int, int]] = (),
    cited_numbers: Iterable[str | None] = (),
) -> list[str]:
    """The lock keys of a page. A cited 文号 is locked like the page's own: the page
    that gives a document that number resolves the citations waiting for it."""
    keys = {f"url:{u}" for u in urls if u}
    keys.update(f"no:{n}" for n in (doc_number, *cited_numbers) if n)
    if text_hash:
        keys.add(f"text:{text_hash}")
    keys.update(f"band:{no}:{h}" for no, h in bands)
    return sorted(keys)


def take_locks(session: "Session", keys: "bool | Iterable[str]", global_id: int) -> None:
    """Lock these keys for the rest of the transaction (``True``: the one global lock)."""
    ids = [global_id] if keys is True else sorted({lock_id(k) for k in keys})
    if ids:
        session.execute(_LOCK_MANY, {"ids": ids})


def _retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRY_SQLSTATES


def run_locked(archive: "Archive", keys: list[str], work: Callable[["Session"], T], attempts: int = ATTEMPTS) -> T:
    """``work(session)`` in one write transaction holding these keys' locks, run again
    (in a new transaction) when PostgreSQL reports a unique violation or a deadlock."""
    for attempt in range(attempts):
        try:
            # An empty key list still has to serialize against nothing: no locks at all.
            with archive.transaction(serialize=keys or False) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt + 1 == attempts or not _retryable(exc):
                raise
            # Jitter, so two writers that collided do not collide again in step.
            time.sleep(random.uniform(0.005, 0.02 * 2**attempt))
    raise AssertionError("unreachable")
