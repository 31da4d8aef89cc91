"""Delivery of the outbox through apprise: one message per notice (or per day for a
digest watch) to each of the watch's notify URLs, marked sent after delivery.

Each target is sent to on its own and recorded as it succeeds, so a retry after one
target failed reaches only the ones still missing it. The one window where a message can
go out twice is between a target accepting it and that record being written (a crash of
this process in those milliseconds); a crash anywhere else loses nothing and repeats
nothing.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Archive
from storage.outbox import Batch, claim_due, mark_delivered, mark_failed, mark_sent

MAX_ERROR_CHARS = 500


class NotifyUrlError(ValueError):
    """A notify URL apprise does not understand (one line for the user)."""


@dataclass
class DeliveryReport:
    sent: int = 0  # messages delivered to every target
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": self.failed, "errors": self.errors}


def target_key(url: str) -> str:
    """How a target is recorded on a row: a hash, so the outbox holds no password."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def check_notify_url(url: str) -> None:
    import apprise

    if not apprise.Apprise().add(url):
        raise NotifyUrlError(f"--notify: not a notification URL apprise knows: {url.split('://')[0]}://…")


def send(url: str, title: str, body: str) -> str | None:
    """Send one message to one apprise URL; None when delivered, else why not (one line).

    apprise answers False on failure and says why only in its log: the log of the call
    is captured and its last warning is the reason.
    """
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return f"not a notification URL apprise knows: {url.split('://')[0]}://…"
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        # apprise's services time out themselves (connect and read, a few seconds each).
        ok = sender.notify(body=body, title=title)
    if ok:
        return None
    lines = [line.strip() for line in log.getvalue().splitlines() if line.strip()]
    return (lines[-1] if lines else "delivery failed (apprise gave no reason)")[:MAX_ERROR_CHARS]


def _notice_lines(p: dict[str, Any]) -> list[str]:
    head = " ".join(x for x in (p.get("doc_number"), p.get("title") or "(untitled)") if x)
    lines = [("revised: " if p.get("kind") == "revised" else "") + head]
    facts = [f"{k}: {p[k]}" for k in ("agency", "region", "published_date") if p.get(k)]
    if facts:
        lines.append("; ".join(facts))
    if p.get("changed"):
        lines.append(f"changed: {p['changed']}")
    if p.get("url"):
        lines.append(p["url"])
    return lines


def compose(batch: Batch) -> tuple[str, str]:
    """(title, body) of the batch's message."""
    payloads = [r.payload for r in batch.rows]
    if batch.digest:
        day = min(r.created_at for r in batch.rows).date().isoformat()
        title = f"[{batch.watch_name}] {len(payloads)} notices ({day})"
        body = "\n\n".join("\n".join(_notice_lines(p)) for p in payloads)
        return title, body
    p = payloads[0]
    kind = "revised" if p.get("kind") == "revised" else "new"
    title = f"[{batch.watch_name}] {kind}: " + " ".join(x for x in (p.get("doc_number"), p.get("title")) if x)
    return title, "\n".join(_notice_lines(p))


def _deliver(archive: Archive, batch: Batch) -> list[str]:
    """Send the batch to each target that does not have it yet; the errors."""
    title, body = compose(batch)
    done = batch.delivered
    errors = []
    for url in batch.notify:
        key = target_key(url)
        if key in done:
            continue
        error = send(url, title, body)
        if error is None:
            mark_delivered(archive, batch, key)
        else:
            errors.append(error)
    return errors


def deliver_pending(archive: Archive, now: datetime | None = None) -> DeliveryReport:
    """Send every message due now; each batch is marked sent once all its targets have it."""
    report = DeliveryReport()
    for batch in claim_due(archive, now):
        try:
            errors = _deliver(archive, batch)
        except Exception as exc:  # a bug or a lost database: the rows must not stay claimed
            errors = [f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]]
        if errors:
            mark_failed(archive, batch, "; ".join(errors), now)
            report.failed += 1
            report.errors.append(f"{batch.watch_name}: {'; '.join(errors)}")
        else:
            mark_sent(archive, batch, now)
            report.sent += bool(batch.notify)  # a feed-only watch's rows are told, not sent
    return report
