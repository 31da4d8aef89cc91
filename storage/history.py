"""A document's history for readers: its versions in order, the URLs that carried each,
and what changed between two of them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.vocab.docnumber import normalize_doc_number
from crawler.vocab.sources import SOURCE_RANK
from storage.db import Archive
from storage.models import Capture, Document, Source, Version, is_row_id
from storage.textdiff import diff_texts, summary


def resolve(session: Session, ref: int | str) -> Document | None:
    """A document by numeric id or by 文号 in any bracket form (〔〕, [], （）…)."""
    value = str(ref).strip()
    if value.isdigit():
        return session.get(Document, int(value)) if is_row_id(int(value)) else None
    number = normalize_doc_number(value)
    return session.scalar(select(Document).where(Document.doc_number == number)) if number else None


def _versions(session: Session, doc_id: int) -> list[Version]:
    return list(session.scalars(
        select(Version).where(Version.document_id == doc_id).order_by(Version.first_seen, Version.id)
    ))


def _carriers(session: Session, doc_id: int) -> list[tuple]:
    """(version_id, url, source_id, kind, first fetch, last seen, fetches) per page URL and
    version; last seen is the last fetch or, later, a re-check that found it unchanged (304)."""
    return session.execute(
        select(Capture.version_id, Capture.url, Capture.source_id, Source.kind, func.min(Capture.fetched_at),
               func.max(func.coalesce(Capture.checked_at, Capture.fetched_at)), func.count())
        .join(Version, Version.id == Capture.version_id)
        .join(Source, Source.id == Capture.source_id)
        .where(Version.document_id == doc_id, Capture.part_no == 0)
        .group_by(Capture.version_id, Capture.url, Capture.source_id, Source.kind)
    ).all()


def document_urls(session: Session, doc: Document) -> list[dict[str, Any]]:
    """Every URL carrying the document: site, kind, first and last seen; the authoritative
    one first, then by source rank (government, aggregator, document-sharing)."""
    urls: dict[tuple[str, str], dict[str, Any]] = {}
    for _vid, url, source_id, kind, first, last, n in _carriers(session, doc.id):
        entry = urls.setdefault((url, source_id), {
            "url": url, "source_id": source_id, "kind": kind, "first_seen": first, "last_seen": last,
            "fetches": 0, "authoritative": url == doc.authoritative_url and source_id == doc.authoritative_source_id,
        })
        entry["first_seen"] = min(entry["first_seen"], first)
        entry["last_seen"] = max(entry["last_seen"], last)
        entry["fetches"] += n
    return sorted(urls.values(), key=lambda e: (not e["authoritative"], -SOURCE_RANK.get(e["kind"], 0),
                                                e["first_seen"], e["url"]))


def _head(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "doc_number": doc.doc_number, "title": doc.title}


def version_rows(session: Session, doc: Document) -> list[dict[str, Any]]:
    carried: dict[int, list[dict[str, Any]]] = {}
    for vid, url, source_id, kind, first, last, n in _carriers(session, doc.id):
        carried.setdefault(vid, []).append(
            {"source_id": source_id, "kind": kind, "url": url, "first_seen": first, "last_seen": last, "fetches": n})
    rows = []
    for seq, v in enumerate(_versions(session, doc.id), start=1):
        carriers = sorted(carried.get(v.id, []), key=lambda c: (-SOURCE_RANK.get(c["kind"], 0), c["first_seen"]))
        rows.append({
            "seq": seq, "id": v.id, "first_seen": v.first_seen, "last_seen": v.last_seen,
            "text_hash": v.text_hash, "characters": len(v.text), "is_current": v.id == doc.current_version_id,
            "sources": sorted({c["source_id"] for c in carriers}), "carried_by": carriers,
        })
    return rows


def document_history(archive: Archive, ref: int | str) -> dict[str, Any] | None:
    with archive.session() as session:
        doc = resolve(session, ref)
        if doc is None:
            return None
        return {"document": _head(doc), "versions": version_rows(session, doc)}


class NoSuchVersion(LookupError):
    pass


def document_diff(archive: Archive, ref: int | str, old_seq: int | None = None,
                  new_seq: int | None = None) -> dict[str, Any] | None:
    """The change from version ``old_seq`` to ``new_seq`` (1-based, as in history);
    by default from the one before the newest to the newest."""
    with archive.session() as session:
        doc = resolve(session, ref)
        if doc is None:
            return None
        versions = _versions(session, doc.id)
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
