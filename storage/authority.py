"""Which source speaks for a document: a government site beats an aggregator, which
beats a document-sharing site (crawler.vocab.sources.SOURCE_RANK)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from crawler.vocab.sources import SOURCE_RANK
from storage.models import Capture, Document, Source, Version


def rank_sql() -> Any:
    """SOURCE_RANK as SQL, over a query joined to Source."""
    return case(*((Source.kind == kind, r) for kind, r in SOURCE_RANK.items()), else_=0)


_SOURCE_FACTS = select(Source.kind, Source.region).where(Source.id == bindparam("id"))


def source_facts(session: Session, source_id: str | None) -> Any:
    """A source's (kind, region) row, or None: read once per transaction and kept in the
    session's info (ingest asks for it four times a page; an ORM load cost more than
    the page's other lookups). Sources do not change inside an ingest transaction."""
    if not source_id:
        return None
    cache = session.info.setdefault("source_facts", {})
    if source_id not in cache:
        cache[source_id] = session.connection().execute(_SOURCE_FACTS, {"id": source_id}).first()
    return cache[source_id]


def forget_source_facts(session: Session, source_id: str) -> None:
    """After a source row is made or changed in this transaction."""
    session.info.get("source_facts", {}).pop(source_id, None)


def rank_of(session: Session, source_id: str | None) -> int:
    facts = source_facts(session, source_id)
    return SOURCE_RANK.get(facts.kind, 0) if facts else 0


# Built once, run on the connection (see storage/identity.py).
_TEXT_RANK = (
    select(func.max(rank_sql()))
    .select_from(Capture)
    .join(Source, Source.id == Capture.source_id)
    .where(Capture.version_id == bindparam("version"), Capture.text_hash == bindparam("hash"))
)
_CURRENT = (
    select(Capture.version_id, Capture.final_url, Capture.source_id)
    .join(Version, Version.id == Capture.version_id)
    .join(Source, Source.id == Capture.source_id)
    .where(Version.document_id == bindparam("doc"), Capture.part_no == 0)
    .order_by(rank_sql().desc(), Capture.fetched_at.desc(), Capture.id.desc())
    .limit(1)
)


def text_rank(session: Session, version: Version) -> int:
    """Rank of the best source whose page yielded exactly this version's text."""
    best = session.connection().scalar(_TEXT_RANK, {"version": version.id, "hash": version.text_hash})
    return best or 0


def choose_current(session: Session, doc: Document) -> None:
    """Point the document at the text most recently seen on its most authoritative source.

    One query: the newest page capture from the best-ranked source names both the
    current version and the authoritative URL.
    """
    # Captures and versions are written before this runs (Core inserts, flushed versions).
    row = session.connection().execute(_CURRENT, {"doc": doc.id}).first()
    if row is not None:
        doc.current_version_id, doc.authoritative_url, doc.authoritative_source_id = row
