"""Archive ingest: the one entry point that writes a page's reading (DESIGN "Identity and
versions"), for a crawl and for ``reextract`` alike (``reextract_of``: a stored page read
again, storage/reextract.py decides what the new reading changes).

One call, one page, one transaction: the captures, the document and version changes,
the citations and the run's counters are written together or not at all. Ingest
transactions that could decide the same identity run one at a time (SQLite's write lock;
on PostgreSQL advisory locks on the page's identity keys, storage/locks.py), so "look up,
then insert" decisions cannot race.

Where each decision lives: identity.py (which document), versions.py (which version),
captures.py and blobs.py (raw bytes), attachments.py, metadata.py (fields by source
rank), citations.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from crawler.vocab.docnumber import normalize_doc_number
from storage.attachments import add_attachments
from storage.authority import forget_source_facts, source_facts
from storage.captures import add_captures
from storage.citations import record_citations, resolve_citations_to
from storage import locks
from storage.db import Archive, ArchiveError
from storage.drafts import find_draft_partner
from storage.identity import find_document, link_draft, new_document, take_number
from storage.metadata import update_document
from storage.models import CrawlRun, Source
from storage.prepared import is_prepared, prepare
from storage.reextract import StoredPage, reread
from storage.crawl_runs import count_page
from storage.search_index import index_document
from storage.upsert import insert_for
from storage.versions import new_version, place_version

@dataclass
class IngestResult:
    # a crawled page: "new_document" | "new_version" | "unchanged";
    # a re-extracted one: "same" | "recleaned" | "differs" | "offtopic" (what became of its text)
    outcome: str
    document_id: int | None  # None only for a re-extracted page with no document
    version_id: int | None
    capture_ids: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the metadata fields a re-extraction changed


def ingest(archive: Archive, record: PageRecord, run_id: int | None = None, *,
           reextract_of: StoredPage | None = None) -> IngestResult:
    """Archive one notice page and decide its Document and Version.

    Outcome "new_document", "new_version" or "unchanged" (the text is one the
    document already has, possibly a copy with another site's noise). A record
    already prepared (``prepare(record)``, which the crawl runs in its extraction
    workers) is taken as it is.

    With ``reextract_of``, the record is a new reading of that stored page: no capture,
    never a new version; metadata and re-cleaned text are updated in place (``run_id`` is
    not used: a re-extraction is no crawl run).
    """
    page = _prepared(record)
    if reextract_of is not None:
        with archive.transaction(serialize=True) as session:
            outcome, document_id, fields = reread(session, page, reextract_of)
        version_id = reextract_of.version_id if document_id is not None else None
        return IngestResult(outcome, document_id, version_id, fields=fields)
    keys = locks.identity_keys(
        page.doc_number, page.urls, page.text_hash, page.signature.bands() if page.signature else (),
        (normalize_doc_number(n) for n in page.extraction.cited_doc_numbers),
    )
    return locks.run_locked(archive, keys, lambda session: _ingest(session, page, run_id))


def record_offtopic(archive: Archive, record: PageRecord, run_id: int | None = None) -> list[int]:
    """Keep an off-topic page's raw bytes, with no Document.

    The archive never throws a fetched page away: the next crawl can ask the site
    whether the page changed (it is a known page), and a better topic filter can look
    at it again. Counted as ``pages=1, offtopic=1`` in the same transaction.
    """
    page = _prepared(record)
    return locks.run_locked(archive, locks.identity_keys(urls=page.urls), lambda session: _offtopic(session, page, run_id))


def _prepared(record: PageRecord) -> PageRecord:
    return record if is_prepared(record) else prepare(record)


def _offtopic(session: Session, page: PageRecord, run_id: int | None) -> list[int]:
    _check_run(session, run_id)
    _ensure_source(session, page)
    capture_ids = add_captures(session, page, None, run_id)
    count_page(session, run_id, "offtopic")
    return capture_ids


def record_unextracted(
    archive: Archive, record: PageRecord, error_kind: str, error: str, run_id: int | None = None
) -> list[int]:
    """Keep a page that was not extracted (extraction raised, or it is too large): its
    raw bytes and why, with no Document. ``capture.error_kind`` marks it, so the next
    crawl fetches it again and ``reextract`` can find it; the run records the failure.
    """
    if not record.parts:
        raise ValueError("a page record needs at least one captured part")

    def keep(session: Session) -> list[int]:
        _check_run(session, run_id)
        _ensure_source(session, record)
        return add_captures(session, record, None, run_id, error_kind, error)

    # Locked by its URLs like an off-topic page (no identity to decide), not globally.
    return locks.run_locked(archive, locks.identity_keys(urls=record.urls), keep)


def _ingest(session: Session, page: PageRecord, run_id: int | None) -> IngestResult:
    _check_run(session, run_id)
    _ensure_source(session, page)
    doc, draft_match = find_document(session, page)
    if doc is None:
        doc = new_document(session, page)
        numbered_now = doc.doc_number is not None
        version = new_version(session, doc, page)
        outcome = "new_document"
    else:
        numbered_now = take_number(session, doc, page)
        version, outcome = place_version(session, doc, page)
    capture_ids = add_captures(session, page, version, run_id)
    add_attachments(session, page, doc, version)
    update_document(session, doc, page)
    if draft_match is None and outcome == "new_document":
        draft_match = find_draft_partner(session, doc, page)
    if draft_match is not None:
        link_draft(doc, draft_match, page.is_draft)
    record_citations(session, doc, page)
    if numbered_now:
        resolve_citations_to(session, doc)
    count_page(session, run_id, outcome)
    index_document(session, doc, page.body_tokens, new=outcome == "new_document")
    session.flush()
    return IngestResult(outcome, doc.id, version.id, capture_ids)


_RUN_EXISTS = select(CrawlRun.id).where(CrawlRun.id == bindparam("id"))


def _check_run(session: Session, run_id: int | None) -> None:
    if run_id is not None and session.connection().execute(_RUN_EXISTS, {"id": run_id}).first() is None:
        raise ArchiveError(f"no crawl run {run_id}")


def _ensure_source(session: Session, record: PageRecord) -> None:
    """Make the page's Source row when it is missing: captures need it, and a crawl of a
    source not yet synced from the registry still archives its pages."""
    if source_facts(session, record.source_id) is None:
        # Two crawls of the same unsynced source may make the row at once: whoever is second keeps the first's.
        session.execute(insert_for(session, Source).values(
            id=record.source_id, name=record.source_id, kind=record.source_kind, family="generic",
        ).on_conflict_do_nothing(index_elements=[Source.id]))
        forget_source_facts(session, record.source_id)
