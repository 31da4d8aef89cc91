"""WARC export: the archive's captures as WARC/1.1 files any web-archive tool reads.

Each stored page part and attachment becomes a request record and a response record
(status line, the response headers the archive kept, the raw body exactly as fetched),
written with warcio, gzip per record. ``python -m storage.warc --db URL FILE`` writes one.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from datetime import timezone
from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from storage.blobs import load
from storage.db import Archive
from storage.models import Attachment, Capture, Version

WARC_VERSION = "WARC/1.1"
_BATCH = 200


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _fetches(archive: Archive, document_ids: list[int] | None) -> Iterator[dict[str, Any]]:
    """Every stored fetch (page parts, then attachments), oldest first, bodies loaded in batches."""
    pages = select(Capture.id).order_by(Capture.fetched_at, Capture.id)
    files = select(Attachment.id).order_by(Attachment.fetched_at, Attachment.id)
    if document_ids is not None:
        pages = pages.join(Version, Version.id == Capture.version_id).where(Version.document_id.in_(document_ids))
        files = files.where(Attachment.document_id.in_(document_ids))
    with archive.session() as session:
        page_ids, file_ids = list(session.scalars(pages)), list(session.scalars(files))
    for model, ids in ((Capture, page_ids), (Attachment, file_ids)):
        for start in range(0, len(ids), _BATCH):
            with archive.session() as session:
                rows = session.scalars(select(model).where(model.id.in_(ids[start:start + _BATCH])).order_by(model.id))
                for row in rows:
                    page = isinstance(row, Capture)
                    yield {
                        "url": row.final_url if page else row.url,
                        "fetched_at": row.fetched_at,
                        "status": row.http_status,
                        "content_type": row.content_type,
                        "etag": row.etag if page else None,
                        "last_modified": row.last_modified if page else None,
                        "sha256": row.sha256,
                        "body": load(session, row.sha256) or b"",
                        "kind": "capture" if page else "attachment",
                        "id": row.id,
                    }


def _response_headers(f: dict[str, Any]) -> StatusAndHeaders:
    headers = [(name, value) for name, value in (
        ("Content-Type", f["content_type"]), ("ETag", f["etag"]), ("Last-Modified", f["last_modified"]),
        ("Content-Length", str(len(f["body"]))),
    ) if value]
    return StatusAndHeaders(f"{f['status']} {_reason(f['status'])}".strip(), headers, protocol="HTTP/1.1")


def _request_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], is_http_request=True)


def export_warc(archive: Archive, path: str, document_ids: Iterable[int] | None = None) -> int:
    """Write the captures (of ``document_ids``, or all) to ``path`` as WARC/1.1; records written."""
    ids = None if document_ids is None else [int(i) for i in document_ids]
    written = 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version=WARC_VERSION)
        info = {"software": "policy-archive", "format": "WARC File Format 1.1",
                "description": "captures of Chinese health and eldercare policy notices"}
        writer.write_record(writer.create_warcinfo_record(path.rsplit("/", 1)[-1], info))
        written += 1
        for f in _fetches(archive, ids):
            date = datetime_to_iso_date(f["fetched_at"].astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)
            response = writer.create_warc_record(
                f["url"], "response", payload=BytesIO(f["body"]), length=len(f["body"]),
                http_headers=_response_headers(f),
                warc_headers_dict={"WARC-Date": date, "WARC-Policy-Archive-SHA256": f["sha256"],
                                   "WARC-Policy-Archive-Record": f"{f['kind']}/{f['id']}"},
            )
            request = writer.create_warc_record(
                f["url"], "request", http_headers=_request_headers(f["url"]),
                warc_headers_dict={"WARC-Date": date,
                                   "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
            )
            writer.write_record(request)
            writer.write_record(response)
            written += 2
    return written


def main(argv: list[str] | None = None) -> int:
    from storage.db import ArchiveError, open_archive

    parser = argparse.ArgumentParser(description="Write the archive's captures as a WARC/1.1 file.")
    parser.add_argument("file")
    parser.add_argument("--db", help="archive URL (default: $POLICY_ARCHIVE_DB)")
    parser.add_argument("--document", type=int, action="append", help="only this document (repeatable)")
    args = parser.parse_args(argv)
    try:
        with open_archive(args.db) as archive:
            n = export_warc(archive, args.file, args.document)
    except (ArchiveError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {n} records to {args.file}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
