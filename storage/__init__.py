"""The archive: models, ingest (document identity and versions), runs and queries.

The re-exported names load on first use (PEP 562): an extraction worker imports
storage.prepared, whose parent package must not pull SQLAlchemy and the models into a
process that never touches the database.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# name -> the module that defines it
_HOMES = {
    "Archive": "storage.db",
    "ArchiveError": "storage.db",
    "open_archive": "storage.db",
    "CapturedPart": "crawler.items",
    "PageRecord": "crawler.items",
    "IngestResult": "storage.ingest",
    "ingest": "storage.ingest",
    "CaptureInfo": "storage.queries",
    "CitationInfo": "storage.queries",
    "DocumentDetail": "storage.queries",
    "DocumentSummary": "storage.queries",
    "SourceInfo": "storage.queries",
    "VersionInfo": "storage.queries",
    "archive_stats": "storage.queries",
    "capture_body": "storage.queries",
    "get_document": "storage.queries",
    "list_sources": "storage.queries",
    "SearchHit": "storage.search",
    "SearchResult": "storage.search",
    "search": "storage.search",
    "Filters": "storage.search_filters",
    "RunSummary": "storage.crawl_runs",
    "count": "storage.crawl_runs",
    "finish_run": "storage.crawl_runs",
    "get_run": "storage.crawl_runs",
    "list_runs": "storage.crawl_runs",
    "record_error": "storage.crawl_runs",
    "start_run": "storage.crawl_runs",
    "sync_sources": "storage.crawl_runs",
}

__all__ = sorted(_HOMES)


# Re-exports named like their own submodule: importing storage.ingest binds the package's
# ``ingest`` to the module, where ``from storage import ingest`` has always meant the
# function (and still must, whichever was imported first).
_SHADOWED = {name for name, home in _HOMES.items() if home == f"storage.{name}"}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType) and value.__name__ == f"storage.{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


if TYPE_CHECKING:
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
    from storage.db import Archive, ArchiveError, open_archive
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
