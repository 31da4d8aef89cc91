"""Incremental crawling's memory: which pages of a source the archive already has, and
what a re-check that found a page unchanged (HTTP 304) does to the archive.

Spiders never read the database: the crawler hands them ``known_pages()`` at start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, func, select, update

from storage.db import Archive, ArchiveError
from storage.models import Capture, CrawlRun, Document, UTCDateTime, Version
from storage.crawl_runs import count_page


@dataclass(frozen=True)
class KnownPage:
    """The newest capture of a page: what to send in a conditional request."""

    etag: str | None
    last_modified: str | None
    on_topic: bool  # it produced a version (False: kept as off-topic)


def known_pages(archive: Archive, source_id: str) -> dict[str, KnownPage]:
    """{url: KnownPage} for every page (part 0) this source has given the archive.

    A page whose newest capture was kept raw without extraction (it raised, or was too
    large) is not known: the next crawl fetches it whole again.
    """
    newest = (
        select(Capture.url, func.max(Capture.id).label("id"))
        .where(Capture.source_id == source_id, Capture.part_no == 0, Capture.http_status < 300)
        .group_by(Capture.url)
        .subquery()
    )
    stmt = (
        select(Capture.url, Capture.etag, Capture.last_modified, Capture.version_id)
        .join(newest, newest.c.id == Capture.id)
        .where(Capture.error_kind.is_(None))
    )
    with archive.session() as session:
        return {
            url: KnownPage(etag, last_modified, version_id is not None)
            for url, etag, last_modified, version_id in session.execute(stmt)
        }


# A 304 re-check touches four rows: Core statements built once, no objects loaded.
_RUN = select(CrawlRun.id).where(CrawlRun.id == bindparam("id"))
_NEWEST_CAPTURE = (
    select(Capture.id, Capture.version_id)
    .where(Capture.source_id == bindparam("source"), Capture.url == bindparam("url"), Capture.part_no == 0)
    .order_by(Capture.id.desc())
    .limit(1)
)
_AT = bindparam("at", type_=UTCDateTime)
_CAPTURE_UPDATE = (
    update(Capture.__table__)
    .where(Capture.id == bindparam("capture"))
    .values(checked_at=case((Capture.checked_at.is_(None), _AT), (Capture.checked_at < _AT, _AT),
                            else_=Capture.checked_at))
)
_VERSION_UPDATE = (
    update(Version.__table__)
    .where(Version.id == bindparam("version"))
    .values(last_seen=case((Version.last_seen < _AT, _AT), else_=Version.last_seen))
    .returning(Version.document_id)
)
_DOCUMENT_UPDATE = (
    update(Document.__table__)
    .where(Document.id == bindparam("document"))
    .values(last_seen=case((Document.last_seen < _AT, _AT), else_=Document.last_seen))
)


def mark_unchanged(archive: Archive, source_id: str, url: str, at: datetime, run_id: int | None = None) -> str:
    """A re-check found ``url`` unchanged: the URL (its newest capture), its version and
    its document were seen again now.

    Returns the run counter it was counted under: "unchanged" for a notice, "offtopic"
    for a page kept as off-topic. Counted in the same transaction.
    """
    with archive.transaction() as session:
        conn = session.connection()
        if run_id is not None and conn.execute(_RUN, {"id": run_id}).first() is None:
            raise ArchiveError(f"no crawl run {run_id}")
        newest = conn.execute(_NEWEST_CAPTURE, {"source": source_id, "url": url}).first()
        version_id = newest.version_id if newest is not None else None
        if newest is not None:
            conn.execute(_CAPTURE_UPDATE, {"capture": newest.id, "at": at})
        outcome = "offtopic"
        if version_id is not None:
            document_id = conn.scalar(_VERSION_UPDATE, {"version": version_id, "at": at})
            conn.execute(_DOCUMENT_UPDATE, {"document": document_id, "at": at})
            outcome = "unchanged"
        count_page(session, run_id, outcome)
        return outcome
