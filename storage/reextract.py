"""Re-extraction's storage side: the stored pages to read again, and what a new reading of
one may change (metadata always; the version's text only when the new reading differs from
the old by cleaning alone). Never a new version: a page that now reads differently waits
for the next crawl to be a version the usual way.

The write goes through ingest's entry (``ingest(archive, record, reextract_of=stored)``),
as a crawl's does; ``reread`` is the decision it runs there, as identity.py and
versions.py are a crawl's."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crawler.vocab.sources import SOURCE_RANK
from crawler.items import CapturedPart, PageItem, PageRecord
from storage.blobs import load
from storage.db import Archive
from storage.metadata import METADATA_FIELDS, merge_fields
from storage.models import Attachment, Capture, Document, Source, Version, VersionBand
from storage.normalize import normalize_text
from storage.textdiff import edited_sentences, is_truncation
from storage.versions import add_bands
from storage.search_index import index_document


@dataclass
class StoredPage:
    """A stored page read back: the item as it was fetched (its parts and attachment files,
    as a spider handed them over), and where the archive keeps its reading."""

    item: PageItem
    source_kind: str
    capture_id: int  # part 0
    version_id: int | None
    text_hash: str | None


def _part(c: Capture, body: bytes) -> CapturedPart:
    return CapturedPart(url=c.url, final_url=c.final_url, status=c.http_status, body=body, fetched_at=c.fetched_at,
                        encoding=c.encoding, etag=c.etag, last_modified=c.last_modified, content_type=c.content_type)


def stored_pages(archive: Archive, source_id: str | None = None, since: date | None = None) -> Iterator[StoredPage]:
    """Every stored page (its parts in order), oldest first; 304 re-checks stored nothing."""
    for capture_id in page_ids(archive, source_id, since):
        with archive.session() as session:
            yield _load_page(session, capture_id)


def page_ids(archive: Archive, source_id: str | None = None, since: date | None = None) -> list[int]:
    stmt = select(Capture.id).where(Capture.part_no == 0, Capture.http_status < 300)
    if source_id:
        stmt = stmt.where(Capture.source_id == source_id)
    if since:
        stmt = stmt.where(Capture.fetched_at >= datetime.combine(since, time.min, tzinfo=timezone.utc))
    with archive.session() as session:
        return list(session.scalars(stmt.order_by(Capture.id)))


def _load_page(session: Session, capture_id: int) -> StoredPage:
    first = session.get(Capture, capture_id)
    # A page's parts were written together, part 0 first: the ids that follow it.
    rest = session.scalars(
        select(Capture).where(Capture.id > first.id, Capture.id <= first.id + 50, Capture.source_id == first.source_id)
        .order_by(Capture.id)
    )
    parts = [_part(first, load(session, first.sha256) or b"")]
    for c in rest:
        if c.part_no != len(parts) or c.run_id != first.run_id or c.version_id != first.version_id:
            break
        parts.append(_part(c, load(session, c.sha256) or b""))
    files = []
    if first.version_id is not None:
        for a in session.scalars(select(Attachment).where(Attachment.version_id == first.version_id)):
            files.append(CapturedPart(url=a.url, final_url=a.url, status=a.http_status, body=load(session, a.sha256) or b"",
                                      fetched_at=a.fetched_at, content_type=a.content_type))
    kind = session.scalar(select(Source.kind).where(Source.id == first.source_id)) or "gov"
    item = PageItem(source_id=first.source_id, parts=parts, attachments=files)
    return StoredPage(item, kind, first.id, first.version_id, first.text_hash)


def _recleaned(old: str, new: str) -> bool:
    """The new reading is the old one with noise removed: nothing rewritten, nothing added."""
    a, b = normalize_text(old), normalize_text(new)
    if not b or not a or edited_sentences(old, new):
        return False
    shingles = lambda s: {s[i:i + 5] for i in range(max(1, len(s) - 4))}  # noqa: E731
    mine = shingles(b)
    return len(mine & shingles(a)) / len(mine) >= 0.98 and not is_truncation(b, a)


def reread(session: Session, page: PageRecord, stored: StoredPage) -> tuple[str, int | None, list[str]]:
    """Apply a new reading of a stored page: (what became of its text: "same" | "recleaned" |
    "differs" | "offtopic", its document's id, the metadata fields that changed)."""
    ex = page.extraction
    if stored.version_id is None:
        return "offtopic", None, []
    version = session.get(Version, stored.version_id)
    doc = session.get(Document, version.document_id)
    rank = SOURCE_RANK.get(page.source_kind, 0)
    values = {name: getattr(ex, name) for name in METADATA_FIELDS if name != "status"}
    changed = merge_fields(session, doc, values, page.source_id, rank)
    if ex.topics and not set(ex.topics) <= set(doc.topics or []):
        doc.topics = list(dict.fromkeys([*(doc.topics or []), *ex.topics]))
        changed.append("topics")
    new_hash = page.text_hash
    outcome = "same"
    shows_this_page = version.text_hash == stored.text_hash
    if new_hash == stored.text_hash:
        if shows_this_page and version.text != (ex.text or ""):
            version.text = ex.text or ""
            outcome = "recleaned"
    elif shows_this_page and _recleaned(version.text, ex.text or "") and not _hash_taken(session, doc.id, new_hash):
        _retext(session, version, stored, page)
        outcome = "recleaned"
    elif not shows_this_page and _recleaned(version.text, ex.text or ""):
        outcome = "same"  # a copy read more cleanly: still a copy of the version
    else:
        outcome = "differs"
    index_document(session, doc)
    return outcome, doc.id, changed


def _hash_taken(session: Session, document_id: int, text_hash: str) -> bool:
    return session.scalar(
        select(Version.id).where(Version.document_id == document_id, Version.text_hash == text_hash)
    ) is not None


def _retext(session: Session, version: Version, stored: StoredPage, page: PageRecord) -> None:
    old_hash, sig = version.text_hash, page.signature
    version.text, version.text_hash = page.extraction.text or "", page.text_hash
    version.signature = sig.to_bytes() if sig else None
    version.signature_scheme = sig.scheme if sig else None
    session.execute(delete(VersionBand).where(VersionBand.version_id == version.id))
    add_bands(session, version, sig)
    # The next crawl reads this page with the new extractor: it must recognize it.
    session.execute(
        update(Capture).where(Capture.version_id == version.id, Capture.source_id == stored.item.source_id,
                              Capture.text_hash == old_hash)
        .values(text_hash=page.text_hash).execution_options(synchronize_session=False)
    )
