"""The archive: models, ingest (document identity and versions), runs and queries."""
from storage.db import Archive, ArchiveError, open_archive
from crawler.items import CapturedPart, PageRecord
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
from storage.search_filters import Filters
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

__all__ = [
    "Archive",
    "ArchiveError",
    "CaptureInfo",
    "CapturedPart",
    "CitationInfo",
    "DocumentDetail",
    "DocumentSummary",
    "IngestResult",
    "PageRecord",
    "Filters",
    "RunSummary",
    "SearchHit",
    "SearchResult",
    "SourceInfo",
    "VersionInfo",
    "archive_stats",
    "capture_body",
    "count",
    "finish_run",
    "get_document",
    "get_run",
    "ingest",
    "list_runs",
    "list_sources",
    "open_archive",
    "record_error",
    "search",
    "start_run",
    "sync_sources",
]
