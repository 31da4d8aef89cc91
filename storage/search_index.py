"""The full-text index: one entry per document, kept in step by ingest, rebuilt by reindex.

SQLite: a contentless FTS5 table (``search_fts``) over the bigram tokens of
storage/search_tokens.py, its rowid the entry's ``rank_key``. PostgreSQL: the same tokens
as a 'simple' tsvector (title and 文号 weight A, the distinct characters C, body D) in
``search_entry.tsv`` with a GIN index.

The ``rank_key`` packs authority tier, publication day and a sequence number, so "the
most authoritative, newest documents first" is plain rowid order, and a query matching
most of the archive is ranked within a window of that order without a join.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import Session

from storage import search_tokens as st
from storage.search_tokens import tag
from storage.authority import source_facts
from storage.models import Capture, Document, SearchEntry, SearchGhost, Version
from storage.rank_keys import (  # noqa: F401  (the index's names, where its callers find them)
    SEQ_MASK, DAY_SHIFT, buckets_between, make_rank_key, rank_bucket, tier_of_key,
)
from storage.tables import (  # noqa: F401  (the index's names, where its callers find them)
    FTS_COLUMNS, FTS_TABLE, PG_GIN_INDEX, TIER_BARE, TIER_COPY, TIER_FACTOR, TIER_GOV,
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic comparisons: the FTS5 table and its shadow tables, and the GIN index,
    are made by migration 0005 per backend and are no SQLAlchemy models."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name == PG_GIN_INDEX)


def tags_for(topics: Iterable[str], doc_type: str | None, status: str | None, sources: Iterable[str]) -> str:
    out = [tag("tp", t) for t in topics]
    out.append(tag("ty", doc_type or ""))
    out.append(tag("st", status or ""))
    out.extend(tag("so", s) for s in sorted(set(sources)))
    return " ".join(out)


def tier_of(agency: str | None, region: str | None, doc_number: str | None, source_kind: str | None) -> int:
    if not (agency or region or doc_number):
        return TIER_BARE
    return TIER_GOV if source_kind == "gov" else TIER_COPY


@dataclass
class IndexRow:
    """One document as the index stores it: the entry's fields and the token strings."""

    document_id: int
    tier: int
    published: date | None
    version_id: int | None
    body_hash: str
    title: str | None
    doc_number: str | None
    region: str | None
    agency: str | None
    tags: str
    # Token strings (space-separated), made by search_tokens from the fields above.
    title_tokens: str
    number_tokens: str
    body_tokens: str
    chars: str
    region_tokens: str
    agency_tokens: str

    @classmethod
    def build(cls, document_id: int, *, title: str | None, doc_number: str | None, body: str,
              region: str | None, agency: str | None, tier: int, published: date | None,
              version_id: int | None, tags: str, ahead: st.BodyTokens | None = None) -> "IndexRow":
        """``ahead``: the body's tokens made beforehand; used only if they are of this body."""
        digest = body_hash(body)
        if ahead is not None and ahead.body_hash == digest:
            body_tokens = ahead.tokens
            # the same characters, in the same order, as distinct_chars(title, doc_number, body)
            seen = dict.fromkeys(st.distinct_chars(title, doc_number).split())
            seen.update(dict.fromkeys(ahead.chars))
            chars = " ".join(seen)
        else:
            body_tokens, chars = st.token_string(body), st.distinct_chars(title, doc_number, body)
        return cls(
            document_id=document_id, tier=tier, published=published, version_id=version_id,
            body_hash=digest, title=title, doc_number=doc_number, region=region, agency=agency,
            tags=tags, title_tokens=st.token_string(title), number_tokens=st.token_string(doc_number),
            body_tokens=body_tokens, chars=chars,
            region_tokens=st.field_tokens(st.REGION_PREFIX, region),
            agency_tokens=st.field_tokens(st.AGENCY_PREFIX, agency),
        )

    def fts_values(self) -> tuple[str, ...]:
        return (self.title_tokens, self.number_tokens, self.body_tokens, self.chars,
                self.region_tokens, self.agency_tokens, self.tags)


body_hash = st.body_hash


def filter_lexemes(region_tokens: str, agency_tokens: str, tags: str) -> str:
    """The filter fields' tokens as tsvector lexemes (no positions: a filter is all its
    tokens), so that on PostgreSQL a filtered search is one GIN lookup, as on FTS5.
    (The entry's rank_bucket goes with them.)"""
    return " ".join(f"'{t}'" for t in dict.fromkeys(f"{region_tokens} {agency_tokens} {tags}".split()) if "'" not in t)


# --- what a document looks like to the index ----------------------------------------


_SOURCES_OF = (
    select(Capture.source_id).distinct().join(Version, Version.id == Capture.version_id)
    .where(Version.document_id == bindparam("doc"))
)


def _fields_for(session: Session, doc: Document, new: bool = False) -> tuple[str, dict]:
    """(the body, the other IndexRow.build arguments) of a document as it is now.
    ``new``: made by this transaction's one page, whose source is its authoritative one."""
    body = ""
    if doc.current_version_id is not None:
        # Usually the version this very page placed, already in the session.
        version = session.get(Version, doc.current_version_id)
        body = (version.text if version is not None else "") or ""
    if new:
        sources = [doc.authoritative_source_id] if doc.authoritative_source_id else []
    else:
        sources = session.connection().scalars(_SOURCES_OF, {"doc": doc.id}).all()
    source = source_facts(session, doc.authoritative_source_id)
    return body, dict(
        title=doc.title, doc_number=doc.doc_number, region=doc.region, agency=doc.agency,
        tier=tier_of(doc.agency, doc.region, doc.doc_number, source.kind if source else None),
        published=doc.published_date, version_id=doc.current_version_id,
        tags=tags_for(doc.topics or [], doc.doc_type, doc.status, sources),
    )


def _row_for(session: Session, doc: Document) -> IndexRow:
    body, fields = _fields_for(session, doc)
    return IndexRow.build(doc.id, body=body, **fields)


def _entry_is_current(entry: SearchEntry, body: str, fields: dict) -> bool:
    """Whether the entry already indexes these inputs (checked before any tokenizing)."""
    return (
        (entry.version_id, entry.body_hash, entry.title, entry.doc_number, entry.region, entry.agency,
         entry.tags, entry.tier)
        == (fields["version_id"], body_hash(body), fields["title"], fields["doc_number"], fields["region"],
            fields["agency"], fields["tags"], fields["tier"])
        and entry.rank_key >> DAY_SHIFT == make_rank_key(fields["tier"], fields["published"], 0) >> DAY_SHIFT
    )


def index_document(session: Session, document: Document, ahead: st.BodyTokens | None = None,
                   new: bool = False) -> None:
    """Bring the document's index entry in step with it (inside the caller's transaction).

    Called by ingest whenever a page was archived; a no-op when nothing indexed changed
    (the common case of an unchanged page: decided before the body is tokenized).
    ``ahead``: the page's body tokens, made where the page was prepared. ``new``: the
    document was made in this transaction, from one page: it has no entry yet, and its
    only source is that page's.
    """
    session.flush()
    body, fields = _fields_for(session, document, new)
    entry = None if new else session.get(SearchEntry, document.id)
    if entry is not None and _entry_is_current(entry, body, fields):
        return
    write_rows(session, [IndexRow.build(document.id, body=body, ahead=ahead, **fields)], {document.id: entry})


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


_COLS = ", ".join(FTS_COLUMNS)
_MARKS = ", ".join(f":c{i}" for i in range(len(FTS_COLUMNS)))
_FTS_INSERT = text(f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) VALUES (:rowid, {_MARKS})")
_FTS_DELETE = text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) VALUES ('delete', :rowid, {_MARKS})")
_PG_TSV = text(
    "UPDATE search_entry SET tsv = setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :number), 'A')"
    " || to_tsvector('simple', :body) || CAST(:chars AS tsvector) || CAST(:filters AS tsvector)"
    " WHERE document_id = :id"
)
_MAX_SEQ = select(func.max(SearchEntry.seq))
# PostgreSQL (migration 0007): numbers no concurrent transaction is also given, where
# max(seq) + 1 would be read by two at once. SQLite writes one transaction at a time.
_PG_NEXT_SEQS = text("SELECT nextval('search_entry_seq') FROM generate_series(1, :n)")
_VERSION_TEXT = select(Version.text).where(Version.id == bindparam("id"))
_INSERT_ENTRY = SearchEntry.__table__.insert()


def _fts_delete(session: Session, entry: SearchEntry) -> None:
    """Remove the entry's FTS5 row: exactly when its inputs can be rebuilt, else leave it as a ghost."""
    body = ""
    if entry.version_id is not None:
        body = session.connection().scalar(_VERSION_TEXT, {"id": entry.version_id}) or ""
    if body_hash(body) != entry.body_hash:
        # The version's text was replaced in place (a better source's copy adopted):
        # the old tokens cannot be told to FTS5 again, so the row is skipped until reindex.
        session.add(SearchGhost(rank_key=entry.rank_key))
        return
    old = IndexRow.build(
        entry.document_id, title=entry.title, doc_number=entry.doc_number, body=body, region=entry.region,
        agency=entry.agency, tier=entry.tier, published=None, version_id=entry.version_id, tags=entry.tags,
    )
    session.connection().execute(
        _FTS_DELETE, {"rowid": entry.rank_key, **{f"c{i}": v for i, v in enumerate(old.fts_values())}}
    )


def write_rows(session: Session, rows: list[IndexRow], existing: dict[int, SearchEntry | None] | None = None) -> None:
    """Write (or replace) the index entries of these documents, in bulk.

    ``existing``: their current entries (None: none), when the caller has them already.
    """
    if not rows:
        return
    sqlite = _dialect(session) == "sqlite"
    if existing is not None:
        existing = {k: e for k, e in existing.items() if e is not None}
    elif len(rows) < 1000:
        existing = {e.document_id: e for e in session.scalars(
            select(SearchEntry).where(SearchEntry.document_id.in_([r.document_id for r in rows])))}
    else:
        existing = {e.document_id: e for e in session.scalars(select(SearchEntry))}
    for entry in existing.values():
        if entry.document_id in {r.document_id for r in rows}:
            if sqlite:
                _fts_delete(session, entry)
            session.delete(entry)
    session.flush()
    conn = session.connection()
    if sqlite:
        first = (conn.scalar(_MAX_SEQ) or 0) + 1
        seqs = list(range(first, first + len(rows)))
    else:
        seqs = list(conn.scalars(_PG_NEXT_SEQS, {"n": len(rows)}))
    entries = []
    for seq, row in zip(seqs, rows):
        key = make_rank_key(row.tier, row.published, seq)
        entries.append(dict(
            document_id=row.document_id, rank_key=key, seq=seq, tier=row.tier, version_id=row.version_id,
            body_hash=row.body_hash, title=row.title, doc_number=row.doc_number, region=row.region,
            agency=row.agency, tags=row.tags,
        ))
    # On the connection: Core statements through the ORM session's execute cost twice as much.
    conn.execute(_INSERT_ENTRY, entries)
    if sqlite:
        conn.execute(_FTS_INSERT, [{"rowid": e["rank_key"], **{f"c{i}": v for i, v in enumerate(r.fts_values())}}
                                   for e, r in zip(entries, rows)])
    else:
        conn.execute(
            _PG_TSV,
            [{"id": r.document_id, "title": r.title_tokens, "number": r.number_tokens, "body": r.body_tokens,
              "chars": " ".join(f"'{c}':16383C" for c in r.chars.split() if c != "'"),
              "filters": f"{filter_lexemes(r.region_tokens, r.agency_tokens, r.tags)} '{rank_bucket(e['rank_key'])}'"}
             for e, r in zip(entries, rows)],
        )


# --- rebuilding ---------------------------------------------------------------------


def clear(session: Session) -> None:
    if _dialect(session) == "sqlite":
        session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
    session.execute(delete(SearchGhost))
    session.execute(delete(SearchEntry))


def reindex(archive, progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole index from the documents' current texts; returns documents indexed."""
    with archive.transaction(serialize=True) as session:
        clear(session)
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
        done = 0
        for start in range(0, len(ids), batch):
            docs = session.scalars(select(Document).where(Document.id.in_(ids[start : start + batch]))).all()
            write_rows(session, [_row_for(session, d) for d in docs])
            session.expunge_all()
            done += len(docs)
            if progress:
                progress(done, len(ids))
        if archive.dialect == "sqlite":
            session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
        return done
