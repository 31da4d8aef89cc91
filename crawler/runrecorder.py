"""Every crawl is a CrawlRun row: this extension counts requests, records failures by
kind, and closes the runs with a status when the spider closes."""
from __future__ import annotations

from typing import Any

from scrapy import signals

from crawler.runcontext import open_missing_runs, run_context
from crawler.signals import fetch_failed, listing_discovered
from storage import runs
from storage.recheck import known_pages

class RunRecorder:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        # {source_id: {reason: [listing pages, links]}}: listings read by discovery
        self.discovered: dict[str, dict[str, list[int]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RunRecorder":
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.fetch_failed, signal=fetch_failed)
        crawler.signals.connect(ext.listing_discovered, signal=listing_discovered)
        return ext

    @property
    def ctx(self):  # noqa: ANN201
        return run_context(self.crawler)

    def spider_opened(self, spider: Any) -> None:
        sources = list(getattr(spider, "sources", {}).values())
        open_missing_runs(self.ctx, sources)
        # Incremental by default: the spider learns which pages the archive already has,
        # to ask for them conditionally and to stop a listing walk where they begin.
        if not self.crawler.settings.getbool("POLICY_FULL_WALK") and hasattr(spider, "known"):
            for source in sources:
                spider.known[source.id] = known_pages(self.ctx.archive, source.id)

    def request_reached(self, request: Any, spider: Any) -> None:
        source_id = request.meta.get("source_id")
        if source_id:
            self.ctx.requests[source_id] += 1

    def fetch_failed(self, source_id: str | None, role: str | None, kind: str, message: str, url: str) -> None:
        self.ctx.record_error(source_id, kind, message)

    def listing_discovered(self, source_id: str, url: str, reason: str, links: int) -> None:
        tally = self.discovered.setdefault(source_id, {}).setdefault(reason, [0, 0])
        tally[0] += 1
        tally[1] += links

    def spider_error(self, failure: Any, response: Any, spider: Any) -> None:
        source_id = response.meta.get("source_id") if response is not None else None
        url = response.url if response is not None else "?"
        self.ctx.record_error(source_id, "parse", f"{url}: {failure.value}")

    def spider_closed(self, spider: Any, reason: str) -> None:
        ctx = self.ctx
        for source_id in getattr(spider, "sources", {}):
            run_id = ctx.run_for(source_id)
            if run_id is None:
                continue
            requests = ctx.requests.pop(source_id, 0)
            if requests:
                runs.count(ctx.archive, run_id, requests=requests)
            for how, (pages, links) in self.discovered.pop(source_id, {}).items():
                runs.add_note(ctx.archive, run_id, f"listing discovery ({how}): {links} notice links on {pages} listing pages")
            runs.finish_run(ctx.archive, run_id, ctx.status_of(source_id, reason))
