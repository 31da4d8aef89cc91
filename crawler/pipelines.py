"""The archive pipeline: extract, filter by topic, ingest: one transaction per page."""
from __future__ import annotations

import logging
from typing import Any

from crawler.items import PageItem, PageRecord
from crawler.processing import extract_item
from crawler.runcontext import run_context
from storage.ingest import ingest, record_offtopic
from storage.known_pages import mark_unchanged

log = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ArchivePipeline":
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        ctx = run_context(self.crawler)
        spider = self.crawler.spider
        source = spider.sources[item.source_id]
        run_id = ctx.run_for(item.source_id)
        if item.not_modified:
            return self.recheck_unchanged(ctx, item, run_id)
        try:
            extraction, files = extract_item(item, source)
        except Exception as exc:  # one bad page must not end the crawl
            log.warning("extraction failed for %s: %s", item.url, exc)
            ctx.record_error(item.source_id, "parse", f"{item.url}: {type(exc).__name__}: {exc}")
            return item
        record = PageRecord(
            source_id=source.id, source_kind=source.kind, parts=item.parts, extraction=extraction, attachments=files
        )
        try:
            if not extraction.on_topic:
                record_offtopic(ctx.archive, record, run_id)
                ctx.page_done(item.source_id, "off-topic")
                return item
            result = ingest(ctx.archive, record, run_id)
        except Exception as exc:
            log.warning("ingest failed for %s: %s", item.url, exc)
            ctx.record_error(item.source_id, "ingest", f"{item.url}: {type(exc).__name__}: {exc}")
            return item
        ctx.page_done(item.source_id, result.outcome.replace("_", " "))
        return item

    def recheck_unchanged(self, ctx: Any, item: PageItem, run_id: int | None) -> PageItem:
        first = item.parts[0]
        try:
            outcome = mark_unchanged(ctx.archive, item.source_id, first.url, first.fetched_at, run_id)
        except Exception as exc:
            ctx.record_error(item.source_id, "ingest", f"{item.url}: {type(exc).__name__}: {exc}")
            return item
        ctx.page_done(item.source_id, f"{outcome} (not modified)")
        return item
