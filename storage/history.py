"""A document's history for readers: its versions in order, the URLs that carried each,
and what changed between two of them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, func, select

from crawler.vocab.docnumber import normalize_doc_number
from crawler.vocab.sources import SOURCE_RANK
from storage.db import Archive
from storage.tables import capture, document, is_row_id, source, version
from storage.textdiff import diff_texts, summary


def resolve(conn: Connection, ref: int | str) -> Row | None:
    """A document's row by numeric id or by 文号 in any bracket form (〔〕, [], （）…)."""
    value = str(ref).strip()
    if value.isdigit():
        if not is_row_id(int(value)):
            return None
        where = document.c.id == int(value)
    else:
        number = normalize_doc_number(value)
        if not number:
            return None
        where = document.c.doc_number == number
    return conn.execute(select(document).where(where)).first()


def versions_of(conn: Connection, doc_id: int) -> list[Row]:
    """A document's versions, the first seen first."""
    return list(conn.execute(
        select(version).where(version.c.document_id == doc_id).order_by(version.c.first_seen, version.c.id)
    ))


def _carriers(conn: Connection, doc_id: int) -> list[tuple]:
    """(version_id, url, source_id, kind, first fetch, last seen, fetches) per page URL and
    version; last seen is the last fetch or, later, a re-check that found it unchanged (304)."""
    return conn.execute(
        select(capture.c.version_id, capture.c.url, capture.c.source_id, source.c.kind, func.min(capture.c.fetched_at),
               func.max(func.coalesce(capture.c.checked_at, capture.c.fetched_at)), func.count())
        .join(version, version.c.id == capture.c.version_id)
        .join(source, source.c.id == capture.c.source_id)
        .where(version.c.document_id == doc_id, capture.c.part_no == 0)
        .group_by(capture.c.version_id, capture.c.url, capture.c.source_id, source.c.kind)
    ).all()


def document_urls(conn: Connection, doc: Row) -> list[dict[str, Any]]:
    """Every URL carrying the document: site, kind, first and last seen; the authoritative
    one first, then by source rank (government, aggregator, document-sharing)."""
    urls: dict[tuple[str, str], dict[str, Any]] = {}
    for _vid, url, source_id, kind, first, last, n in _carriers(conn, doc.id):
        entry = urls.setdefault((url, source_id), {
            "url": url, "source_id": source_id, "kind": kind, "first_seen": first, "last_seen": last,
            "fetches": 0, "authoritative": url == doc.authoritative_url and source_id == doc.authoritative_source_id,
        })
        entry["first_seen"] = min(entry["first_seen"], first)
        entry["last_seen"] = max(entry["last_seen"], last)
        entry["fetches"] += n
    return sorted(urls.values(), key=lambda e: (not e["authoritative"], -SOURCE_RANK.get(e["kind"], 0),
                                                e["first_seen"], e["url"]))


def _head(doc: Row) -> dict[str, Any]:
    return {"id": doc.id, "doc_number": doc.doc_number, "title": doc.title}


def version_rows(conn: Connection, doc: Row) -> list[dict[str, Any]]:
    carried: dict[int, list[dict[str, Any]]] = {}
    for vid, url, source_id, kind, first, last, n in _carriers(conn, doc.id):
        carried.setdefault(vid, []).append(
            {"source_id": source_id, "kind": kind, "url": url, "first_seen": first, "last_seen": last, "fetches": n})
    rows = []
    for seq, v in enumerate(versions_of(conn, doc.id), start=1):
        carriers = sorted(carried.get(v.id, []), key=lambda c: (-SOURCE_RANK.get(c["kind"], 0), c["first_seen"]))
        rows.append({
            "seq": seq, "id": v.id, "first_seen": v.first_seen, "last_seen": v.last_seen,
            "text_hash": v.text_hash, "characters": len(v.text), "is_current": v.id == doc.current_version_id,
            "sources": sorted({c["source_id"] for c in carriers}), "carried_by": carriers,
        })
    return rows


def document_history(archive: Archive, ref: int | str) -> dict[str, Any] | None:
    with archive.reader() as conn:
        doc = resolve(conn, ref)
        if doc is None:
            return None
        return {"document": _head(doc), "versions": version_rows(conn, doc)}


class NoSuchVersion(LookupError):
    pass


def document_diff(archive: Archive, ref: int | str, old_seq: int | None = None,
                  new_seq: int | None = None) -> dict[str, Any] | None:
    """The change from version ``old_seq`` to ``new_seq`` (1-based, as in history);
    by default from the one before the newest to the newest."""
    with archive.reader() as conn:
        doc = resolve(conn, ref)
        if doc is None:
            return None
        versions = versions_of(conn, doc.id)
        if old_seq is None and new_seq is None:
            old_seq, new_seq = max(1, len(versions) - 1), len(versions)
        for seq in (old_seq, new_seq):
            if seq is None or not 1 <= seq <= len(versions):
                raise NoSuchVersion(f"document {doc.id} has versions 1..{len(versions)}, not {seq}")
        old, new = versions[old_seq - 1], versions[new_seq - 1]
        entries = diff_texts(old.text, new.text)
        side = lambda seq, v: {"seq": seq, "id": v.id, "first_seen": v.first_seen,  # noqa: E731
                               "source_id": v.source_id, "characters": len(v.text)}
        return {"document": _head(doc), "from": side(old_seq, old), "to": side(new_seq, new),
                "summary": summary(entries), "paragraphs": entries}
