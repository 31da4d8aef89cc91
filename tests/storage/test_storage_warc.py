"""WARC export read back with warcio: every record's payload digest against the archive,
and `warcio check` passes."""
from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from crawler.items import AttachmentFile, CapturedPart
from storage.api import capture_body, ingest
from storage.blobs import load
from storage.ingest import record_offtopic
from storage.models import Attachment, Capture
from storage.warc import export_warc
from storage_samples import NOTICE_A, NOTICE_B, later, page

WARCIO = Path(sys.executable).with_name("warcio")


def _fill(archive):
    body = ("<html><head><meta charset=gbk></head><body>" + NOTICE_A + "</body></html>").encode("gb18030")
    a = page("agg", "aggregator", "http://agg.test/12.html?id=3", NOTICE_A, body=body, extra_parts=1)
    a.parts[0].etag, a.parts[0].last_modified = '"abc"', "Wed, 01 May 2024 10:00:00 GMT"
    a.parts[0].content_type = "text/html"
    pdf = CapturedPart(url="http://agg.test/f.pdf", final_url="http://agg.test/f.pdf", status=200,
                       body=b"%PDF-1.4\n" + bytes(range(256)), fetched_at=later(0), content_type="application/pdf")
    a.attachments = [AttachmentFile(part=pdf, kind="pdf", name="附件", text="")]
    first = ingest(archive, a)
    second = ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B, at=later(2)))
    record_offtopic(archive, page("gov", "gov", "http://gov.test/weather.html", "天气预报" * 30, at=later(3)))
    return first, second


def _read(path):
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            yield record, record.content_stream().read() if record.rec_type == "response" else None


def test_every_capture_and_attachment_reads_back_byte_for_byte(archive, tmp_path):
    _fill(archive)
    path = str(tmp_path / "archive.warc.gz")
    written = export_warc(archive, path)
    with archive.session() as s:
        captures = {c.id: c for c in s.scalars(select(Capture))}
        files = {a.id: a for a in s.scalars(select(Attachment))}
        raw_files = {i: load(s, a.sha256) for i, a in files.items()}
    assert written == 1 + 2 * (len(captures) + len(files)) == 11
    seen, types = set(), []
    for record, payload in _read(path):
        types.append(record.rec_type)
        assert record.rec_headers.protocol == "WARC/1.1"
        if record.rec_type != "response":
            continue
        kind, _, ident = record.rec_headers.get_header("WARC-Policy-Archive-Record").partition("/")
        stored = captures[int(ident)] if kind == "capture" else files[int(ident)]
        body = capture_body(archive, stored.id) if kind == "capture" else raw_files[stored.id]
        assert payload == body
        assert hashlib.sha256(payload).hexdigest() == stored.sha256
        sha1 = "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()
        assert record.rec_headers.get_header("WARC-Payload-Digest") == sha1
        assert int(record.http_headers.get_statuscode()) == stored.http_status
        assert record.http_headers.get_header("Content-Type") == stored.content_type
        if kind == "capture":
            assert record.rec_headers.get_header("WARC-Target-URI") == stored.final_url
            assert record.http_headers.get_header("ETag") == stored.etag
            assert record.http_headers.get_header("Last-Modified") == stored.last_modified
        seen.add((kind, stored.id))
    assert seen == {("capture", i) for i in captures} | {("attachment", i) for i in files}
    assert types[0] == "warcinfo" and types.count("request") == types.count("response")
    check = subprocess.run([str(WARCIO), "check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_export_of_chosen_documents_only(archive, tmp_path):
    first, second = _fill(archive)
    path = str(tmp_path / "one.warc.gz")
    assert export_warc(archive, path, [second.document_id]) == 3
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r, _ in _read(path) if r.rec_type == "response"]
    assert uris == ["http://gov.test/b.html"]
