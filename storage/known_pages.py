"""Incremental crawling's memory: which pages of a source the archive already has, and
what a re-check that found a page unchanged (HTTP 304) does to the archive.

Spiders never read the database: the crawler hands them ``known_pages()`` at start.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from storage.db import Archive, ArchiveError
from storage.models import Capture, CrawlRun, Document, Version
from storage.crawl_runs import increment


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


def mark_unchanged(archive: Archive, source_id: str, url: str, at: datetime, run_id: int | None = None) -> str:
    """A re-check found ``url`` unchanged: its version and document were seen again now.

    Returns the run counter it was counted under: "unchanged" for a notice, "offtopic"
    for a page kept as off-topic. Counted in the same transaction.
    """
    with archive.transaction() as session:
        if run_id is not None and session.get(CrawlRun, run_id) is None:
            raise ArchiveError(f"no crawl run {run_id}")
        version_id = session.scalar(
            select(Capture.version_id)
            .where(Capture.source_id == source_id, Capture.url == url, Capture.part_no == 0)
            .order_by(Capture.id.desc())
            .limit(1)
        )
        outcome = "offtopic"
        if version_id is not None:
            version = session.get(Version, version_id)
            document = session.get(Document, version.document_id)
            version.last_seen = max(version.last_seen, at)
            document.last_seen = max(document.last_seen, at)
            outcome = "unchanged"
        if run_id is not None:
            increment(session, run_id, pages=1, **{outcome: 1})
        return outcome
