"""The outbox: notifications owed, taken by one sender at a time, marked sent after delivery.

A sender claims rows first (its "host:pid" and a lease in ``next_try_at``), in one
transaction, by compare-and-set: two senders never take one row. A row whose sender died
(its process gone, on this host) is taken again at once, one a sender on another host
holds once its lease has run out; a row whose delivery failed waits for its backoff. A daily digest's rows are taken together, once the
UTC day they were matched on has ended.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, select, update

from storage.crawl_runs import process_gone, this_process
from storage.db import Archive
from storage.models import Outbox, Watch, utcnow

LEASE = timedelta(minutes=30)  # for senders on other hosts, whose processes cannot be asked
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)


@dataclass
class Batch:
    """Rows one message carries (one notice, or a digest's day), and where it goes."""

    watch_id: int
    watch_name: str
    notify: list[str]
    digest: str | None
    rows: list[Outbox]

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.rows]

    @property
    def delivered(self) -> set[str]:
        """Targets every row of the batch already reached (a retry skips them)."""
        sets = [set(r.delivered or []) for r in self.rows]
        return set.intersection(*sets) if sets else set()


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 1 min, doubling, at most 6 h."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def day_start(now: datetime) -> datetime:
    return now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def _takeable(row: Outbox, now: datetime) -> bool:
    if row.claimed_by:
        host, _, pid = row.claimed_by.rpartition(":")
        if host == this_process()[0] and pid.isdigit():
            # A sender on this host is asked, not timed: alive, it may still be sending
            # (a long batch outlives any lease); gone, its rows are free at once.
            return process_gone(host, int(pid))
    return row.next_try_at is None or row.next_try_at <= now


def claim_due(archive: Archive, now: datetime | None = None) -> list[Batch]:
    """Take every row due now, grouped into the messages that carry them."""
    now = now or utcnow()
    host, pid = this_process()
    me = f"{host}:{pid}"
    batches: list[Batch] = []
    with archive.transaction() as session:
        watches = {w.id: w for w in session.scalars(select(Watch))}
        candidates = session.scalars(
            select(Outbox).where(Outbox.sent_at.is_(None),
                                 or_(Outbox.next_try_at.is_(None), Outbox.next_try_at <= now,
                                     Outbox.claimed_by.is_not(None)))
            .order_by(Outbox.id)
        ).all()
        by_watch: dict[int, list[Outbox]] = {}
        for row in candidates:
            watch = watches.get(row.watch_id)
            if watch is None or not _takeable(row, now):
                continue
            if watch.digest == "daily" and row.created_at >= day_start(now):
                continue  # today's matches wait for the day's digest
            # Compare-and-set on what was read: another sender's claim in between wins.
            taken = session.execute(
                update(Outbox).where(Outbox.id == row.id, Outbox.sent_at.is_(None),
                                     Outbox.claimed_by.is_not_distinct_from(row.claimed_by),
                                     Outbox.next_try_at.is_not_distinct_from(row.next_try_at))
                .values(claimed_by=me, next_try_at=now + LEASE)
            ).rowcount
            if taken == 1:
                by_watch.setdefault(row.watch_id, []).append(row)
        for watch_id, rows in by_watch.items():
            watch = watches[watch_id]
            groups = [rows] if watch.digest else [[r] for r in rows]
            batches += [Batch(watch_id, watch.name, list(watch.notify or []), watch.digest, g) for g in groups]
        session.expunge_all()
    return batches


def mark_delivered(archive: Archive, batch: Batch, target: str) -> None:
    """One target has the batch's message: a retry will not send it there again."""
    with archive.transaction() as session:
        for row in session.scalars(select(Outbox).where(Outbox.id.in_(batch.ids))):
            if target not in (row.delivered or []):
                row.delivered = [*(row.delivered or []), target]


def mark_sent(archive: Archive, batch: Batch, now: datetime | None = None) -> None:
    now = now or utcnow()
    with archive.transaction() as session:
        session.execute(update(Outbox).where(Outbox.id.in_(batch.ids))
                        .values(sent_at=now, claimed_by=None, next_try_at=None, last_error=None,
                                attempts=Outbox.attempts + 1))
        session.execute(update(Watch).where(Watch.id == batch.watch_id).values(failures=0, last_sent_at=now))


def mark_failed(archive: Archive, batch: Batch, error: str, now: datetime | None = None) -> None:
    """Delivery failed: try again after a backoff, and say so on the watch."""
    now = now or utcnow()
    with archive.transaction() as session:
        for row in session.scalars(select(Outbox).where(Outbox.id.in_(batch.ids))):
            row.attempts += 1
            row.next_try_at = now + backoff(row.attempts)
            row.claimed_by = None
            row.last_error = error
        session.execute(update(Watch).where(Watch.id == batch.watch_id)
                        .values(failures=Watch.failures + 1, last_error=error, last_error_at=now))
