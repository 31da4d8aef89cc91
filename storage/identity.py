"""Where a document is decided: which Document a page belongs to (DESIGN "Identity").

A page's own 文号 names its document; without one, a text that matches an archived
version (exactly, or as a near-duplicate through the MinHash bands) does; failing both,
the document an earlier capture of the same URL belongs to. A draft (征求意见稿) and its
final are two documents, linked.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import TextClause, bindparam, select, text, union, union_all
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage import neardup
from storage.models import Capture, Document, Version
from storage.rows import insert_object

# Near-duplicate candidates verified per page, the ones sharing most bands first.
MAX_CANDIDATES = 200


def is_draft(doc: Document) -> bool:
    return doc.status == "draft"


# Ingest's lookups, built once with bound parameters and run on the session's connection
# (Core): building a statement per page, and the ORM's execution around it, cost several
# times the indexed query itself. None of them reads a row the session holds unflushed.
_NUMBERED = select(Document).where(Document.doc_number == bindparam("number"))
_NUMBER_TAKEN = select(Document.id).where(Document.doc_number == bindparam("number"))
_SAME_TEXT = union(
    select(Version.document_id).where(Version.text_hash == bindparam("hash")),
    # A copy recorded against a version keeps its own text hash on its capture.
    select(Version.document_id).join(Capture, Capture.version_id == Version.id)
    .where(Capture.text_hash == bindparam("hash")),
)
_CANDIDATE_SIGNATURES = select(Version.document_id, Version.signature, Version.signature_scheme).where(
    Version.id.in_(bindparam("ids", expanding=True))
)
_DOCUMENT_OF_VERSION = select(Version.document_id).where(Version.id == bindparam("id"))


def _newest_capture_by(column: Any) -> Any:
    return (
        select(Capture.fetched_at, Capture.id, Capture.version_id)
        .where(Capture.source_id == bindparam("source"), Capture.part_no == 0,
               column.in_(bindparam("urls", expanding=True)), Capture.version_id.is_not(None))
        .order_by(Capture.fetched_at.desc(), Capture.id.desc())
        .limit(1)
        .subquery()
        .select()
    )


# The newest capture of a URL by its URL or by its final URL: two lookups, each in its
# own (source, part, url) index, that read only the captures of this URL, never all of
# the source's (an OR of the two columns could use neither index).
_AT_URL = union_all(_newest_capture_by(Capture.url), _newest_capture_by(Capture.final_url))


def number_taken(session: Session, doc_number: str) -> bool:
    return session.connection().execute(_NUMBER_TAKEN, {"number": doc_number}).first() is not None


def find_document(session: Session, page: PageRecord) -> tuple[Document | None, Document | None]:
    """(the page's Document or None for a new one, a draft/final counterpart to link)."""
    if page.doc_number:
        doc = session.scalar(_NUMBERED, {"number": page.doc_number})
        # A draft and its final are different documents even when a page gives
        # both the same number; the page then falls through to the text match.
        if doc is not None and is_draft(doc) == page.is_draft:
            return doc, None

    scores = text_matches(session, page)
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(list(scores))))} if scores else {}
    same_kind: list[tuple[float, int]] = []
    counterpart: list[tuple[float, int]] = []
    for doc_id, score in scores.items():
        doc = docs[doc_id]
        if is_draft(doc) != page.is_draft:
            counterpart.append((score, -doc_id))
        # A page with its own 文号 never joins a document known by another number.
        elif page.doc_number is None or doc.doc_number is None:
            same_kind.append((score, -doc_id))
    link = docs[-max(counterpart)[1]] if counterpart else None
    if same_kind:
        return docs[-max(same_kind)[1]], link

    doc = _document_at_url(session, page)
    if doc is not None and is_draft(doc) == page.is_draft and (page.doc_number is None or doc.doc_number is None):
        return doc, link
    return None, link


def _band_query(bands: int) -> TextClause:
    equalities = " OR ".join(f"(band_no = :n{i} AND band_hash = :h{i})" for i in range(bands))
    return text(
        f"SELECT version_id FROM version_band WHERE {equalities} "
        "GROUP BY version_id ORDER BY count(*) DESC, version_id LIMIT :limit"
    )


# An OR of (band_no, band_hash) equalities, not ``tuple_(…).in_(…)``: SQLite plans a
# row-value IN list as a scan of the whole band table, but answers each equality from
# the lookup index (a MULTI-INDEX OR); PostgreSQL makes either a BitmapOr of index
# scans. Written as SQL once: building the 40-term expression in SQLAlchemy per page
# cost a hundred times the query itself.
BAND_QUERY = _band_query(neardup.BANDS)


def band_candidates(signature: neardup.MinHashSignature, limit: int = MAX_CANDIDATES) -> tuple[TextClause, dict]:
    """(statement, parameters): versions sharing a band with ``signature``, most shared first."""
    params: dict[str, int] = {"limit": limit}
    for i, (no, h) in enumerate(signature.bands()):
        params[f"n{i}"], params[f"h{i}"] = no, h
    return BAND_QUERY, params


def near_duplicates(session: Session, signature: neardup.MinHashSignature) -> dict[int, float]:
    """{document_id: estimated Jaccard} of versions at least MATCH_THRESHOLD alike."""
    conn = session.connection()
    candidate_ids = list(conn.scalars(*band_candidates(signature)))
    if not candidate_ids:
        return {}
    rows = conn.execute(_CANDIDATE_SIGNATURES, {"ids": candidate_ids})
    scores: dict[int, float] = {}
    for doc_id, sig_bytes, scheme in rows:
        if sig_bytes is None or scheme != signature.scheme:
            continue
        score = signature.jaccard(neardup.MinHashSignature.from_bytes(sig_bytes, scheme))
        if score >= neardup.MATCH_THRESHOLD and score > scores.get(doc_id, 0.0):
            scores[doc_id] = score
    return scores


def text_matches(session: Session, page: PageRecord) -> dict[int, float]:
    """{document_id: similarity} of documents whose text this page's text matches."""
    if not page.comparable:
        return {}
    scores = dict.fromkeys(session.connection().scalars(_SAME_TEXT, {"hash": page.text_hash}), 1.0)
    if page.signature is None:
        return scores
    for doc_id, score in near_duplicates(session, page.signature).items():
        if score > scores.get(doc_id, 0.0):
            scores[doc_id] = score
    return scores


def _document_at_url(session: Session, page: PageRecord) -> Document | None:
    """The document an earlier capture of this page's URL, from this source, belongs to."""
    conn = session.connection()
    rows = conn.execute(_AT_URL, {"source": page.source_id, "urls": sorted(page.urls)}).all()
    if not rows:
        return None
    version_id = max(rows, key=lambda r: (r.fetched_at, r.id)).version_id
    document_id = conn.scalar(_DOCUMENT_OF_VERSION, {"id": version_id})
    return session.get(Document, document_id) if document_id is not None else None


def new_document(session: Session, page: PageRecord) -> Document:
    ex = page.extraction
    number = page.doc_number if page.doc_number and not number_taken(session, page.doc_number) else None
    return insert_object(
        session, Document,
        doc_number=number,
        doc_number_raw=(ex.doc_number_raw or ex.doc_number) if page.doc_number else None,
        title=None, agency=None, region=None, doc_type=None,
        # Set here, not with the other fields: draft-ness is identity.
        status=ex.status,
        signed_date=None, published_date=None, index_number=None, category=None,
        topics=[],
        first_seen=page.fetched_at,
        last_seen=page.fetched_at,
        authoritative_url=None, authoritative_source_id=None, draft_of_id=None, current_version_id=None,
        field_sources={"status": page.source_id} if ex.status else {},
    )


def take_number(session: Session, doc: Document, page: PageRecord) -> bool:
    """Give an unnumbered document the page's 文号 when no other document has it."""
    if doc.doc_number is None and page.doc_number and not number_taken(session, page.doc_number):
        doc.doc_number = page.doc_number
        doc.doc_number_raw = page.extraction.doc_number_raw or page.extraction.doc_number
        return True
    return False


def link_draft(doc: Document, counterpart: Document, page_is_draft: bool) -> None:
    final, draft = (counterpart, doc) if page_is_draft else (doc, counterpart)
    if final.draft_of_id is None and final.id != draft.id:
        final.draft_of_id = draft.id
