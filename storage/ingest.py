"""Archive ingest: where a page's Document and Version are decided (DESIGN "Identity and versions").

One call, one page, one transaction: the captures, the document and version changes,
the citations and the run's counters are written together or not at all. Ingest
transactions run one at a time per archive (SQLite's write lock, PostgreSQL's advisory
lock), so "look up, then insert" decisions cannot race.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from crawler.items import AttachmentFile, CapturedPart, PageRecord
from storage import neardup
from storage.db import Archive, ArchiveError
from storage.models import (
    SOURCE_KINDS,
    Attachment,
    Capture,
    Citation,
    CrawlRun,
    Document,
    Source,
    Version,
    VersionBand,
)
from storage.normalize import normalize_doc_number, normalize_text, sha256_hex
from storage.crawl_runs import increment

RAW_CODEC = "zlib"
# A government site beats an aggregator, which beats a document-sharing site.
KIND_RANK = {"gov": 3, "aggregator": 2, "docshare": 1}
# Near-duplicate candidates verified per page, the ones sharing most bands first.
MAX_CANDIDATES = 200
# Document fields filled from extraction, each from the most authoritative source seen.
METADATA_FIELDS = (
    "title",
    "agency",
    "region",
    "doc_type",
    "status",
    "signed_date",
    "published_date",
    "index_number",
    "category",
)
OUTCOME_COUNTERS = {
    "new_document": "new_documents",
    "new_version": "new_versions",
    "unchanged": "unchanged",
}


@dataclass
class IngestResult:
    outcome: str  # "new_document" | "new_version" | "unchanged"
    document_id: int
    version_id: int
    capture_ids: list[int] = field(default_factory=list)


@dataclass
class _Page:
    """What ingest derives from a record before it touches the database."""

    record: PageRecord
    normalized: str
    text_hash: str
    signature: neardup.Signature | None
    doc_number: str | None
    is_draft: bool

    @property
    def fetched_at(self) -> datetime:
        return self.record.parts[0].fetched_at

    @property
    def urls(self) -> set[str]:
        first = self.record.parts[0]
        return {first.url, first.final_url}

    @property
    def comparable(self) -> bool:
        """Long enough for its text alone to name a document."""
        return len(self.normalized) >= neardup.MIN_CHARS


def ingest(archive: Archive, record: PageRecord, run_id: int | None = None) -> IngestResult:
    """Archive one notice page and decide its Document and Version.

    Outcome "new_document", "new_version" or "unchanged" (the text is one the
    document already has, possibly a copy with another site's noise).
    """
    page = _prepare(record)
    with archive.transaction(serialize=True) as session:
        return _ingest(session, page, run_id)


def record_offtopic(archive: Archive, record: PageRecord, run_id: int | None = None) -> list[int]:
    """Keep an off-topic page's raw bytes, with no Document.

    The archive never throws a fetched page away: the next crawl can ask the site
    whether the page changed (it is a known page), and a better topic filter can look
    at it again. Counted as ``pages=1, offtopic=1`` in the same transaction.
    """
    page = _prepare(record)
    with archive.transaction(serialize=True) as session:
        if run_id is not None and session.get(CrawlRun, run_id) is None:
            raise ArchiveError(f"no crawl run {run_id}")
        _ensure_source(session, record)
        captures = _add_captures(session, page, None, run_id)
        if run_id is not None:
            increment(session, run_id, pages=1, offtopic=1)
        return [c.id for c in captures]


def record_unextracted(
    archive: Archive, record: PageRecord, error_kind: str, error: str, run_id: int | None = None
) -> list[int]:
    """Keep a page that was not extracted (extraction raised, or it is too large): its
    raw bytes and why, with no Document. ``capture.error_kind`` marks it, so the next
    crawl fetches it again and a re-extraction can find it; the run records the failure.
    """
    if not record.parts:
        raise ValueError("a page record needs at least one captured part")
    page = _Page(record=record, normalized="", text_hash=None, signature=None, doc_number=None,  # type: ignore[arg-type]
                 is_draft=False)
    with archive.transaction(serialize=True) as session:
        if run_id is not None and session.get(CrawlRun, run_id) is None:
            raise ArchiveError(f"no crawl run {run_id}")
        _ensure_source(session, record)
        captures = _add_captures(session, page, None, run_id)
        for capture in captures:
            capture.error_kind, capture.error = error_kind, error
        return [c.id for c in captures]


def _prepare(record: PageRecord) -> _Page:
    if not record.parts:
        raise ValueError("a page record needs at least one captured part")
    if record.source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {', '.join(SOURCE_KINDS)}, not {record.source_kind!r}")
    ex = record.extraction
    normalized = normalize_text(ex.text or "")
    return _Page(
        record=record,
        normalized=normalized,
        text_hash=sha256_hex(normalized.encode("utf-8")),
        signature=neardup.signature(normalized),
        doc_number=normalize_doc_number(ex.doc_number),
        is_draft=ex.status == "draft",
    )


def _ingest(session: Session, page: _Page, run_id: int | None) -> IngestResult:
    if run_id is not None and session.get(CrawlRun, run_id) is None:
        raise ArchiveError(f"no crawl run {run_id}")
    _ensure_source(session, page.record)
    doc, draft_match = _find_document(session, page)
    numbered_now = False
    if doc is None:
        doc = _new_document(session, page)
        numbered_now = doc.doc_number is not None
        version = _new_version(session, doc, page)
        outcome = "new_document"
    else:
        if doc.doc_number is None and page.doc_number and not _number_taken(session, page.doc_number):
            doc.doc_number = page.doc_number
            doc.doc_number_raw = page.record.extraction.doc_number_raw or page.record.extraction.doc_number
            numbered_now = True
        version, outcome = _place_version(session, doc, page)
    captures = _add_captures(session, page, version, run_id)
    _add_attachments(session, page, doc, version)
    _update_document(session, doc, page)
    if draft_match is not None:
        _link_draft(doc, draft_match, page.is_draft)
    _record_citations(session, doc, page)
    if numbered_now:
        _resolve_citations_to(session, doc)
    if run_id is not None:
        increment(session, run_id, pages=1, **{OUTCOME_COUNTERS[outcome]: 1})
    session.flush()
    return IngestResult(outcome, doc.id, version.id, [c.id for c in captures])


def _ensure_source(session: Session, record: PageRecord) -> None:
    # Captures need their source row; a crawl of a source not yet synced from the
    # registry still archives its pages.
    if session.get(Source, record.source_id) is None:
        session.add(
            Source(id=record.source_id, name=record.source_id, kind=record.source_kind, family="generic")
        )
        session.flush()


def _is_draft(doc: Document) -> bool:
    return doc.status == "draft"


def _number_taken(session: Session, doc_number: str) -> bool:
    return session.scalar(select(Document.id).where(Document.doc_number == doc_number)) is not None


# --- identity -----------------------------------------------------------------------


def _find_document(session: Session, page: _Page) -> tuple[Document | None, Document | None]:
    """(the page's Document or None for a new one, a draft/final counterpart to link)."""
    if page.doc_number:
        doc = session.scalar(select(Document).where(Document.doc_number == page.doc_number))
        # A draft and its final are different documents even when a page gives
        # both the same number; the page then falls through to the text match.
        if doc is not None and _is_draft(doc) == page.is_draft:
            return doc, None

    scores = _text_matches(session, page)
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(list(scores))))} if scores else {}
    same_kind: list[tuple[float, int]] = []
    counterpart: list[tuple[float, int]] = []
    for doc_id, score in scores.items():
        doc = docs[doc_id]
        if _is_draft(doc) != page.is_draft:
            counterpart.append((score, -doc_id))
        # A page with its own 文号 never joins a document known by another number.
        elif page.doc_number is None or doc.doc_number is None:
            same_kind.append((score, -doc_id))
    link = docs[-max(counterpart)[1]] if counterpart else None
    if same_kind:
        return docs[-max(same_kind)[1]], link

    doc = _document_at_url(session, page)
    if doc is not None and _is_draft(doc) == page.is_draft and (page.doc_number is None or doc.doc_number is None):
        return doc, link
    return None, link


def _text_matches(session: Session, page: _Page) -> dict[int, float]:
    """{document_id: similarity} of documents whose text this page's text matches."""
    if not page.comparable:
        return {}
    scores: dict[int, float] = {}
    exact = select(Version.document_id).where(Version.text_hash == page.text_hash)
    # A copy recorded against a version keeps its own text hash on its capture.
    copied = (
        select(Version.document_id)
        .join(Capture, Capture.version_id == Version.id)
        .where(Capture.text_hash == page.text_hash)
    )
    for doc_id in session.scalars(exact.union(copied)):
        scores[doc_id] = 1.0
    if page.signature is None:
        return scores
    candidates = (
        select(VersionBand.version_id)
        .where(tuple_(VersionBand.band_no, VersionBand.band_hash).in_(page.signature.bands()))
        .group_by(VersionBand.version_id)
        .order_by(func.count().desc())
        .limit(MAX_CANDIDATES)
    )
    rows = session.execute(
        select(Version.document_id, Version.signature, Version.signature_scheme).where(
            Version.id.in_(candidates)
        )
    )
    for doc_id, sig_bytes, scheme in rows:
        if sig_bytes is None or scheme != page.signature.scheme:
            continue
        score = page.signature.jaccard(neardup.Signature.from_bytes(sig_bytes, scheme))
        if score >= neardup.MATCH_THRESHOLD and score > scores.get(doc_id, 0.0):
            scores[doc_id] = score
    return scores


def _document_at_url(session: Session, page: _Page) -> Document | None:
    """The document an earlier capture of this page's URL, from this source, belongs to."""
    stmt = (
        select(Document)
        .join(Version, Version.document_id == Document.id)
        .join(Capture, Capture.version_id == Version.id)
        .where(
            Capture.source_id == page.record.source_id,
            Capture.part_no == 0,
            or_(Capture.url.in_(page.urls), Capture.final_url.in_(page.urls)),
        )
        .order_by(Capture.fetched_at.desc(), Capture.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def _new_document(session: Session, page: _Page) -> Document:
    ex = page.record.extraction
    number = page.doc_number if page.doc_number and not _number_taken(session, page.doc_number) else None
    doc = Document(
        doc_number=number,
        doc_number_raw=(ex.doc_number_raw or ex.doc_number) if page.doc_number else None,
        # Set here, not with the other fields: draft-ness is identity.
        status=ex.status,
        field_sources={"status": page.record.source_id} if ex.status else {},
        topics=[],
        first_seen=page.fetched_at,
        last_seen=page.fetched_at,
    )
    session.add(doc)
    session.flush()
    return doc


def _link_draft(doc: Document, counterpart: Document, page_is_draft: bool) -> None:
    final, draft = (counterpart, doc) if page_is_draft else (doc, counterpart)
    if final.draft_of_id is None and final.id != draft.id:
        final.draft_of_id = draft.id


# --- versions -----------------------------------------------------------------------


def _place_version(session: Session, doc: Document, page: _Page) -> tuple[Version, str]:
    version = session.scalar(
        select(Version).where(Version.document_id == doc.id, Version.text_hash == page.text_hash)
    )
    if version is None:
        version = session.scalar(
            select(Version)
            .join(Capture, Capture.version_id == Version.id)
            .where(Version.document_id == doc.id, Capture.text_hash == page.text_hash)
            .limit(1)
        )
    if version is not None:
        _seen(version, page.fetched_at)
        return version, "unchanged"
    if not _seen_from_same_origin(session, doc, page):
        copy_of = _closest_version(session, doc, page)
        if copy_of is not None:
            _seen(copy_of, page.fetched_at)
            if _rank_of(session, page.record.source_id) > _text_rank(session, copy_of):
                _adopt_text(session, copy_of, page)
            return copy_of, "unchanged"
    return _new_version(session, doc, page), "new_version"


def _text_rank(session: Session, version: Version) -> int:
    """Rank of the best source whose page yielded exactly this version's text."""
    rank = _source_rank()
    best = session.scalar(
        select(func.max(rank))
        .select_from(Capture)
        .join(Source, Source.id == Capture.source_id)
        .where(Capture.version_id == version.id, Capture.text_hash == version.text_hash)
    )
    return best or 0


def _adopt_text(session: Session, version: Version, page: _Page) -> None:
    """Make a more authoritative copy's text the version's text.

    An aggregator may be archived before the government site; its copy of the text
    carries site noise. The version stays the same version (same wording); it is
    shown with the better source's text from then on. The earlier copy's own text
    hash stays on its captures, so the next crawl still recognizes it.
    """
    sig = page.signature
    version.text = page.record.extraction.text or ""
    version.text_hash = page.text_hash
    version.signature = sig.to_bytes() if sig else None
    version.signature_scheme = sig.scheme if sig else None
    session.execute(delete(VersionBand).where(VersionBand.version_id == version.id))
    _add_bands(session, version, sig)


def _seen_from_same_origin(session: Session, doc: Document, page: _Page) -> bool:
    """Whether this source or this URL already gave the document a text.

    A different text from there is a real change; from elsewhere it may be a copy.
    """
    stmt = (
        select(Capture.id)
        .join(Version, Version.id == Capture.version_id)
        .where(
            Version.document_id == doc.id,
            or_(
                Capture.source_id == page.record.source_id,
                Capture.url.in_(page.urls),
                Capture.final_url.in_(page.urls),
            ),
        )
        .limit(1)
    )
    return session.scalar(stmt) is not None


def _closest_version(session: Session, doc: Document, page: _Page) -> Version | None:
    """The document's version this text is a copy of (site noise only), if any."""
    if page.signature is None:
        return None
    best: tuple[float, Version] | None = None
    for version in session.scalars(select(Version).where(Version.document_id == doc.id)):
        if version.signature is None or version.signature_scheme != page.signature.scheme:
            continue
        score = page.signature.jaccard(neardup.Signature.from_bytes(version.signature, version.signature_scheme))
        if score >= neardup.COPY_THRESHOLD and (best is None or score > best[0]):
            best = (score, version)
    return best[1] if best else None


def _new_version(session: Session, doc: Document, page: _Page) -> Version:
    sig = page.signature
    version = Version(
        document_id=doc.id,
        text=page.record.extraction.text or "",
        text_hash=page.text_hash,
        signature=sig.to_bytes() if sig else None,
        signature_scheme=sig.scheme if sig else None,
        first_seen=page.fetched_at,
        last_seen=page.fetched_at,
        source_id=page.record.source_id,
    )
    session.add(version)
    session.flush()
    _add_bands(session, version, sig)
    return version


def _add_bands(session: Session, version: Version, sig: neardup.Signature | None) -> None:
    if sig is not None:
        session.add_all(
            VersionBand(version_id=version.id, band_no=no, band_hash=h) for no, h in sig.bands()
        )


def _seen(version: Version, at: datetime) -> None:
    version.last_seen = max(version.last_seen, at)
    version.first_seen = min(version.first_seen, at)


def _add_captures(session: Session, page: _Page, version: Version | None, run_id: int | None) -> list[Capture]:
    record = page.record
    captures = [
        Capture(
            run_id=run_id,
            source_id=record.source_id,
            url=part.url,
            final_url=part.final_url or part.url,
            fetched_at=part.fetched_at,
            http_status=part.status,
            etag=part.etag,
            last_modified=part.last_modified,
            content_type=part.content_type,
            encoding=part.encoding or record.extraction.encoding,
            sha256=sha256_hex(part.body),
            raw=zlib.compress(part.body, 6),
            raw_codec=RAW_CODEC,
            raw_size=len(part.body),
            part_no=part_no,
            text_hash=page.text_hash,
            version_id=version.id if version is not None else None,
        )
        for part_no, part in enumerate(record.parts)
    ]
    session.add_all(captures)
    session.flush()
    return captures


def _add_attachments(session: Session, page: _Page, doc: Document, version: Version) -> None:
    for att in page.record.attachments:
        digest = sha256_hex(att.part.body)
        known = session.scalar(
            select(Attachment.id).where(
                Attachment.version_id == version.id, Attachment.url == att.part.url, Attachment.sha256 == digest
            )
        )
        if known is not None:
            continue
        session.add(
            Attachment(
                document_id=doc.id,
                version_id=version.id,
                url=att.part.url,
                name=(att.name or "")[:500] or None,
                kind=att.kind,
                content_type=att.part.content_type,
                http_status=att.part.status,
                fetched_at=att.part.fetched_at,
                sha256=digest,
                raw=zlib.compress(att.part.body, 6),
                raw_codec=RAW_CODEC,
                raw_size=len(att.part.body),
                text=att.text or None,
                error=(att.error or "")[:300] or None,
            )
        )
    session.flush()


def decompress_raw(data: bytes, codec: str) -> bytes:
    """The raw bytes of a capture, as fetched."""
    if codec == "zlib":
        return zlib.decompress(data)
    raise ValueError(f"unknown raw codec {codec!r}")


# --- the document's summary fields ----------------------------------------------------


def _source_rank() -> Any:
    """KIND_RANK as SQL, over a query joined to Source."""
    return case(*((Source.kind == kind, r) for kind, r in KIND_RANK.items()), else_=0)


def _rank_of(session: Session, source_id: str | None) -> int:
    source = session.get(Source, source_id) if source_id else None
    return KIND_RANK.get(source.kind, 0) if source else 0


def _update_document(session: Session, doc: Document, page: _Page) -> None:
    record, ex = page.record, page.record.extraction
    doc.first_seen = min(doc.first_seen, page.fetched_at)
    doc.last_seen = max(doc.last_seen, page.fetched_at)

    source = session.get(Source, record.source_id)
    rank = KIND_RANK.get(source.kind, 0) if source else 0
    values: dict[str, Any] = {name: getattr(ex, name) for name in METADATA_FIELDS}
    if not values["region"] and source is not None and source.kind == "gov":
        values["region"] = source.region  # a government site's region is its notices' region
    if page.doc_number and doc.doc_number == page.doc_number:
        values["doc_number_raw"] = ex.doc_number_raw
    if _is_draft(doc) != page.is_draft:
        values.pop("status")  # draft-ness is identity, fixed when the document was made
    sources = dict(doc.field_sources or {})
    for name, value in values.items():
        if value is None or value == "":
            continue  # never overwrite a value with nothing
        current = getattr(doc, name)
        previous = sources.get(name)
        # A more authoritative source wins; among equals the first keeps its value
        # (two aggregators would otherwise flip a title back and forth), but a source
        # may correct its own value.
        if current is None or previous == record.source_id or rank > _rank_of(session, previous):
            setattr(doc, name, value)
            sources[name] = record.source_id
    doc.field_sources = sources
    if ex.topics:
        doc.topics = list(dict.fromkeys([*(doc.topics or []), *ex.topics]))

    _choose_current(session, doc)


def _choose_current(session: Session, doc: Document) -> None:
    """Point the document at the text most recently seen on its most authoritative source.

    One query: the newest page capture from the best-ranked source names both the
    current version and the authoritative URL.
    """
    rank = _source_rank()
    row = session.execute(
        select(Capture.version_id, Capture.final_url, Capture.source_id)
        .join(Version, Version.id == Capture.version_id)
        .join(Source, Source.id == Capture.source_id)
        .where(Version.document_id == doc.id, Capture.part_no == 0)
        .order_by(rank.desc(), Capture.fetched_at.desc(), Capture.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        doc.current_version_id, doc.authoritative_url, doc.authoritative_source_id = row


# --- citations ------------------------------------------------------------------------


def _record_citations(session: Session, doc: Document, page: _Page) -> None:
    own = {doc.doc_number, page.doc_number}
    cited = [normalize_doc_number(n) for n in page.record.extraction.cited_doc_numbers]
    wanted = [n for n in dict.fromkeys(cited) if n and n not in own]
    if not wanted:
        return
    known = set(
        session.scalars(
            select(Citation.cited_number).where(
                Citation.document_id == doc.id, Citation.cited_number.in_(wanted)
            )
        )
    )
    targets = dict(
        session.execute(
            select(Document.doc_number, Document.id).where(Document.doc_number.in_(wanted))
        ).all()
    )
    session.add_all(
        Citation(document_id=doc.id, cited_number=n, cited_document_id=targets.get(n))
        for n in wanted
        if n not in known
    )


def _resolve_citations_to(session: Session, doc: Document) -> None:
    """Older citations of this document's number, made before it was archived, now point to it."""
    session.execute(
        update(Citation)
        .where(
            Citation.cited_number == doc.doc_number,
            Citation.cited_document_id.is_(None),
            Citation.document_id != doc.id,
        )
        .values(cited_document_id=doc.id)
        .execution_options(synchronize_session=False)
    )
