"""Attachments are kept raw with their text, once per version, in the page's transaction."""
import zlib

from sqlalchemy import func, select

from storage.api import CapturedPart, get_document, ingest
from crawler.items import AttachmentFile
from storage.models import Attachment, Blob
from storage_samples import NOTICE_A, NOTICE_A_REVISED, T0, later, page

PDF = b"%PDF-1.4 fake but raw bytes \x00\x01"


def with_attachment(record, body=PDF, text="附件：养老机构等级评定标准", at=T0, error=None):
    part = CapturedPart(url="http://gov.example/att/1.pdf", final_url="http://gov.example/att/1.pdf",
                        status=200, body=body, fetched_at=at, content_type="application/pdf")
    record.attachments.append(AttachmentFile(part=part, kind="pdf", name="养老机构等级评定标准.pdf", text=text, error=error))
    return record


def count(archive):
    with archive.session() as s:
        return s.scalar(select(func.count()).select_from(Attachment))


def test_attachment_is_stored_raw_with_text(archive):
    result = ingest(archive, with_attachment(page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A)))
    with archive.session() as s:
        (att,) = s.scalars(select(Attachment)).all()
        assert zlib.decompress(s.get(Blob, att.sha256).data) == PDF and att.raw_size == len(PDF)
        assert att.version_id == result.version_id and att.document_id == result.document_id
        assert att.text.startswith("附件") and att.kind == "pdf" and att.error is None
    (info,) = get_document(archive, result.document_id).to_dict()["attachments"]
    assert info["name"] == "养老机构等级评定标准.pdf" and info["text_chars"] > 0


def test_recrawl_does_not_duplicate_the_file(archive):
    for hours in (0, 24):
        ingest(archive, with_attachment(page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A, at=later(hours)),
                                        at=later(hours)))
    assert count(archive) == 1


def test_changed_file_is_kept_beside_the_old_one(archive):
    ingest(archive, with_attachment(page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A)))
    ingest(archive, with_attachment(page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A_REVISED, at=later(1)),
                                    body=PDF + b"v2", at=later(1)))
    assert count(archive) == 2


def test_unreadable_attachment_keeps_its_reason(archive):
    ingest(archive, with_attachment(page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A),
                                    text="", error="no text could be read from this pdf file"))
    with archive.session() as s:
        att = s.scalars(select(Attachment)).one()
        assert att.text is None and "no text" in att.error
