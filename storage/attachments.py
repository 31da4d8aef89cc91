"""A page's attachments (附件), stored with the version whose page linked them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage.blobs import store
from storage.models import Attachment, Document, Version
from storage.normalize import sha256_hex


def add_attachments(session: Session, page: PageRecord, doc: Document, version: Version) -> None:
    for att in page.attachments:
        digest = sha256_hex(att.part.body)
        known = session.scalar(
            select(Attachment.id).where(
                Attachment.version_id == version.id, Attachment.url == att.part.url, Attachment.sha256 == digest
            )
        )
        if known is not None:
            continue
        session.add(
            Attachment(
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
        )
    session.flush()
