"""The archive's tables, as SQLAlchemy 2.0 typed models (one schema for SQLite and PostgreSQL).

Migrations in storage/migrations/ create exactly this schema; a test compares the two.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from crawler.vocab.sources import SOURCE_KINDS
from storage.model_base import Base, JSONType, UTCDateTime, one_of, utcnow

RUN_TRIGGERS = ("schedule", "cli")
# partial: the run archived pages but some URLs failed; failed: it got nothing it expected.
RUN_STATUSES = ("running", "ok", "partial", "failed", "interrupted")
# The one list of run counters (runner, run summaries and the migration's columns use it).
# Every page a run drops is counted under its reason: offtopic, duplicates, robots, errors.
RUN_COUNTERS = (
    "requests",
    "pages",
    "new_documents",
    "new_versions",
    "unchanged",
    "offtopic",
    "errors",
    "robots",
    "duplicates",
)
WALK_STATES = ("walking", "complete")


# Row ids are 64-bit signed integers on both backends (SQLite's INTEGER): a larger number
# typed by a user names no row, and SQLite's driver would raise OverflowError on it.
MAX_ROW_ID = 2**63 - 1


def is_row_id(value: int) -> bool:
    return 0 < value <= MAX_ROW_ID


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (one_of("kind", SOURCE_KINDS, "kind"),)

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
        one_of("trigger", RUN_TRIGGERS, "trigger"),
        one_of("status", RUN_STATUSES, "status"),
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
    robots: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    duplicates: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Which process owns a running run: one whose process is gone is closed as interrupted.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    # {"counts": {kind: n}, "samples": [{"kind": ..., "message": ...}, ...]}
    error_summary: Mapped[dict | None] = mapped_column(JSONType)


class Document(Base):
    __tablename__ = "document"
    # The draft/final search walks the newest documents of one status (and agency), or
    # of one agency, in id order: the id is in each index for that order.
    __table_args__ = (
        Index("ix_document_status", "status", "id"),
        Index("ix_document_status_agency", "status", "agency", "id"),
        Index("ix_document_agency", "agency", "id"),
    )

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


class Blob(Base):
    """Raw bytes (a fetched page or file), stored once by their sha256, compressed.

    Three fetches of an unchanged page, or one attachment linked from five notices, are
    three captures or five attachments pointing at one blob. Written once, never updated.
    """

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)  # of the raw bytes
    codec: Mapped[str] = mapped_column(String(8))  # "zlib" (room for "zstd" later)
    size: Mapped[int] = mapped_column(Integer)  # of the raw bytes
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Capture(Base):
    __tablename__ = "capture"
    # A page's earlier captures by (source, part, URL) or final URL: per-page lookups
    # that must not visit every capture of the source. The first also serves filters
    # by source alone and the known-pages walk of a source in URL order.
    __table_args__ = (
        Index("ix_capture_source_page_url", "source_id", "part_no", "url"),
        Index("ix_capture_source_page_final_url", "source_id", "part_no", "final_url"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_run.id", ondelete="SET NULL"), index=True
    )
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    url: Mapped[str] = mapped_column(Text, index=True)
    final_url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The last time a conditional re-check (HTTP 304) found this page unchanged: the URL
    # was seen then too, though nothing new was stored.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    http_status: Mapped[int] = mapped_column(SmallInteger)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    content_type: Mapped[str | None] = mapped_column(String(200))
    encoding: Mapped[str | None] = mapped_column(String(32))
    # The body as fetched, in the content-addressed blob table.
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    raw_size: Mapped[int] = mapped_column(Integer)
    part_no: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Hash of the normalized text the page yielded (the same on every part of a page):
    # a copy recorded against another version is recognized on the next crawl by it.
    text_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", ondelete="SET NULL"), index=True
    )
    # A page kept raw without extraction: "parse" (extraction raised) or "too_large";
    # NULL for a page extracted normally. Such captures are retried by the next crawl.
    error_kind: Mapped[str | None] = mapped_column(String(24), index=True)
    error: Mapped[str | None] = mapped_column(Text)


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
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    raw_size: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(300))  # why no text could be read


class RunFailure(Base):
    """One URL that failed in a run: its kind (crawler/vocab/failures.py), attempts, last message."""

    __tablename__ = "run_failure"
    __table_args__ = (UniqueConstraint("run_id", "url", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(24))
    role: Mapped[str | None] = mapped_column(String(16))  # listing | detail | attachment | ...
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ListingWalk(Base):
    """The frontier of one listing of a source: how far its last walk got.

    The incremental early stop ("a page of known notices: stop") is only safe once a
    walk of this listing has completed; after an interrupted or failed walk the next one
    goes at least as deep as ``reached`` before the early stop applies again.
    """

    __tablename__ = "listing_walk"
    __table_args__ = (one_of("state", WALK_STATES, "state"),)

    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), primary_key=True)
    listing: Mapped[str] = mapped_column(String(500), primary_key=True)  # its first page's URL
    state: Mapped[str] = mapped_column(String(16))
    # The deepest listing page (0-based) the unfinished walk asked for.
    reached: Mapped[int] = mapped_column(Integer, default=0)
    next_url: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


# Watches and their outbox are tables of the same archive (one metadata for Alembic and
# the schema test); their models live in a module of their own.
from storage.watch_models import Outbox, Watch  # noqa: E402, F401
