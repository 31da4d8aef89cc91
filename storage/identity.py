"""Where a document is decided: which Document a page belongs to (DESIGN "Identity").

A page's own 文号 names its document; without one, a text that matches an archived
version (exactly, or as a near-duplicate through the MinHash bands) does; failing both,
the document an earlier capture of the same URL belongs to. A draft (征求意见稿) and its
final are two documents, linked.
"""
from __future__ import annotations

from sqlalchemy import TextClause, select, text, union_all
from sqlalchemy.orm import Session

from storage import neardup
from storage.models import Capture, Document, Version
from storage.prepared import PreparedPage

# Near-duplicate candidates verified per page, the ones sharing most bands first.
MAX_CANDIDATES = 200


def is_draft(doc: Document) -> bool:
    return doc.status == "draft"


def number_taken(session: Session, doc_number: str) -> bool:
    return session.scalar(select(Document.id).where(Document.doc_number == doc_number)) is not None


def find_document(session: Session, page: PreparedPage) -> tuple[Document | None, Document | None]:
    """(the page's Document or None for a new one, a draft/final counterpart to link)."""
    if page.doc_number:
        doc = session.scalar(select(Document).where(Document.doc_number == page.doc_number))
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
    candidate_ids = list(session.scalars(*band_candidates(signature)))
    if not candidate_ids:
        return {}
    rows = session.execute(
        select(Version.document_id, Version.signature, Version.signature_scheme).where(
            Version.id.in_(candidate_ids)
        )
    )
    scores: dict[int, float] = {}
    for doc_id, sig_bytes, scheme in rows:
        if sig_bytes is None or scheme != signature.scheme:
            continue
        score = signature.jaccard(neardup.MinHashSignature.from_bytes(sig_bytes, scheme))
        if score >= neardup.MATCH_THRESHOLD and score > scores.get(doc_id, 0.0):
            scores[doc_id] = score
    return scores


def text_matches(session: Session, page: PreparedPage) -> dict[int, float]:
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
    for doc_id, score in near_duplicates(session, page.signature).items():
        if score > scores.get(doc_id, 0.0):
            scores[doc_id] = score
    return scores


def _document_at_url(session: Session, page: PreparedPage) -> Document | None:
    """The document an earlier capture of this page's URL, from this source, belongs to.

    The newest such capture by its URL or by its final URL: two lookups, each in its own
    (source, part, url) index, that read only the captures of this URL, never all of the
    source's (an OR of the two columns could use neither index).
    """
    urls = sorted(page.urls)
    newest = union_all(*(
        select(Capture.fetched_at, Capture.id, Capture.version_id)
        .where(Capture.source_id == page.record.source_id, Capture.part_no == 0, column.in_(urls),
               Capture.version_id.is_not(None))
        .order_by(Capture.fetched_at.desc(), Capture.id.desc())
        .limit(1)
        .subquery()
        .select()
        for column in (Capture.url, Capture.final_url)
    ))
    rows = session.execute(newest).all()
    if not rows:
        return None
    version_id = max(rows, key=lambda r: (r.fetched_at, r.id)).version_id
    document_id = session.scalar(select(Version.document_id).where(Version.id == version_id))
    return session.get(Document, document_id) if document_id is not None else None


def new_document(session: Session, page: PreparedPage) -> Document:
    ex = page.record.extraction
    number = page.doc_number if page.doc_number and not number_taken(session, page.doc_number) else None
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


def take_number(session: Session, doc: Document, page: PreparedPage) -> bool:
    """Give an unnumbered document the page's 文号 when no other document has it."""
    if doc.doc_number is None and page.doc_number and not number_taken(session, page.doc_number):
        doc.doc_number = page.doc_number
        doc.doc_number_raw = page.record.extraction.doc_number_raw or page.record.extraction.doc_number
        return True
    return False


def link_draft(doc: Document, counterpart: Document, page_is_draft: bool) -> None:
    final, draft = (counterpart, doc) if page_is_draft else (doc, counterpart)
    if final.draft_of_id is None and final.id != draft.id:
        final.draft_of_id = draft.id
