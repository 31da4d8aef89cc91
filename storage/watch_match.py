"""What each watch is owed after a crawl: the documents new since its high-water mark
that its search finds, and the revisions of documents it was told about.

Matching and enqueueing happen in one transaction with moving the mark, so a crash
either keeps all of it or none (and the next run matches the same versions again). The
unit is a version id: a notice copied by three sites, or fetched again, is one document
and makes no new version, so it is told once.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import Archive
from storage.models import Document, Outbox, Version, Watch, utcnow
from storage.search import matching_ids
from storage.search_filters import Filters
from storage.textdiff import diff_texts
from storage.upsert import insert_for
from storage.watches import version_ceiling

MAX_CHANGED_CHARS = 300
CHUNK = 500


@dataclass
class MatchReport:
    """What matching enqueued, per watch name: counts of new and revised notices."""

    new: dict[str, int] = field(default_factory=dict)
    revised: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.new.values()) + sum(self.revised.values())


def match_watches(archive: Archive) -> MatchReport:
    """Enqueue what every watch is owed since its mark; move each mark."""
    report = MatchReport()
    with archive.session() as session:
        ids = list(session.scalars(select(Watch.id).order_by(Watch.id)))
    if not ids:
        return report
    with archive.transaction() as session:
        ceiling = version_ceiling(session)
    for watch_id in ids:
        with archive.transaction() as session:
            # FOR UPDATE (PostgreSQL): a second notifier waits, then finds the mark moved.
            watch = session.scalar(select(Watch).where(Watch.id == watch_id).with_for_update())
            if watch is None or watch.seen_version_id >= ceiling:
                continue
            new, revised = _match_one(session, archive.dialect, watch, ceiling)
            watch.seen_version_id = ceiling
            report.new[watch.name] = new
            report.revised[watch.name] = revised
    return report


def _match_one(session: Session, dialect: str, watch: Watch, ceiling: int) -> tuple[int, int]:
    fresh: dict[int, list[int]] = defaultdict(list)
    for version_id, doc_id in session.execute(
        select(Version.id, Version.document_id)
        .where(Version.id > watch.seen_version_id, Version.id <= ceiling).order_by(Version.id)
    ):
        fresh[doc_id].append(version_id)
    new = revised = 0
    docs = sorted(fresh)
    # In slices: a backfill brings thousands of documents, more than a statement's parameters.
    for start in range(0, len(docs), CHUNK):
        n, r = _match_docs(session, dialect, watch, {d: fresh[d] for d in docs[start:start + CHUNK]})
        new, revised = new + n, revised + r
    return new, revised


def _match_docs(session: Session, dialect: str, watch: Watch, fresh: dict[int, list[int]]) -> tuple[int, int]:
    """Owe the watch what these documents' new versions (``fresh``: id → version ids) tell."""
    told = dict(session.execute(
        select(Outbox.document_id, func.max(Outbox.version_id))
        .where(Outbox.watch_id == watch.id, Outbox.document_id.in_(list(fresh))).group_by(Outbox.document_id)
    ).all())
    untold = [d for d in fresh if d not in told]
    first_version = dict(session.execute(
        select(Version.document_id, func.min(Version.id)).where(Version.document_id.in_(untold))
        .group_by(Version.document_id)
    ).all()) if untold else {}
    # A document with a version from before the watch existed is not new to it.
    candidates = sorted(d for d in untold if first_version.get(d, 0) > watch.start_version_id)
    matched = matching_ids(session, dialect, watch.query, Filters.parse(**(watch.filters or {})), candidates) \
        if candidates else set()
    rows = []
    for doc in session.scalars(select(Document).where(Document.id.in_(sorted(matched))).order_by(Document.id)):
        version_id = doc.current_version_id or max(fresh[doc.id])
        rows.append(_row(watch, doc, version_id, "new", None))
    revised = 0
    for doc_id, last_told in told.items():
        later = [v for v in fresh[doc_id] if v > last_told]
        if not later:
            continue
        doc = session.get(Document, doc_id)
        texts = dict(session.execute(
            select(Version.id, Version.text).where(Version.id.in_([last_told, *later]))).all())
        previous = texts.get(last_told, "")
        for version_id in later:
            rows.append(_row(watch, doc, version_id, "revised", first_change(previous, texts[version_id])))
            previous = texts[version_id]
            revised += 1
    if rows:
        # ON CONFLICT: a version matched twice (two notifiers at once) is owed once.
        session.execute(insert_for(session, Outbox).on_conflict_do_nothing(
            index_elements=["watch_id", "document_id", "version_id"]), rows)
    return len(rows) - revised, revised


def _row(watch: Watch, doc: Document, version_id: int, kind: str, changed: str | None) -> dict:
    payload = {
        "watch": watch.name, "kind": kind, "document_id": doc.id, "version_id": version_id,
        "doc_number": doc.doc_number, "title": doc.title, "agency": doc.agency, "region": doc.region,
        "published_date": doc.published_date.isoformat() if doc.published_date else None,
        "url": doc.authoritative_url, "topics": list(doc.topics or []), "changed": changed,
    }
    return {"watch_id": watch.id, "document_id": doc.id, "version_id": version_id, "kind": kind,
            "payload": payload, "created_at": utcnow(), "attempts": 0, "delivered": []}


def first_change(old: str, new: str) -> str | None:
    """The first sentence the new text changed (its new wording; a removal's old one)."""
    for entry in diff_texts(old, new):
        if entry["op"] == "equal":
            continue
        if entry["op"] == "changed":
            parts = [s for s in entry["sentences"] if s["op"] != "equal"]
            added = [s for s in parts if s["op"] == "added"]
            sentence = (added or parts)[0]["text"] if parts else None
        else:
            sentence = entry["text"]
        if sentence:
            return sentence[:MAX_CHANGED_CHARS]
    return None
