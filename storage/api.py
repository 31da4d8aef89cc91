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

from crawler.items import CapturedPart, PageRecord
from storage.crawl_runs import (
    RunSummary,
    count,
    finish_run,
    get_run,
    list_runs,
    record_error,
    start_run,
    sync_sources,
)
from storage.db import Archive, ArchiveError, NoArchive, open_archive
from storage.exports import atom_feed, document_ids, export_rows, feed_id, new, write_export
from storage.health import source_health
from storage.history import NoSuchVersion, document_diff, document_history
from storage.ingest import IngestResult, ingest
from storage.queries import (
    CaptureInfo,
    CitationInfo,
    DocumentDetail,
    DocumentSummary,
    SourceInfo,
    VersionInfo,
    archive_stats,
    capture_body,
    get_document,
    list_sources,
)
from storage.search import SearchHit, SearchResult, search
from storage.search_filters import TOPICS, Filters, parse_date, parse_since
from storage.search_index import reindex
from storage.search_query import QueryError

__all__ = [
    "TOPICS", "Archive", "ArchiveError", "CaptureInfo", "CapturedPart", "CitationInfo", "DocumentDetail",
    "DocumentSummary", "Filters", "IngestResult", "NoArchive", "NoSuchVersion", "PageRecord", "QueryError", "RunSummary",
    "SearchHit", "SearchResult", "SourceInfo", "VersionInfo", "archive_stats", "atom_feed", "capture_body",
    "count", "document_diff", "document_history", "document_ids", "export_rows", "feed_id", "finish_run", "get_document",
    "get_run", "ingest", "list_runs", "list_sources", "new", "open_archive", "parse_date", "parse_since",
    "record_error", "reindex", "search", "source_health", "start_run", "sync_sources", "write_export",
]
