"""The archive's Python API, its one front door: what the CLI, the scheduler and the tests
use, each name the one its defining module gives it.

    from storage.api import Filters, export_rows, get_document, new, open_archive, search

    with open_archive("sqlite:///data/archive.db", read_only=True) as archive:
        result = search(archive, '养老 -征求意见稿', Filters.parse(region="辽宁", since="2020-01-01"))
        print(result.total, [(h.doc_number, h.title, h.snippet) for h in result.hits])
        doc = get_document(archive, "国办发[2019]5号")  # any bracket form
        fresh = new(archive, parse_since("7d"))
        rows = list(export_rows(archive, Filters.parse(topic="eldercare")))

Every function takes an open Archive and returns plain dataclasses or dicts (``to_dict()``
gives JSON-ready values); bad input raises QueryError, a bad archive ArchiveError, each
with a one-line message. The package itself (storage/__init__.py) re-exports nothing: an
extraction worker imports storage.prepared and storage.neardup, and must not pull
SQLAlchemy and the models in with them.
"""
from __future__ import annotations

import importlib
from typing import Any

# Each name → the module that defines it, imported on first use: a read command that
# searches must not pay for ingest (and numpy), exports or the crawl runs' writers.
_DEFINED_IN = {
    "storage.attachment_files": ("AttachmentDetail", "attachment_body", "get_attachment"),
    "crawler.items": ("CapturedPart", "PageRecord"),
    "storage.citation_graph": ("MAX_NODES", "citation_neighbourhood", "most_cited"),
    "storage.crawl_runs": (
        "RunSummary", "count", "finish_run", "get_run", "list_runs", "record_error", "start_run",
        "sync_sources",
    ),
    "storage.db": ("Archive", "ArchiveError", "NoArchive", "open_archive"),
    "storage.exports": ("atom_feed", "document_ids", "export_rows", "feed_id", "new", "write_export"),
    "storage.health": ("source_health",),
    "storage.history": ("NoSuchVersion", "document_diff", "document_history"),
    "storage.ingest": ("IngestResult", "ingest"),
    "storage.queries": (
        "AttachmentInfo", "CaptureInfo", "CitationInfo", "DocumentDetail", "DocumentSummary", "SourceInfo", "VersionInfo",
        "archive_stats", "capture_body", "get_document", "list_sources", "monthly_topics",
    ),
    "storage.search": ("SearchHit", "SearchResult", "search"),
    "storage.search_facets": ("FACETS", "facet_counts", "search_facets"),
    "storage.search_filters": ("TOPICS", "Filters", "parse_date", "parse_since"),
    "storage.search_index": ("reindex",),
    "storage.search_query": ("QueryError",),
    "storage.watch_match": ("MatchReport", "match_watches"),
    "storage.watches": (
        "WatchError", "WatchInfo", "add_watch", "find_watch", "get_watch", "hide_password", "list_watches",
        "remove_watch", "told",
    ),
}
_HOMES = {name: module for module, names in _DEFINED_IN.items() for name in names}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storage.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next look-up is a plain global
    return value


def __dir__() -> list[str]:
    return __all__

