"""A page's fetched parts as Capture rows: what was fetched, when, with which headers."""
from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage.blobs import store
from storage.models import Capture, Version

# One Core INSERT … RETURNING for a page's parts: ingest needs only their ids back, and
# an ORM object per capture cost more than the insert itself.
_INSERT = insert(Capture).returning(Capture.id, sort_by_parameter_order=True)


def add_captures(session: Session, page: PageRecord, version: Version | None, run_id: int | None,
                 error_kind: str | None = None, error: str | None = None) -> list[int]:
    """Insert the page's parts as captures (of ``version``, or of none); their ids in part order."""
    record = page
    rows = [
        dict(
            run_id=run_id,
            source_id=record.source_id,
            url=part.url,
            final_url=part.final_url or part.url,
            fetched_at=part.fetched_at,
            http_status=part.status,
            etag=part.etag,
            last_modified=part.last_modified,
            content_type=part.content_type,
            encoding=part.encoding or record.extraction.encoding,
            sha256=store(session, part.body),
            raw_size=len(part.body),
            part_no=part_no,
            text_hash=page.text_hash,
            version_id=version.id if version is not None else None,
            error_kind=error_kind,
            error=error,
        )
        for part_no, part in enumerate(record.parts)
    ]
    return list(session.connection().scalars(_INSERT, rows))
