"""The archive's tables in SQLAlchemy Core: the one schema for SQLite and PostgreSQL.

Reads (search, show, history, stats) query these tables directly, so a read command
never imports the ORM; storage/models.py maps its typed classes onto the same tables
for the writers. The watches' tables (storage/watch_models.py) are declared by their
models on this metadata: no read command queries them. Migrations in storage/migrations/ create exactly this schema; a test
compares the two.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

from crawler.vocab.sources import SOURCE_KINDS

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


class _PostgresType(TypeDecorator[Any]):
    """``impl`` on SQLite, a PostgreSQL type on PostgreSQL. The type is named, not imported:
    SQLAlchemy's PostgreSQL dialect costs a read on SQLite 20 ms of its start-up, and a
    PostgreSQL engine has it loaded already."""

    cache_ok = True
    postgres_type = ""

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects import postgresql

            return dialect.type_descriptor(getattr(postgresql, self.postgres_type)())
        return dialect.type_descriptor(self.impl_instance)


class JSONType(_PostgresType):
    """JSONB on PostgreSQL, so topics can be matched with @> (and indexed with GIN later)."""

    impl = JSON
    cache_ok = True
    postgres_type = "JSONB"


class SearchVector(_PostgresType):
    """The bigram tsvector on PostgreSQL; SQLite keeps its tokens in FTS5 and this column empty."""

    impl = Text
    cache_ok = True
    postgres_type = "TSVECTOR"


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


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def _required(name: str, type_: Any, *args: Any, **kw: Any) -> Column:
    """A NOT NULL column: what a typed model's non-Optional ``Mapped[...]`` made."""
    return Column(name, type_, *args, nullable=False, **kw)


def _counter(name: str) -> Column:
    return _required(name, Integer, default=0, server_default=text("0"))


source = Table(
    "source", metadata,
    Column("id", String(64), primary_key=True),
    _required("name", String(200)),
    _required("kind", String(16)),
    _required("family", String(32)),
    Column("region", String(100)),
    Column("base_url", Text),
    Column("schedule", String(100)),
    _required("enabled", Boolean, default=True),
    _required("created_at", UTCDateTime, default=utcnow),
    _required("updated_at", UTCDateTime, default=utcnow, onupdate=utcnow),
    one_of("kind", SOURCE_KINDS, "kind"),
)

crawl_run = Table(
    "crawl_run", metadata,
    Column("id", Integer, primary_key=True),
    _required("source_id", ForeignKey("source.id")),
    _required("trigger", String(16)),
    _required("started_at", UTCDateTime, default=utcnow),
    Column("finished_at", UTCDateTime),
    _required("status", String(16), default="running"),
    *(_counter(name) for name in RUN_COUNTERS),
    # Which process owns a running run: one whose process is gone is closed as interrupted.
    Column("pid", Integer),
    Column("host", String(255)),
    # {"counts": {kind: n}, "samples": [{"kind": ..., "message": ...}, ...]}
    Column("error_summary", JSONType),
    one_of("trigger", RUN_TRIGGERS, "trigger"),
    one_of("status", RUN_STATUSES, "status"),
    Index("ix_crawl_run_source_started", "source_id", "started_at"),
)

document = Table(
    "document", metadata,
    Column("id", Integer, primary_key=True),
    # Normalized 文号; UNIQUE admits any number of NULLs on both backends.
    Column("doc_number", String(100), unique=True),
    Column("doc_number_raw", String(200)),
    Column("title", Text),
    Column("agency", String(200)),
    Column("region", String(100)),
    Column("doc_type", String(32)),
    Column("status", String(32)),
    Column("signed_date", Date),
    Column("published_date", Date, index=True),
    Column("index_number", String(100)),
    Column("category", String(200)),
    _required("topics", JSONType, default=lambda: []),
    _required("first_seen", UTCDateTime),
    _required("last_seen", UTCDateTime),
    Column("authoritative_url", Text),
    Column("authoritative_source_id", ForeignKey("source.id")),
    Column("draft_of_id", ForeignKey("document.id", ondelete="SET NULL"), index=True),
    # document <-> version is a cycle: the constraint is added after both tables exist.
    Column("current_version_id", ForeignKey("version.id", use_alter=True, ondelete="SET NULL")),
    # Which source each metadata field came from ({"title": "gov-x", ...}), so a less
    # authoritative source never overwrites a better one's value.
    _required("field_sources", JSONType, default=lambda: {}),
    # The draft/final search walks the newest documents of one status (and agency), or
    # of one agency, in id order: the id is in each index for that order.
    Index("ix_document_status", "status", "id"),
    Index("ix_document_status_agency", "status", "agency", "id"),
    Index("ix_document_agency", "agency", "id"),
)

version = Table(
    "version", metadata,
    Column("id", Integer, primary_key=True),
    _required("document_id", ForeignKey("document.id", ondelete="CASCADE")),
    _required("text", Text),
    _required("text_hash", String(64), index=True),
    # MinHash hash values (little-endian uint32); NULL for texts too short to compare.
    Column("signature", LargeBinary),
    Column("signature_scheme", String(100)),
    _required("first_seen", UTCDateTime),
    _required("last_seen", UTCDateTime),
    _required("source_id", ForeignKey("source.id")),
    UniqueConstraint("document_id", "text_hash"),
)

# One LSH band of a version's signature: the near-duplicate index, in the database.
version_band = Table(
    "version_band", metadata,
    Column("version_id", ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
    Column("band_no", SmallInteger, primary_key=True),
    _required("band_hash", BigInteger),
    Index("ix_version_band_lookup", "band_no", "band_hash"),
)

# Raw bytes (a fetched page or file), stored once by their sha256, compressed. Three
# fetches of an unchanged page, or one attachment linked from five notices, are three
# captures or five attachments pointing at one blob. Written once, never updated.
blob = Table(
    "blob", metadata,
    Column("sha256", String(64), primary_key=True),  # of the raw bytes
    _required("codec", String(8)),  # "zlib" (room for "zstd" later)
    _required("size", Integer),  # of the raw bytes
    _required("data", LargeBinary),
)

capture = Table(
    "capture", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("crawl_run.id", ondelete="SET NULL"), index=True),
    _required("source_id", ForeignKey("source.id")),
    _required("url", Text, index=True),
    _required("final_url", Text),
    _required("fetched_at", UTCDateTime),
    # The last time a conditional re-check (HTTP 304) found this page unchanged: the URL
    # was seen then too, though nothing new was stored.
    Column("checked_at", UTCDateTime),
    _required("http_status", SmallInteger),
    Column("etag", String(200)),
    Column("last_modified", String(100)),
    Column("content_type", String(200)),
    Column("encoding", String(32)),
    # The body as fetched, in the content-addressed blob table.
    _required("sha256", ForeignKey("blob.sha256"), index=True),
    _required("raw_size", Integer),
    _required("part_no", SmallInteger, default=0),
    # Hash of the normalized text the page yielded (the same on every part of a page):
    # a copy recorded against another version is recognized on the next crawl by it.
    Column("text_hash", String(64), index=True),
    Column("version_id", ForeignKey("version.id", ondelete="SET NULL"), index=True),
    # A page kept raw without extraction: "parse" (extraction raised) or "too_large";
    # NULL for a page extracted normally. Such captures are retried by the next crawl.
    Column("error_kind", String(24), index=True),
    Column("error", Text),
    # A page's earlier captures by (source, part, URL) or final URL: per-page lookups
    # that must not visit every capture of the source. The first also serves filters
    # by source alone and the known-pages walk of a source in URL order.
    Index("ix_capture_source_page_url", "source_id", "part_no", "url"),
    Index("ix_capture_source_page_final_url", "source_id", "part_no", "final_url"),
)

citation = Table(
    "citation", metadata,
    Column("id", Integer, primary_key=True),
    _required("document_id", ForeignKey("document.id", ondelete="CASCADE")),
    _required("cited_number", String(100), index=True),
    Column("cited_document_id", ForeignKey("document.id", ondelete="SET NULL"), index=True),
    UniqueConstraint("document_id", "cited_number"),
)

# A file linked from a notice (附件), kept raw with the text read from it. Tied to the
# version whose page linked it: a notice whose attachment changes gets the new file on
# its new version, and the old file stays with the old one.
attachment = Table(
    "attachment", metadata,
    Column("id", Integer, primary_key=True),
    _required("document_id", ForeignKey("document.id", ondelete="CASCADE"), index=True),
    _required("version_id", ForeignKey("version.id", ondelete="CASCADE"), index=True),
    _required("url", Text),
    Column("name", String(500)),
    _required("kind", String(16)),
    Column("content_type", String(200)),
    _required("http_status", SmallInteger),
    _required("fetched_at", UTCDateTime),
    _required("sha256", ForeignKey("blob.sha256"), index=True),
    _required("raw_size", Integer),
    Column("text", Text),
    Column("error", String(300)),  # why no text could be read
    UniqueConstraint("version_id", "url", "sha256"),
)

# One URL that failed in a run: its kind (crawler/vocab/failures.py), attempts, last message.
run_failure = Table(
    "run_failure", metadata,
    Column("id", Integer, primary_key=True),
    _required("run_id", ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True),
    _required("url", Text),
    _required("kind", String(24)),
    Column("role", String(16)),  # listing | detail | attachment | ...
    _required("attempts", Integer, default=1),
    _required("message", Text),
    _required("first_at", UTCDateTime, default=utcnow),
    _required("last_at", UTCDateTime, default=utcnow),
    UniqueConstraint("run_id", "url", "kind"),
)

# The frontier of one listing of a source: how far its last walk got. The incremental
# early stop ("a page of known notices: stop") is only safe once a walk of this listing
# has completed; after an interrupted or failed walk the next one goes at least as deep
# as ``reached`` before the early stop applies again.
listing_walk = Table(
    "listing_walk", metadata,
    Column("source_id", ForeignKey("source.id"), primary_key=True),
    Column("listing", String(500), primary_key=True),  # its first page's URL
    _required("state", String(16)),
    # The deepest listing page (0-based) the unfinished walk asked for.
    _required("reached", Integer, default=0),
    Column("next_url", Text),
    Column("completed_at", UTCDateTime),
    Column("run_id", ForeignKey("crawl_run.id", ondelete="SET NULL")),
    _required("updated_at", UTCDateTime, default=utcnow),
    one_of("state", WALK_STATES, "state"),
)

# What the full-text index holds for one document (storage/search_index.py keeps it).
# ``rank_key`` orders documents by authority, then publication date (the window a broad
# query is ranked in) and is the document's row in the SQLite FTS5 table; the inputs
# indexed are kept so the FTS5 row can be deleted exactly when the document changes.
# On PostgreSQL ``tsv`` holds the bigram tsvector (GIN-indexed by the migration).
search_entry = Table(
    "search_entry", metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    _required("rank_key", BigInteger, unique=True),
    _required("seq", BigInteger, unique=True),
    _required("tier", SmallInteger),
    Column("version_id", Integer),
    _required("body_hash", String(64)),
    Column("title", Text),
    Column("doc_number", String(100)),
    Column("region", String(100)),
    Column("agency", String(200)),
    _required("tags", Text),
    Column("tsv", SearchVector),
)

# Tiers (search_entry.tier): a document with no metadata at all (spam and bare copies), one
# with metadata known only from copies (aggregators, document-sharing sites), one a
# government site publishes.
TIER_BARE, TIER_COPY, TIER_GOV = 0, 1, 2
# How much of its relevance a document of each tier keeps in the ranking.
TIER_FACTOR = {TIER_BARE: 0.3, TIER_COPY: 0.7, TIER_GOV: 1.0}

# The index's tables outside this metadata, made per backend by migration 0005: SQLite's
# contentless FTS5 table (its rowid search_entry.rank_key) and PostgreSQL's GIN index.
FTS_TABLE = "search_fts"
FTS_COLUMNS = ("title", "doc_number", "body", "chars", "region", "agency", "tags")
PG_GIN_INDEX = "ix_search_entry_tsv"

# An FTS5 row left behind when a document's indexed text could not be reproduced to
# delete it (a version's text replaced in place): searches skip it, reindex clears it.
search_ghost = Table(
    "search_ghost", metadata,
    Column("rank_key", BigInteger, primary_key=True, autoincrement=False),
)
