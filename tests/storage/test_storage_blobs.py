"""Raw bytes stored once (the blob table), and the migration that moved older archives to it."""
from __future__ import annotations

import hashlib
import random
import zlib
from datetime import datetime, timezone

from alembic import command
from sqlalchemy import MetaData, func, insert, select

from storage import db
from storage.api import capture_body, ingest, open_archive
from storage.models import Attachment, Blob, Capture
from storage_samples import NOTICE_A, NOTICE_B, later, page

from crawler.items import AttachmentFile, CapturedPart


def _counts(archive):
    with archive.session() as s:
        return (s.scalar(select(func.count()).select_from(Capture)),
                s.scalar(select(func.count()).select_from(Blob)))


def test_three_fetches_of_an_unchanged_page_keep_its_bytes_once(archive):
    for n in range(3):
        ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(n)))
    assert _counts(archive) == (3, 1)
    ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B))
    assert _counts(archive) == (4, 2)


def test_an_attachment_linked_twice_is_one_blob_shared_with_nothing_else(archive):
    pdf = b"%PDF-1.4 " + bytes(range(256)) * 20
    for n, (url, text) in enumerate([("http://gov.test/a.html", NOTICE_A), ("http://gov.test/b.html", NOTICE_B)]):
        record = page("gov", "gov", url, text)
        part = CapturedPart(url="http://gov.test/f.pdf", final_url="http://gov.test/f.pdf", status=200,
                            body=pdf, fetched_at=later(n), content_type="application/pdf")
        record.attachments = [AttachmentFile(part=part, kind="pdf", name="附件1", text="")]
        ingest(archive, record)
    with archive.session() as s:
        digests = set(s.scalars(select(Attachment.sha256)))
        assert digests == {hashlib.sha256(pdf).hexdigest()}
        assert zlib.decompress(s.get(Blob, digests.pop()).data) == pdf
        assert s.scalar(select(func.count()).select_from(Blob)) == 3  # two pages, one file


def _old_archive(url: str, bodies: list[bytes], files: list[bytes]) -> None:
    """An archive as revision 0002 made it: raw bytes on each capture and attachment row."""
    engine = db._create_engine(db._parse_url(url))
    try:
        with engine.execution_options(archive_write=True).begin() as conn:
            command.upgrade(db._alembic_config(conn), "0002")
        meta = MetaData()
        meta.reflect(engine)
        t = meta.tables
        now = datetime(2024, 1, 1, tzinfo=timezone.utc)
        with engine.begin() as conn:
            conn.execute(insert(t["source"]), [{"id": "gov", "name": "G", "kind": "gov", "family": "gov_portal",
                                                "enabled": True, "created_at": now, "updated_at": now}])
            conn.execute(insert(t["document"]), [{"id": 1, "topics": [], "field_sources": {},
                                                  "first_seen": now, "last_seen": now}])
            conn.execute(insert(t["version"]), [{"id": 1, "document_id": 1, "text": "t", "text_hash": "h",
                                                 "first_seen": now, "last_seen": now, "source_id": "gov"}])
            conn.execute(insert(t["capture"]), [
                {"id": i + 1, "source_id": "gov", "url": f"http://gov.test/{i % 7}.html",
                 "final_url": f"http://gov.test/{i % 7}.html", "fetched_at": now, "http_status": 200,
                 "sha256": hashlib.sha256(b).hexdigest(), "raw": zlib.compress(b, 6), "raw_codec": "zlib",
                 "raw_size": len(b), "part_no": 0, "version_id": 1}
                for i, b in enumerate(bodies)
            ])
            conn.execute(insert(t["attachment"]), [
                {"id": i + 1, "document_id": 1, "version_id": 1, "url": f"http://gov.test/f{i}.pdf", "kind": "pdf",
                 "http_status": 200, "fetched_at": now, "sha256": hashlib.sha256(b).hexdigest(),
                 "raw": zlib.compress(b, 6), "raw_codec": "zlib", "raw_size": len(b)}
                for i, b in enumerate(files)
            ])
    finally:
        engine.dispose()


def test_the_migration_moves_every_byte_of_an_older_archive(archive_url):
    rng = random.Random(4)
    distinct = [rng.randbytes(rng.randrange(0, 5000)) for _ in range(9)]
    # Repeats (a page fetched again unchanged) and a file that is also a page's body.
    bodies = [distinct[i % 9] for i in range(25)] + [b""]
    files = [distinct[0], rng.randbytes(3000), rng.randbytes(10)]
    _old_archive(archive_url, bodies, files)

    with open_archive(archive_url) as archive:  # opening upgrades to head
        assert db.schema_is_current(archive.engine)
        for i, body in enumerate(bodies):
            assert capture_body(archive, i + 1) == body
        with archive.session() as s:
            for i, body in enumerate(files):
                att = s.get(Attachment, i + 1)
                assert att.raw_size == len(body)
                blob = s.get(Blob, att.sha256)
                assert zlib.decompress(blob.data) == body and blob.size == len(body)
            assert s.scalar(select(func.count()).select_from(Blob)) == len(set(bodies) | set(files))
