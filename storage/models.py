"""The archive's tables, as SQLAlchemy 2.0 typed models (one schema for SQLite and PostgreSQL).

Migrations in storage/migrations/ create exactly this schema; a test compares the two.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SOURCE_KINDS = ("gov", "aggregator", "docshare")
RUN_TRIGGERS = ("schedule", "cli")
RUN_STATUSES = ("running", "ok", "failed", "interrupted")
RUN_COUNTERS = (
    "requests",
    "pages",
    "new_documents",
    "new_versions",
    "unchanged",
    "offtopic",
    "errors",
)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always an aware UTC datetime in Python.

    SQLite keeps no time zone and hands back naive values; comparing those with the
    aware ones the crawler produces would raise, so both directions go through UTC.
    Naive input is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# JSONB on PostgreSQL so topics can be matched with @> (and indexed with GIN later).
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    # Named constraints, so later migrations can drop or alter them on both backends.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (_one_of("kind", SOURCE_KINDS, "kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    family: Mapped[str] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(100))
    base_url: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[str | None] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_run"
    __table_args__ = (
        _one_of("trigger", RUN_TRIGGERS, "trigger"),
        _one_of("status", RUN_STATUSES, "status"),
        Index("ix_crawl_run_source_started", "source_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    trigger: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    requests: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    pages: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    new_documents: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    new_versions: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    unchanged: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    offtopic: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    errors: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # {"counts": {kind: n}, "samples": [{"kind": ..., "message": ...}, ...]}
    error_summary: Mapped[dict | None] = mapped_column(JSONType)


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Normalized 文号; UNIQUE admits any number of NULLs on both backends.
    doc_number: Mapped[str | None] = mapped_column(String(100), unique=True)
    doc_number_raw: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    doc_type: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(32))
    signed_date: Mapped[date | None] = mapped_column(Date)
    published_date: Mapped[date | None] = mapped_column(Date, index=True)
    index_number: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(200))
    topics: Mapped[list] = mapped_column(JSONType, default=lambda: [])
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    authoritative_url: Mapped[str | None] = mapped_column(Text)
    authoritative_source_id: Mapped[str | None] = mapped_column(ForeignKey("source.id"))
    draft_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    # document <-> version is a cycle: the constraint is added after both tables exist.
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", use_alter=True, ondelete="SET NULL")
    )
    # Which source each metadata field came from ({"title": "gov-x", ...}), so a less
    # authoritative source never overwrites a better one's value.
    field_sources: Mapped[dict] = mapped_column(JSONType, default=lambda: {})


class Version(Base):
    __tablename__ = "version"
    __table_args__ = (UniqueConstraint("document_id", "text_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    # MinHash hash values (little-endian uint32); NULL for texts too short to compare.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_scheme: Mapped[str | None] = mapped_column(String(100))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))


class VersionBand(Base):
    """One LSH band of a version's signature: the near-duplicate index, in the database."""

    __tablename__ = "version_band"
    __table_args__ = (Index("ix_version_band_lookup", "band_no", "band_hash"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), primary_key=True
    )
    band_no: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    band_hash: Mapped[int] = mapped_column(BigInteger)


class Capture(Base):
    __tablename__ = "capture"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_run.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    url: Mapped[str] = mapped_column(Text, index=True)
    final_url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    http_status: Mapped[int] = mapped_column(SmallInteger)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(200))
    encoding: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    raw_codec: Mapped[str] = mapped_column(String(8))  # "zlib" (room for "zstd" later)
    raw_size: Mapped[int] = mapped_column(Integer)
    part_no: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Hash of the normalized text the page yielded (the same on every part of a page):
    # a copy recorded against another version is recognized on the next crawl by it.
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", ondelete="SET NULL"), index=True
    )


class Citation(Base):
    __tablename__ = "citation"
    __table_args__ = (UniqueConstraint("document_id", "cited_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    cited_number: Mapped[str] = mapped_column(String(100), index=True)
    cited_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )


class Attachment(Base):
    """A file linked from a notice (附件), kept raw with the text read from it.

    Tied to the Version whose page linked it: a notice whose attachment changes
    gets the new file on its new version, and the old file stays with the old one.
    """

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("version_id", "url", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str | None] = mapped_column(String(200))
    http_status: Mapped[int] = mapped_column(SmallInteger)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    raw_codec: Mapped[str] = mapped_column(String(8))
    raw_size: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(300))  # why no text could be read


class SearchEntry(Base):
    """What the full-text index holds for one document (storage/search_index.py keeps it).

    ``rank_key`` orders documents by authority, then publication date (the window a broad
    query is ranked in) and is the document's row in the SQLite FTS5 table; the inputs
    indexed are kept so the FTS5 row can be deleted exactly when the document changes.
    On PostgreSQL ``tsv`` holds the bigram tsvector (GIN-indexed by the migration).
    """

    __tablename__ = "search_entry"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    rank_key: Mapped[int] = mapped_column(BigInteger, unique=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    tier: Mapped[int] = mapped_column(SmallInteger)
    version_id: Mapped[int | None] = mapped_column(Integer)
    body_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    agency: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[str] = mapped_column(Text)
    tsv: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))


class SearchGhost(Base):
    """An FTS5 row left behind when a document's indexed text could not be reproduced to
    delete it (a version's text replaced in place): searches skip it, reindex clears it."""

    __tablename__ = "search_ghost"

    rank_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
