"""The archive's typed ORM classes, for the writers: each maps one table of storage/tables.py.

The schema lives once, in Core (storage/tables.py), so that reads need not import the
ORM; the annotations here give each row attribute its type.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped

from storage import tables
from storage.model_base import Base
from storage.tables import (  # noqa: F401  (the run constants and helpers, where writers find them)
    MAX_ROW_ID,
    RUN_COUNTERS,
    RUN_STATUSES,
    RUN_TRIGGERS,
    WALK_STATES,
    JSONType,
    UTCDateTime,
    is_row_id,
    utcnow,
)


class Source(Base):
    __table__ = tables.source

    id: Mapped[str]
    name: Mapped[str]
    kind: Mapped[str]
    family: Mapped[str]
    region: Mapped[str | None]
    base_url: Mapped[str | None]
    schedule: Mapped[str | None]
    enabled: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CrawlRun(Base):
    __table__ = tables.crawl_run

    id: Mapped[int]
    source_id: Mapped[str]
    trigger: Mapped[str]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str]
    requests: Mapped[int]
    pages: Mapped[int]
    new_documents: Mapped[int]
    new_versions: Mapped[int]
    unchanged: Mapped[int]
    offtopic: Mapped[int]
    errors: Mapped[int]
    robots: Mapped[int]
    duplicates: Mapped[int]
    pid: Mapped[int | None]
    host: Mapped[str | None]
    error_summary: Mapped[dict | None]


class Document(Base):
    __table__ = tables.document

    id: Mapped[int]
    doc_number: Mapped[str | None]
    doc_number_raw: Mapped[str | None]
    title: Mapped[str | None]
    agency: Mapped[str | None]
    region: Mapped[str | None]
    doc_type: Mapped[str | None]
    status: Mapped[str | None]
    signed_date: Mapped[date | None]
    published_date: Mapped[date | None]
    index_number: Mapped[str | None]
    category: Mapped[str | None]
    topics: Mapped[list]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    authoritative_url: Mapped[str | None]
    authoritative_source_id: Mapped[str | None]
    draft_of_id: Mapped[int | None]
    current_version_id: Mapped[int | None]
    field_sources: Mapped[dict]


class Version(Base):
    __table__ = tables.version

    id: Mapped[int]
    document_id: Mapped[int]
    text: Mapped[str]
    text_hash: Mapped[str]
    signature: Mapped[bytes | None]
    signature_scheme: Mapped[str | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    source_id: Mapped[str]


class VersionBand(Base):
    __table__ = tables.version_band

    version_id: Mapped[int]
    band_no: Mapped[int]
    band_hash: Mapped[int]


class Blob(Base):
    __table__ = tables.blob

    sha256: Mapped[str]
    codec: Mapped[str]
    size: Mapped[int]
    data: Mapped[bytes]


class Capture(Base):
    __table__ = tables.capture

    id: Mapped[int]
    run_id: Mapped[int | None]
    source_id: Mapped[str]
    url: Mapped[str]
    final_url: Mapped[str]
    fetched_at: Mapped[datetime]
    checked_at: Mapped[datetime | None]
    http_status: Mapped[int]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    content_type: Mapped[str | None]
    encoding: Mapped[str | None]
    sha256: Mapped[str]
    raw_size: Mapped[int]
    part_no: Mapped[int]
    text_hash: Mapped[str | None]
    version_id: Mapped[int | None]
    error_kind: Mapped[str | None]
    error: Mapped[str | None]


class Citation(Base):
    __table__ = tables.citation

    id: Mapped[int]
    document_id: Mapped[int]
    cited_number: Mapped[str]
    cited_document_id: Mapped[int | None]


class Attachment(Base):
    __table__ = tables.attachment

    id: Mapped[int]
    document_id: Mapped[int]
    version_id: Mapped[int]
    url: Mapped[str]
    name: Mapped[str | None]
    kind: Mapped[str]
    content_type: Mapped[str | None]
    http_status: Mapped[int]
    fetched_at: Mapped[datetime]
    sha256: Mapped[str]
    raw_size: Mapped[int]
    text: Mapped[str | None]
    error: Mapped[str | None]


class RunFailure(Base):
    __table__ = tables.run_failure

    id: Mapped[int]
    run_id: Mapped[int]
    url: Mapped[str]
    kind: Mapped[str]
    role: Mapped[str | None]
    attempts: Mapped[int]
    message: Mapped[str]
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]


class ListingWalk(Base):
    __table__ = tables.listing_walk

    source_id: Mapped[str]
    listing: Mapped[str]
    state: Mapped[str]
    reached: Mapped[int]
    next_url: Mapped[str | None]
    completed_at: Mapped[datetime | None]
    run_id: Mapped[int | None]
    updated_at: Mapped[datetime]


class SearchEntry(Base):
    __table__ = tables.search_entry

    document_id: Mapped[int]
    rank_key: Mapped[int]
    seq: Mapped[int]
    tier: Mapped[int]
    version_id: Mapped[int | None]
    body_hash: Mapped[str]
    title: Mapped[str | None]
    doc_number: Mapped[str | None]
    region: Mapped[str | None]
    agency: Mapped[str | None]
    tags: Mapped[str]
    tsv: Mapped[str | None]


class SearchGhost(Base):
    __table__ = tables.search_ghost

    rank_key: Mapped[int]


# Watches and their outbox are tables of the same archive (one metadata for Alembic and
# the schema test); their models live in a module of their own.
from storage.watch_models import Outbox, Watch  # noqa: E402, F401
