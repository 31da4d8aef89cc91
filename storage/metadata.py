"""A document's metadata, merged field by field from its pages by source rank."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from crawler.vocab.sources import SOURCE_RANK
from crawler.items import PageRecord
from storage.authority import choose_current, rank_of, source_facts
from storage.identity import is_draft
from storage.models import Document

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


def update_document(session: Session, doc: Document, page: PageRecord) -> None:
    record, ex = page, page.extraction
    doc.first_seen = min(doc.first_seen, page.fetched_at)
    doc.last_seen = max(doc.last_seen, page.fetched_at)

    source = source_facts(session, record.source_id)
    rank = SOURCE_RANK.get(source.kind, 0) if source else 0
    values: dict[str, Any] = {name: getattr(ex, name) for name in METADATA_FIELDS}
    if not values["region"] and source is not None and source.kind == "gov":
        values["region"] = source.region  # a government site's region is its notices' region
    if page.doc_number and doc.doc_number == page.doc_number:
        values["doc_number_raw"] = ex.doc_number_raw
    if is_draft(doc) != page.is_draft:
        values.pop("status")  # draft-ness is identity, fixed when the document was made
    merge_fields(session, doc, values, record.source_id, rank)
    if ex.topics:
        doc.topics = list(dict.fromkeys([*(doc.topics or []), *ex.topics]))

    choose_current(session, doc)


def merge_fields(session: Session, doc: Document, values: dict[str, Any], source_id: str, rank: int) -> list[str]:
    """Set each non-empty value where this source may; the names of fields that changed."""
    sources = dict(doc.field_sources or {})
    changed = []
    for name, value in values.items():
        if value is None or value == "":
            continue  # never overwrite a value with nothing
        current = getattr(doc, name)
        previous = sources.get(name)
        # A more authoritative source wins; among equals the first keeps its value
        # (two aggregators would otherwise flip a title back and forth), but a source
        # may correct its own value.
        if current is None or previous == source_id or rank > rank_of(session, previous):
            if current != value:
                changed.append(name)
            setattr(doc, name, value)
            sources[name] = source_id
    doc.field_sources = sources
    return changed
