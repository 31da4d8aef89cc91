"""Downloader middlewares."""
from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.components.loopback import is_loopback_url
from crawler.run.crawl_state import run_context
from crawler.run.crawl_spec import source_deadline_minutes
from crawler.signals import DEADLINE_PASSED


class LoopbackGuardMiddleware:
    """With LOOPBACK_ONLY on (tests, demo), a request to any other host is refused
    before it leaves: the offline modes must never touch a real site."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206
        return cls(crawler.settings.getbool("LOOPBACK_ONLY"))

    def process_request(self, request, spider=None):  # noqa: ANN001, ANN201
        if self.enabled and not is_loopback_url(request.url):
            raise IgnoreRequest(f"blocked: {request.url} is not a loopback address (LOOPBACK_ONLY)")
        return None


class ConditionalRecheckMiddleware:
    """Incremental crawling over HTTP: a detail request the spider marks as a re-check
    (``meta["recheck"]``) for a page the archive already has goes out with that page's
    validators (If-None-Match / If-Modified-Since), and its 304 is let through to the
    callback, which turns it into a ``not_modified`` PageItem.

    The validators come from the spider's known-pages map (``spider.known``, filled by the
    run recorder from the archive when the spider opens; empty on a ``--full`` crawl), by
    the URL the spider asked for: the middleware sits before the host map, which rewrites
    that URL.
    """

    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206
        return cls(crawler)

    def process_request(self, request, spider=None):  # noqa: ANN001, ANN201
        if not request.meta.get("recheck"):
            return None
        known_pages = getattr(self.crawler.spider, "known", {}).get(request.meta.get("source_id"), {})
        known = known_pages.get(request.url)
        if known is None or not (known.etag or known.last_modified):
            return None
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        # the site answers 304 when the page has not changed, and the callback wants it
        codes = list(request.meta.get("handle_httpstatus_list") or [])
        if 304 not in codes:
            request.meta["handle_httpstatus_list"] = [*codes, 304]
        return None


class SourceDeadlineMiddleware:
    """A crawl of several sources closes at the largest of their deadlines (Scrapy's
    CLOSESPIDER_TIMEOUT, crawler/run/crawl_spec.py); a source whose own deadline is
    shorter asks for no more pages once it has passed: its requests are dropped here (the
    pages already fetched are archived, an attachment not fetched leaves its notice
    without it), its run closes partial with a note, and the other sources go on."""

    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler
        self.started = time.monotonic()
        self.limits: dict[str, float] = {}  # {source_id: seconds} for the sources that need one

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider) -> None:  # noqa: ANN001
        self.started = time.monotonic()
        settings = self.crawler.settings
        crawl = settings.getfloat("CLOSESPIDER_TIMEOUT") / 60
        default = settings.getfloat("POLICY_CRAWL_DEADLINE_MINUTES", 0)
        for source in getattr(spider, "sources", {}).values():
            minutes = source_deadline_minutes(source, default)
            if minutes > 0 and (crawl <= 0 or minutes < crawl):  # else the crawl's own deadline ends it
                self.limits[source.id] = minutes * 60

    def process_request(self, request, spider=None):  # noqa: ANN001, ANN201
        source_id = request.meta.get("source_id")
        limit = self.limits.get(source_id)
        if limit is None or time.monotonic() - self.started < limit:
            return None
        run_context(self.crawler).cut_short.setdefault(source_id, limit / 60)
        request.meta[DEADLINE_PASSED] = True
        raise IgnoreRequest(f"{source_id}: its deadline ({limit / 60:g} min) has passed")
