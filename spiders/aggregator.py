"""Policy aggregators (税屋 style): paged listings, and long articles split over
several pages (``1-2-下一页``) that are merged into one notice."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.selector import Selector

from spiders.base import FamilySpider, response_part
from spiders.page_links import fetched_attachments, page_links, page_selector
from spiders.registry import Source, request_headers
from crawler.items import CapturedPart, PageLinks

_PAGE_NO = re.compile(r"_(\d+)\.s?html?$")


def continuation_urls(response: Response, selector: str, known: Iterable[str], page: Selector | None = None) -> list[str]:
    """Links to further pages of this article, in page order, leaving out known ones.
    ``page``: the callback's selector of the response (page_links.page_selector)."""
    seen = set(known)
    urls: list[str] = []
    for href in (page if page is not None else response).css(selector).xpath("@href").getall():
        url = response.urljoin(href.strip())
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return sorted(urls, key=lambda u: int(m[1]) if (m := _PAGE_NO.search(u)) else 1)


class AggregatorSpider(FamilySpider):
    name = "aggregator"
    family = "aggregator"

    def parse_detail(self, response: Response, source: Source, listing: dict[str, str]) -> Iterable[Any]:
        if (item := self.not_modified(response, source, listing)) is not None:
            yield item  # page 1 unchanged: its continuation pages are not asked for
            return
        parts = [response_part(response)]
        page = page_selector(response)
        links = page_links(response, page)
        files = fetched_attachments(links)
        if not source.article_pager:
            yield from self.finish_item(source, listing, parts, files, links)
            return
        pending = continuation_urls(response, source.article_pager, [response.url], page)
        yield from self._next_part(source, listing, parts, pending, files, links)

    def _next_part(
        self, source: Source, listing: dict[str, str], parts: list[CapturedPart], pending: list[str],
        files: list[str], links: PageLinks | None = None,
    ) -> Iterable[Any]:
        if not pending:
            yield from self.finish_item(source, listing, parts, files, links)
            return
        url, rest = pending[0], pending[1:]
        yield scrapy.Request(
            url,
            headers=request_headers(source),
            callback=self.parse_continuation,
            errback=self.on_continuation_error,
            meta=self.source_meta(source, {"source_id": source.id, "role": "continuation"}),
            cb_kwargs={
                "source": source, "listing": listing, "parts": parts, "pending": rest, "files": files, "links": links,
            },
        )

    def parse_continuation(
        self, response: Response, source: Source, listing: dict[str, str],
        parts: list[CapturedPart], pending: list[str], files: list[str], links: PageLinks | None = None,
    ) -> Iterable[Any]:
        parts = [*parts, response_part(response)]
        known = [p.url for p in parts] + pending
        assert source.article_pager
        page = page_selector(response)
        pending = pending + continuation_urls(response, source.article_pager, known, page)
        yield from self._next_part(source, listing, parts, pending, files + fetched_attachments(page_links(response, page)), links)

    def on_continuation_error(self, failure: Any) -> Iterable[Any]:
        # A lost page 2 must not lose page 1: keep what we have and say what is missing.
        self.on_error(failure)
        kwargs = failure.request.cb_kwargs
        yield from self.finish_item(
            kwargs["source"], kwargs["listing"], kwargs["parts"], kwargs["files"], kwargs.get("links")
        )



