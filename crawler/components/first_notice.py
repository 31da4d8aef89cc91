"""The two components a check crawl (crawler/run/check.py) plugs into Scrapy: a spider
middleware that stops each source after its first listing page with notice links and the
first notice on it, and a pipeline that extracts that notice instead of archiving it; the
Finding each source gets, and the settings that make a crawl a check. They run in the crawl
child; the parent side (starting the child, reading its findings) is crawler/run/check.py."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from crawler import settings as project_settings
from spiders.registry import Source

# Listing hops a source may take before its first notice link (gkmlpt: config, then list).
MAX_LISTING_HOPS = 3
MAX_ERRORS = 3
# Where a listing request stands in the order the spider asks for them (start request,
# then the listing pages each one leads to), for FirstNoticeMiddleware's choice.
RANK = "check_rank"


@dataclass
class Finding:
    """What the check saw of one source (the child writes these; CheckResult and the
    probe's ProbeResult are made from them)."""

    source: str
    family: str = ""
    listing_url: str | None = None  # the first listing page with notice links
    listing_status: int | None = None
    listing_reachable: bool = False
    notices: list[str] = field(default_factory=list)  # its notice links, in order
    next_page: str | None = None  # the listing page after it, as one line
    detail_url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    doc_number_raw: str | None = None
    published_date: str | None = None
    date: str | None = None  # published, else signed
    errors: list[list[str]] = field(default_factory=list)
    seconds: float | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def _found(crawler: Any, source_id: str) -> Finding:
    """The crawler's Finding for a source, made on first use."""
    found = crawler.__dict__.setdefault("_policy_check_findings", {})
    if source_id not in found:
        found[source_id] = Finding(source=source_id)
    return found[source_id]


def _is_listing(response: Any) -> bool:
    """A listing page that answered (an error answer reaches here too, through the errback)."""
    return (response.meta.get("role") == "listing" and bool(response.meta.get("source_id"))
            and 200 <= response.status < 300)


def _describe(request: Any) -> str:
    """A next-page request as one line: its URL, and the page it asks for when it is a POST."""
    if request.method == "POST":
        return f"POST {request.url} {request.body.decode('utf-8', 'replace')}"
    return request.url


class FirstNoticeMiddleware:
    """Spider middleware: per source, of the listing pages with notice links, the first
    in the order the spider asks for them (its start requests, then depth first) keeps
    them, and only its first notice is fetched; no further listing pages, no further
    notices. The choice waits until the source's listings have answered (the spider is
    idle), so it does not depend on which answer came first."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.hops: dict[str, int] = {}  # listing pages without notice links, per source
        # {source_id: (rank, listing response's URL and status, its requests)}
        self.best: dict[str, tuple[tuple[int, ...], str, int, list[Any]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> "FirstNoticeMiddleware":
        from scrapy import signals

        mw = cls(crawler)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        return mw

    async def process_start(self, start: Any) -> Any:
        counts: dict[str, int] = {}
        async for out in start:
            source_id = getattr(out, "meta", {}).get("source_id")
            if source_id:
                out.meta[RANK] = (counts.get(source_id, 0),)
                counts[source_id] = counts.get(source_id, 0) + 1
            yield out

    def process_spider_output(self, response: Any, result: Any, spider: Any = None) -> Any:
        if not _is_listing(response):
            yield from result
            return
        yield from self.pass_on(response, list(result))

    async def process_spider_output_async(self, response: Any, result: Any, spider: Any = None) -> Any:
        if not _is_listing(response):
            async for out in result:
                yield out
            return
        for out in self.pass_on(response, [x async for x in result]):
            yield out

    def pass_on(self, response: Any, out: list[Any]) -> Any:
        from scrapy import Request

        source_id = response.meta["source_id"]
        _found(self.crawler, source_id).listing_reachable = True
        rank = tuple(response.meta.get(RANK, ()))
        requests = [r for r in out if isinstance(r, Request)]
        yield from (r for r in out if not isinstance(r, Request))
        best = self.best.get(source_id)
        if best is not None and best[0] < rank:
            return  # a listing asked for earlier has notices: this source walks no further
        if any(r.meta.get("role") == "detail" for r in requests):
            self.best[source_id] = (rank, response.url, response.status, requests)
            return
        self.hops[source_id] = self.hops.get(source_id, 0) + 1
        if self.hops[source_id] <= MAX_LISTING_HOPS:
            for i, request in enumerate(requests):
                request.meta[RANK] = (*rank, i)
                yield request

    def spider_idle(self, spider: Any) -> None:
        """The listings have answered: fetch each source's first notice."""
        from scrapy.exceptions import DontCloseSpider

        chosen = [(source_id, best) for source_id, best in self.best.items()
                  if not _found(self.crawler, source_id).notices]
        for source_id, (_, url, status, requests) in chosen:
            found = _found(self.crawler, source_id)
            details = [r for r in requests if r.meta.get("role") == "detail"]
            listings = [r for r in requests if r.meta.get("role") == "listing"]
            found.notices, found.detail_url = [r.url for r in details], details[0].url
            found.listing_url, found.listing_status = url, status
            found.next_page = _describe(listings[0]) if listings else None
            self.crawler.engine.crawl(details[0])
        if chosen:
            raise DontCloseSpider


class FirstNoticePipeline:
    """The first detail page of each source, extracted; nothing is archived."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "FirstNoticePipeline":
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        from crawler.run.crawl_state import run_context
        from crawler.work.item_extraction import extract_item
        from crawler.items import PageItem

        if not isinstance(item, PageItem):
            return item
        found = _found(self.crawler, item.source_id)
        if found.title:
            return item
        ctx = run_context(self.crawler)
        try:
            extraction, _ = extract_item(item, self.crawler.spider.sources[item.source_id])
        except Exception as exc:  # a page that cannot be read is the check's finding
            ctx.record_failure(item.source_id, "parse", f"{item.url}: {type(exc).__name__}: {exc}", url=item.url)
            return item
        found.detail_url = item.url
        found.title = extraction.title
        found.doc_number, found.doc_number_raw = extraction.doc_number, extraction.doc_number_raw
        found.published_date = extraction.published_date.isoformat() if extraction.published_date else None
        when = extraction.published_date or extraction.signed_date
        found.date = when.isoformat() if when else None
        if not found.title:
            ctx.record_failure(item.source_id, "parse", f"{item.url}: no title extracted", url=item.url)
        return item


def findings(crawlers: list[Any], sources: list[Source]) -> dict[str, dict[str, Any]]:
    """Each source's Finding, with the failures and time its run recorder kept."""
    from crawler.run.crawl_state import run_context

    out = {}
    for crawler in crawlers:
        ctx = run_context(crawler)
        for source in getattr(crawler.spider, "sources", {}).values():
            found = _found(crawler, source.id)
            found.family, found.seconds = source.family, ctx.seconds.get(source.id)
            for kind, message, role in ctx.failures.get(source.id, []):
                # a page that could not be read is always said; a fetch, the first few
                if kind == "parse" or (role != "attachment" and len(found.errors) < MAX_ERRORS):
                    found.errors.append([kind, message])
            out[source.id] = asdict(found)
    return out


def check_settings(timeout: float) -> dict[str, Any]:
    """A quick, one-page crawl: short timeouts, no retries, no delays, no archive."""
    return {
        "POLICY_ARCHIVE_WRITES": False,
        "DOWNLOAD_TIMEOUT": timeout,
        "DNS_TIMEOUT": timeout,
        "RETRY_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 32,
        "ITEM_PIPELINES": {"crawler.components.first_notice.FirstNoticePipeline": 300},
        # added to the project's (which turn DepthMiddleware off), not in their place
        "SPIDER_MIDDLEWARES": {**project_settings.SPIDER_MIDDLEWARES, "crawler.components.first_notice.FirstNoticeMiddleware": 950},
    }
