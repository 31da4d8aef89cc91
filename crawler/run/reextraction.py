"""Re-extraction: read stored pages again with today's extractors (after an extractor
change) and hand each new reading to ingest, the entry a crawl writes through. Lives on
the crawler side because it joins the two: extraction (crawler.work.item_extraction) and the
archive (storage.ingest, with storage.reextract's stored pages)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from crawler.items import PageRecord
from crawler.work.item_extraction import extract_item
from spiders.registry import RegistryError, Source, load_registry


def _registries(registry_path: str | None) -> dict[str, Source]:
    from crawler.samples.server import sample_registry_path

    sources: dict[str, Source] = {}
    for path in (sample_registry_path(), None) if registry_path is None else (registry_path,):
        try:
            sources.update(load_registry(path))
        except (RegistryError, FileNotFoundError):
            continue
    return sources


def reextract(archive: Any, *, source_id: str | None = None, since: date | None = None,
              registry_path: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    from storage.ingest import ingest
    from storage.reextract import page_ids, stored_pages

    registry = _registries(registry_path)
    total = len(page_ids(archive, source_id, since))
    texts: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    documents: set[int] = set()
    updated: set[int] = set()
    errors, now_on_topic, done = 0, 0, 0
    for stored in stored_pages(archive, source_id, since):
        item = stored.item
        source = registry.get(item.source_id) or Source(item.source_id, item.source_id, stored.source_kind, "generic")
        try:
            extraction, files = extract_item(item, source)
        except Exception:  # a page today's extractor cannot read: reported, nothing changed
            errors += 1
        else:
            record = PageRecord(item.source_id, stored.source_kind, item.parts, extraction, files)
            change = ingest(archive, record, reextract_of=stored)
            texts[change.outcome] += 1
            now_on_topic += change.outcome == "offtopic" and extraction.on_topic
            if change.document_id is not None:
                documents.add(change.document_id)
                if change.fields:
                    updated.add(change.document_id)
            fields.update(change.fields)
        done += 1
        if progress:
            progress(done, total)
    return {
        "pages": total,
        "documents": len(documents),
        "metadata_updated": len(updated),
        "fields": dict(sorted(fields.items())),
        "text_same": texts["same"],
        "text_recleaned": texts["recleaned"],
        "text_differs": texts["differs"],
        "offtopic": texts["offtopic"],
        "now_on_topic": now_on_topic,
        "errors": errors,
        "new_versions": 0,
    }
