"""Which documents a document cites (《…》（文号）), resolved to archived documents."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage.models import Citation, Document
from crawler.vocab.docnumber import normalize_doc_number
from storage.upsert import dialect_insert


@cache
def _insert(dialect: str):
    # A citation already on record stays as it is (resolved or not): written once.
    return dialect_insert(dialect, Citation).on_conflict_do_nothing(
        index_elements=[Citation.document_id, Citation.cited_number])


_TARGETS = select(Document.doc_number, Document.id).where(
    Document.doc_number.in_(bindparam("numbers", expanding=True))
)


def record_citations(session: Session, doc: Document, page: PageRecord) -> None:
    own = {doc.doc_number, page.doc_number}
    cited = [normalize_doc_number(n) for n in page.extraction.cited_doc_numbers]
    wanted = [n for n in dict.fromkeys(cited) if n and n not in own]
    if not wanted:
        return
    # Flushed first: a document given its number by this very page is a target too.
    session.flush()
    conn = session.connection()
    targets = dict(conn.execute(_TARGETS, {"numbers": wanted}).all())
    rows = [{"document_id": doc.id, "cited_number": n, "cited_document_id": targets.get(n)} for n in wanted]
    # Core: nothing reads these rows back as objects in this transaction
    conn.execute(_insert(conn.dialect.name), rows)


_RESOLVE = (
    update(Citation.__table__)
    .where(
        Citation.cited_number == bindparam("number"),
        Citation.cited_document_id.is_(None),
        Citation.document_id != bindparam("doc"),
    )
    .values(cited_document_id=bindparam("target"))
)


def resolve_citations_to(session: Session, doc: Document) -> None:
    """Older citations of this document's number, made before it was archived, now point to it."""
    session.connection().execute(_RESOLVE, {"number": doc.doc_number, "doc": doc.id, "target": doc.id})
