"""The tables of watches (saved searches that notify): the watch itself and its outbox.

A match is written to the outbox in the transaction that moves the watch's high-water
mark, and marked sent only after delivery: a crash in between leaves it pending (sent
by the next run), never lost and never sent twice. One row per (watch, document,
version): matching the same version again cannot enqueue it again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.model_base import Base, JSONType, UTCDateTime, one_of, utcnow

DIGEST_MODES = ("daily",)
OUTBOX_KINDS = ("new", "revised")


class Watch(Base):
    __tablename__ = "watch"
    __table_args__ = (one_of("digest", DIGEST_MODES, "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    query: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict] = mapped_column(JSONType, default=dict)  # Filters.to_dict()
    notify: Mapped[list] = mapped_column(JSONType, default=list)  # apprise URLs
    digest: Mapped[str | None] = mapped_column(String(16))  # None: a message per notice
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Version ids: the archive's newest when the watch was made (documents older than it
    # are never "new" to it), and the newest it has looked at since.
    start_version_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_version_id: Mapped[int] = mapped_column(Integer, default=0)
    # Delivery trouble: failed attempts in a row (0 after a success), the last message.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Outbox(Base):
    """One notification owed: a document new to the watch, or a revision of one it was told."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("watch_id", "document_id", "version_id"),
        one_of("kind", OUTBOX_KINDS, "kind"),
        Index("ix_outbox_pending", "sent_at", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watch.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSONType)  # what the message says, fixed when matched
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When to try again (after a failure: backoff; while a sender holds it: its lease).
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # "host:pid" of the process sending it now: a lease a dead process held is taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    # Keys of the notify URLs that already have it, so a retry after one target failed
    # sends only to the targets that did not get it.
    delivered: Mapped[list] = mapped_column(JSONType, default=list)
