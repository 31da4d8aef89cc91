"""What arrived (new), the archive as rows (export: JSON lines or CSV), and an Atom feed of it."""
from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import IO, Any
from xml.etree import ElementTree as ET

from sqlalchemy import select

from storage.db import Archive
from storage.models import Capture, Document, Version
from storage.search_filters import Filters, check_limit

EXPORT_FORMATS = ("jsonl", "csv")
EXPORT_FIELDS = (
    "id", "doc_number", "doc_number_raw", "title", "agency", "region", "doc_type", "status",
    "signed_date", "published_date", "index_number", "category", "topics", "first_seen", "last_seen",
    "authoritative_url", "authoritative_source_id", "urls", "text",
)
_BATCH = 500
ATOM_NS = "http://www.w3.org/2005/Atom"


def _value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def new(
    archive: Archive,
    since: datetime,
    filters: Filters | None = None,
    *,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Documents first archived at or after ``since``, newest arrival first (export rows)."""
    filters = filters or Filters()
    check_limit(limit)
    with archive.session() as session:
        ids = list(session.scalars(
            select(Document.id).where(Document.first_seen >= since, *filters.conditions(archive.dialect))
            .order_by(Document.first_seen.desc(), Document.id.desc()).limit(limit)
        ))
    rows = {r["id"]: r for r in _rows(archive, ids)}
    return [rows[i] for i in ids if i in rows]


def document_ids(archive: Archive, filters: Filters) -> list[int]:
    with archive.session() as session:
        return list(session.scalars(
            select(Document.id).where(*filters.conditions(archive.dialect)).order_by(Document.id)
        ))


def export_rows(archive: Archive, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
    """One row per document the filters select (all without filters), by id: its metadata,
    every URL it was seen at, and its current text."""
    yield from _rows(archive, document_ids(archive, filters or Filters()))


def _rows(archive: Archive, ids: list[int]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        with archive.session() as session:
            docs = session.execute(
                select(Document, Version.text).outerjoin(Version, Version.id == Document.current_version_id)
                .where(Document.id.in_(chunk)).order_by(Document.id)
            ).all()
            urls: dict[int, list[str]] = {}
            for doc_id, url in session.execute(
                select(Version.document_id, Capture.url).join(Capture, Capture.version_id == Version.id)
                .where(Version.document_id.in_(chunk), Capture.part_no == 0)
                .order_by(Capture.fetched_at, Capture.id)
            ):
                if url not in urls.setdefault(doc_id, []):
                    urls[doc_id].append(url)
        by_id = {doc.id: (doc, body) for doc, body in docs}
        for doc_id in chunk:
            if doc_id not in by_id:
                continue
            doc, body = by_id[doc_id]
            row = {name: _value(getattr(doc, name)) for name in EXPORT_FIELDS if hasattr(Document, name)}
            row["topics"] = list(doc.topics or [])
            row["urls"] = urls.get(doc_id, [])
            row["text"] = body or ""
            yield {name: row[name] for name in EXPORT_FIELDS}


# A spreadsheet reads a cell starting with these as a formula (=HYPERLINK(…) in a crawled
# title would run); OWASP's rule: such a cell starts with a single quote instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel takes a CSV without a byte-order mark for the local code page and garbles Chinese.
UTF8_BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_export(rows: Iterator[dict[str, Any]], fmt: str, out: IO[str], *, bom: bool = False) -> int:
    """Write rows as JSON lines or CSV (lists joined: topics by ';', URLs by space); returns rows.

    CSV cells are made safe for spreadsheets (``safe_cell``); ``bom``: a UTF-8 byte-order
    mark first, for Excel. JSON lines are data for programs, written as they are.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    if bom and fmt != "csv":
        raise ValueError("a byte-order mark is for CSV only")
    n = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    if bom:
        out.write(UTF8_BOM)
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        joined = {**row, "topics": ";".join(row["topics"]), "urls": " ".join(row["urls"])}
        writer.writerow({k: safe_cell(v) for k, v in joined.items()})
        n += 1
    return n


def _atom_time(value: str | None) -> str:
    if not value:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.isoformat(timespec="seconds")


def feed_id(kind: str, query: dict[str, Any]) -> str:
    """A feed's Atom id, the same for the same query and filters every time it is written
    (a reader tells feeds apart by id): a name-based UUID of the query, not of the run."""
    canonical = json.dumps({k: v for k, v in query.items() if v not in (None, "", [], False)},
                           sort_keys=True, ensure_ascii=False, default=str)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"policy-archive:{kind}?{canonical}").urn


def atom_feed(rows: list[dict[str, Any]], *, title: str, feed_id: str) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of document rows: one entry per document."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    sub(feed, "updated", _atom_time(max((r["last_seen"] for r in rows), default=None)))
    sub(sub(feed, "author"), "name", "policy-archive")
    sub(feed, "generator", "policy-archive")
    for r in rows:
        entry = sub(feed, "entry")
        # A row may name its entry (a watch's feed: a revision is an entry of its own).
        sub(entry, "id", r.get("entry_id") or f"urn:policy-archive:document:{r['id']}")
        sub(entry, "title", " ".join(p for p in (r.get("doc_number"), r.get("title") or "(untitled)") if p))
        sub(entry, "updated", _atom_time(r["last_seen"]))
        sub(entry, "published", _atom_time(r["first_seen"]))
        if r.get("authoritative_url"):
            sub(entry, "link", href=r["authoritative_url"], rel="alternate")
        sub(sub(entry, "author"), "name", r.get("agency") or "unknown")
        for topic in r.get("topics") or []:
            sub(entry, "category", term=topic)
        facts = [f"{k}: {r[k]}" for k in ("doc_number", "agency", "region", "published_date") if r.get(k)]
        sub(entry, "summary", "\n".join(facts + [(r.get("text") or "")[:300]]), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
