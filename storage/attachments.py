"""A page's attachments (附件), stored with the version whose page linked them."""
from __future__ import annotations

from functools import cache

from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage.blobs import store
from storage.models import Attachment, Document, Version
from storage.upsert import dialect_insert


@cache
def _insert(dialect: str):
    # The same file at the same URL for the same version is one row, however often seen.
    return dialect_insert(dialect, Attachment).on_conflict_do_nothing(
        index_elements=[Attachment.version_id, Attachment.url, Attachment.sha256])


def add_attachments(session: Session, page: PageRecord, doc: Document, version: Version) -> None:
    rows = [
        dict(
            document_id=doc.id,
            version_id=version.id,
            url=att.part.url,
            name=(att.name or "")[:500] or None,
            kind=att.kind,
            content_type=att.part.content_type,
            http_status=att.part.status,
            fetched_at=att.part.fetched_at,
            sha256=store(session, att.part.body),
            raw_size=len(att.part.body),
            text=att.text or None,
            error=(att.error or "")[:300] or None,
        )
        for att in page.attachments
    ]
    if rows:  # Core: nothing reads these rows back as objects in this transaction
        session.flush()
        conn = session.connection()
        conn.execute(_insert(conn.dialect.name), rows)
