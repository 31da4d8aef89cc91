"""One attachment as a reader asks for it: its record with the text read from it, and its
raw file as fetched. Both are found by the attachment's id only: a caller can reach the
blobs attachments point at, never another blob (a page's capture) or any other file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.blobs import load
from storage.db import Archive
from storage.models import Attachment, Document
from storage.queries import AttachmentInfo


@dataclass
class AttachmentDetail(AttachmentInfo):
    document_id: int = 0
    document_title: str | None = None
    http_status: int = 0
    fetched_at: datetime | None = None
    sha256: str = ""  # of the raw file: what a download's bytes hash to
    text: str = ""  # what extraction read from it ("" when its state is not ok)


def get_attachment(archive: Archive, attachment_id: int) -> AttachmentDetail | None:
    """The attachment with this id, its text included; None when there is none."""
    with archive.session() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            return None
        info = AttachmentInfo.from_row(row)
        title = session.scalar(select(Document.title).where(Document.id == row.document_id))
        return AttachmentDetail(**vars(info), document_id=row.document_id, document_title=title,
                                http_status=row.http_status,
                                fetched_at=row.fetched_at, sha256=row.sha256, text=row.text or "")


def attachment_body(archive: Archive, attachment_id: int) -> bytes | None:
    """The attachment's file exactly as fetched; None when there is no such attachment."""
    with archive.session() as session:
        digest = session.scalar(select(Attachment.sha256).where(Attachment.id == attachment_id))
        return load(session, digest) if digest else None
