"""The archive's Python API: what the CLI's read commands are built on.

    from storage.api import Filters, export, get, new, open_archive, search, stats

    with open_archive("sqlite:///data/archive.db", read_only=True) as archive:
        result = search(archive, '养老 -征求意见稿', Filters.parse(region="辽宁", since="2020-01-01"))
        print(result.total, [(h.doc_number, h.title, h.snippet) for h in result.hits])
        doc = get(archive, "国办发[2019]5号")  # any bracket form
        fresh = new(archive, parse_since("7d"))
        rows = list(export(archive, Filters.parse(topic="eldercare")))

Every function takes an open Archive and returns plain dataclasses or dicts (``to_dict()``
gives JSON-ready values); bad input raises QueryError, a bad archive ArchiveError, each
with a one-line message.
"""
from __future__ import annotations

from storage.db import Archive, ArchiveError, open_archive
from storage.exports import atom_feed, export_rows as export, new, write_export
from storage.queries import DocumentDetail, archive_stats as stats, get_document as get
from storage.search import SearchHit, SearchResult, search
from storage.search_filters import TOPICS, Filters, parse_date, parse_since
from storage.search_index import reindex
from storage.search_query import QueryError

__all__ = [
    "TOPICS", "Archive", "ArchiveError", "DocumentDetail", "Filters", "QueryError", "SearchHit",
    "SearchResult", "atom_feed", "export", "get", "new", "open_archive", "parse_date", "parse_since",
    "reindex", "search", "stats", "write_export",
]
