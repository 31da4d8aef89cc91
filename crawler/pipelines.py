"""The archive pipeline: extract, filter by topic, ingest: one transaction per page.

The work runs in the reactor's thread pool, never on the reactor thread: a slow page
(or a slow archive) must not stall fetching or fire timeouts late. A page that cannot
be extracted, or is larger than POLICY_MAX_PAGE_BYTES, is kept raw with the reason.
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.extract.model import Extraction
from crawler.items import PageItem, PageRecord
from crawler.item_extraction import extract_item
from crawler.crawl_state import RunContext, run_context
from storage.ingest import ingest, record_offtopic, record_unextracted
from storage.known_pages import mark_unchanged

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024


class ArchivePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.max_page_bytes = crawler.settings.getint("POLICY_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ArchivePipeline":
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        ctx = run_context(self.crawler)
        source = self.crawler.spider.sources[item.source_id]
        await maybe_deferred_to_future(deferToThread(self.archive_page, ctx, item, source))
        return item

    def archive_page(self, ctx: RunContext, item: PageItem, source: Any) -> None:
        run_id = ctx.run_for(item.source_id)
        if item.not_modified:
            self.recheck_unchanged(ctx, item, run_id)
            return
        size = sum(len(p.body) for p in item.parts)
        if size > self.max_page_bytes:
            self.keep_raw(ctx, item, source, "too_large",
                          f"{size} bytes, over POLICY_MAX_PAGE_BYTES ({self.max_page_bytes}): kept raw, not extracted")
            return
        try:
            extraction, files = extract_item(item, source)
        except Exception as exc:  # one bad page must not end the crawl, nor lose its bytes
            log.warning("extraction failed for %s: %s", item.url, exc)
            self.keep_raw(ctx, item, source, "parse", f"{type(exc).__name__}: {exc}")
            return
        record = PageRecord(
            source_id=source.id, source_kind=source.kind, parts=item.parts, extraction=extraction, attachments=files
        )
        try:
            if not extraction.on_topic:
                record_offtopic(ctx.archive, record, run_id)
                ctx.page_done(item.source_id, "off-topic")
                return
            result = ingest(ctx.archive, record, run_id)
        except Exception as exc:
            log.warning("ingest failed for %s: %s", item.url, exc)
            ctx.record_failure(item.source_id, "ingest", f"{type(exc).__name__}: {exc}", url=item.url, role="detail")
            return
        ctx.page_done(item.source_id, result.outcome.replace("_", " "))

    def keep_raw(self, ctx: RunContext, item: PageItem, source: Any, kind: str, error: str) -> None:
        record = PageRecord(source_id=source.id, source_kind=source.kind, parts=item.parts, extraction=Extraction())
        try:
            record_unextracted(ctx.archive, record, kind, error, ctx.run_for(item.source_id))
        except Exception as exc:
            error = f"{error}; and the raw page could not be stored: {type(exc).__name__}: {exc}"
        ctx.record_failure(item.source_id, kind, error, url=item.url, role="detail")

    def recheck_unchanged(self, ctx: RunContext, item: PageItem, run_id: int | None) -> None:
        first = item.parts[0]
        try:
            outcome = mark_unchanged(ctx.archive, item.source_id, first.url, first.fetched_at, run_id)
        except Exception as exc:
            ctx.record_failure(item.source_id, "ingest", f"{type(exc).__name__}: {exc}", url=item.url, role="detail")
            return
        ctx.page_done(item.source_id, f"{outcome} (not modified)")
