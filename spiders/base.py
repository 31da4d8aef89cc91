"""What every family spider shares: choosing sources, fetching detail pages, and
turning responses into PageItems. Site knowledge lives in the registry entry; family
knowledge in the subclasses; spiders never touch the database.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urldefrag

import scrapy
from scrapy.http import Response

from crawler.components import browser
from crawler.vocab.failures import NEEDS_BROWSER, classify_failure
from crawler.vocab.listing import row_date
from crawler.extract.listing import Listing, discover_listing
from crawler.items import PageItem, PageLinks
from spiders.page_links import fetched_attachments, page_links
from crawler.signals import DEADLINE_PASSED, fetch_failed, listing_discovered, listing_walked
from spiders.homepage import HomeDiscovery
from spiders.pages import numbered_page_url
from spiders.registry import RegistryError, Source, load_registry, request_headers
from crawler.items import CapturedPart

# A listing date next to a link: 2019-03-29, 2019.03.29, 2019/3/29, 2019年3月29日
# Links on a listing page that are never notices.
_NOT_A_NOTICE = re.compile(r"^(javascript:|mailto:|#)|\.(jpg|png|gif|css|js)$", re.I)
# Search APIs mark the query in titles (<em>养老</em>); listing titles are plain text.
_TAGS = re.compile(r"<[^>]+>")


def plain_title(text: str) -> str:
    return re.sub(r"\s+", " ", _TAGS.sub("", text)).strip()


def response_part(response: Response) -> CapturedPart:
    """The raw record of one fetched URL (bytes untouched: decoding is the pipeline's job)."""
    redirects = response.meta.get("redirect_urls") or []
    headers = response.headers

    def header(name: str) -> str | None:
        value = headers.get(name)
        return value.decode("latin-1") if value else None

    return CapturedPart(
        url=redirects[0] if redirects else response.url,
        final_url=response.url,
        status=response.status,
        body=bytes(response.body),
        fetched_at=datetime.now(timezone.utc),
        encoding=None,
        etag=header("ETag"),
        last_modified=header("Last-Modified"),
        content_type=header("Content-Type"),
    )


def _link_date(a: Any) -> str | None:
    """The date in a link's row: a sibling <span> of its li/tr/dd, or, in listings built of
    divs (税屋's .xwt2 blocks), the nearest of its three closest ancestors with one date."""
    rows = a.xpath("ancestor::*[self::li or self::tr or self::dd][1]")
    candidates = rows if rows else a.xpath("ancestor::*[position() <= 3]")[::-1]
    for node in candidates:
        date = row_date(" ".join(node.xpath(".//text()").getall()), sole=not rows)
        if date:
            return date
    return None


def links_in(selector: Any, join: Callable[[str], str], source: Source) -> list[tuple[str, dict[str, str]]]:
    """The notice links under ``selector`` (a page, or records unwrapped from a script),
    each with the listing's hints: its title and the date in its row."""
    anchors = selector.css(source.list_links) if source.list_links else selector.css("a")
    pattern = re.compile(source.detail_pattern) if source.detail_pattern else None
    seen: set[str] = set()
    found: list[tuple[str, dict[str, str]]] = []
    for a in anchors:
        href = (a.attrib.get("href") or "").strip()
        if not href or _NOT_A_NOTICE.search(href):
            continue
        url = urldefrag(join(href))[0]
        if url in seen or (pattern and not pattern.search(url)):
            continue
        seen.add(url)
        hints: dict[str, str] = {}
        title = plain_title(a.attrib.get("title") or " ".join(a.css("::text").getall()))
        if title:
            hints["title"] = title
        date = _link_date(a)
        if date:
            hints["published_date"] = date
        found.append((url, hints))
    return found


class FamilySpider(HomeDiscovery, scrapy.Spider):
    """Base of the family spiders.

    Arguments (``scrapy crawl <family> -a source=ID[,ID] -a registry=PATH -a base=URL``):
    ``source`` limits the crawl to these registry ids (default: every enabled source of
    this family); ``registry`` names another registry file; ``base`` fills the ``{base}``
    placeholder of sample registries. The runner passes ``sources`` (Source objects).
    """

    family: str = ""
    custom_settings: dict[str, Any] = {}

    def __init__(
        self,
        *args: Any,
        source: str | None = None,
        sources: Iterable[Source] | None = None,
        registry: str | None = None,
        base: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if sources is None:
            sources = self._sources_from_registry(source, registry)
        if base:
            sources = [s.with_base(base) for s in sources]
        self.sources: dict[str, Source] = {s.id: s for s in sources}
        # {source_id: {url: KnownPage}}: filled by the crawler before the first request
        # (incremental crawling); empty means walk everything and fetch unconditionally.
        self.known: dict[str, dict[str, Any]] = {}
        # {source_id: {listing: {"state", "reached", "ever_completed"}}}: how far the last
        # walk of each listing got (storage/frontier.py), filled by the crawler likewise.
        self.walks: dict[str, dict[str, dict[str, Any]]] = {}

    def _sources_from_registry(self, wanted: str | None, registry: str | None) -> list[Source]:
        reg = load_registry(registry)
        if wanted:
            ids = [w.strip() for w in wanted.split(",") if w.strip()]
            missing = [i for i in ids if i not in reg]
            if missing:
                raise RegistryError(f"unknown source: {', '.join(missing)}")
            chosen = [reg[i] for i in ids]
            wrong = [s.id for s in chosen if s.family != self.family]
            if wrong:
                raise RegistryError(f"source {', '.join(wrong)} is not of family {self.family}")
            return chosen
        return [s for s in reg.values() if s.family == self.family and s.enabled]

    # ---- the walk -------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for source in self.sources.values():
            if source.browser and self.browser_on() is False:
                self.report_needs_browser(source)
                continue
            for request in self.start_source(source):
                yield request

    def browser_on(self) -> bool | None:
        """Whether guarded sources go through the browser; None outside a crawl (a probe
        that fetches for itself)."""
        settings = getattr(self, "settings", None)
        return None if settings is None else settings.getbool("POLICY_BROWSER")

    def report_needs_browser(self, source: Source) -> None:
        problem = self.settings.get("POLICY_BROWSER_PROBLEM") or browser.browser_problem() or "browser fetch is off"
        message = browser.needs_browser_message(problem)
        self.logger.warning("%s: %s", source.id, message)
        self.crawler.signals.send_catch_log(
            signal=fetch_failed, source_id=source.id, role="listing", kind=NEEDS_BROWSER,
            message=message, url=(source.start_urls or (source.home or "",))[0],
        )

    def source_meta(self, source: Source, meta: dict[str, Any]) -> dict[str, Any]:
        """A request's meta for this source: guarded sources' pages go through the browser."""
        if source.browser and self.browser_on():
            return {**meta, **browser.request_meta()}
        return meta

    def start_source(self, source: Source) -> Iterable[scrapy.Request]:
        for url in source.start_urls:
            yield self.listing_request(source, url, page_no=0, listing=url)
        if source.state == "discover":
            yield self.home_request(source)

    def listing_request(self, source: Source, url: str, page_no: int, listing: str | None = None) -> scrapy.Request:
        # Listings change between runs by nature: never let a dupefilter swallow them.
        return scrapy.Request(
            url,
            headers=request_headers(source),
            callback=self.parse_listing,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta=self.source_meta(source, {"source_id": source.id, "role": "listing"}),
            cb_kwargs={"source": source, "page_no": page_no, "listing": listing or url},
        )

    def detail_request(self, source: Source, url: str, listing: dict[str, str]) -> scrapy.Request:
        # recheck: a page the archive has is asked for conditionally (crawler/components/middlewares.py);
        # a browser fetch cannot send validators, so guarded pages are fetched whole.
        meta: dict[str, Any] = {"source_id": source.id, "role": "detail", "recheck": not source.browser}
        return scrapy.Request(
            url,
            headers=request_headers(source),
            callback=self.parse_detail,
            errback=self.on_error,
            meta=self.source_meta(source, meta),
            cb_kwargs={"source": source, "listing": listing},
        )

    def walk_on(self, source: Source, urls: list[str], listing: str | None = None, page_no: int = 0) -> bool:
        """Whether to read the next listing page after page ``page_no``, which listed ``urls``.

        Listings are newest first: once a whole page lists only notices the archive
        already has, the rest is older still (backfill is the explicit full walk). That
        holds only after a walk of this listing once went to its end, and not above the
        depth an interrupted or failed walk had reached (its notices may be missing).
        """
        known = self.known.get(source.id)
        if not known:
            return True
        walk = self.walks.get(source.id, {}).get(listing or "")
        if walk is None or not walk.get("ever_completed"):
            return True
        if walk.get("state") != "complete" and page_no < int(walk.get("reached") or 0):
            return True
        return any(u not in known for u in urls)

    def report_walk(self, source: Source, listing: str, page_no: int, next_url: str | None,
                    limited: bool = False) -> None:
        """Tell the crawler how far this walk got (it keeps the frontier between crawls);
        ``limited``: the page offered a next one, left unread at the source's max_pages."""
        if getattr(self, "crawler", None) is None:
            return  # a spider driven by hand (tests) has nobody to tell
        self.crawler.signals.send_catch_log(
            signal=listing_walked, source_id=source.id, listing=listing, page_no=page_no, next_url=next_url,
            limited=limited,
        )

    def wanted(self, source: Source, hints: dict[str, str]) -> bool:
        """Whether a listed notice is ours (an aggregator's other trades are not)."""
        if not source.title_filter:
            return True
        return bool(re.search(source.title_filter, hints.get("title", "")))

    def parse_listing(self, response: Response, source: Source, page_no: int, listing: str | None = None) -> Iterable[Any]:
        listing = listing or response.url
        listed = self.listing_links(response, source)
        links = [(u, h) for u, h in listed if self.wanted(source, h)]
        for url, hints in links:
            yield self.detail_request(source, url, hints)
        # A page that lists nothing ends the walk (past the last page of a numbered listing);
        # one whose notices are all filtered out does not.
        more = bool(listed) and (not links or self.walk_on(source, [u for u, _ in links], listing, page_no))
        next_url = self.next_listing_url(response, source, page_no) if more else None
        limited = next_url is not None and page_no + 1 >= source.max_pages
        if limited:
            next_url = None
        self.report_walk(source, listing, page_no, next_url, limited)
        if next_url:
            yield self.listing_request(source, next_url, page_no + 1, listing)

    def not_modified(self, response: Response, source: Source, listing: dict[str, str]) -> PageItem | None:
        """The item for a re-checked page the site says is unchanged, else None."""
        if response.status != 304:
            return None
        return PageItem(source_id=source.id, parts=[response_part(response)], listing=listing, not_modified=True)

    def listing_links(self, response: Response, source: Source) -> list[tuple[str, dict[str, str]]]:
        """Detail links of a listing page with what the listing says about each: by the
        source's selectors, else (none given, or they match nothing) by discovery."""
        if source.list_links:
            found = links_in(response.selector, response.urljoin, source)
            if found:
                return found
            return self.discovered_links(response, source, "selectors matched nothing")
        return self.discovered_links(response, source, "no selectors")

    def discovery(self, response: Response) -> Listing:
        cached = response.meta.get("_discovered")
        if cached is None:
            cached = discover_listing(response.text, response.url) if hasattr(response, "text") else Listing()
            response.meta["_discovered"] = cached
        return cached

    def discovered_links(self, response: Response, source: Source, reason: str) -> list[tuple[str, dict[str, str]]]:
        pattern = re.compile(source.detail_pattern) if source.detail_pattern else None
        found = []
        for link in self.discovery(response).links:
            if pattern and not pattern.search(link.url):
                continue
            hints = {"title": link.title}
            if link.date:
                hints["published_date"] = link.date
            found.append((link.url, hints))
        # The run says the listing was read without (working) selectors.
        self.crawler.signals.send_catch_log(
            signal=listing_discovered, source_id=source.id, url=response.url, reason=reason, links=len(found)
        )
        return found

    def next_listing_url(self, response: Response, source: Source, page_no: int) -> str | None:
        if source.next_page:
            href = response.css(source.next_page).attrib.get("href")
            if href:
                return response.urljoin(href)
        if source.page_pattern and source.start_urls:
            return numbered_page_url(response.text, source.start_urls[0], source.page_pattern,
                                     source.page_start, page_no)
        if source.next_page and not response.meta.get("_discovered"):
            return None  # the selectors work on this page: it is the last one
        return self.discovery(response).next_page

    def parse_detail(self, response: Response, source: Source, listing: dict[str, str]) -> Iterable[Any]:
        if (item := self.not_modified(response, source, listing)) is not None:
            yield item
            return
        links = page_links(response)
        yield from self.finish_item(source, listing, [response_part(response)], fetched_attachments(links), links)

    # ---- attachments: fetched one after another, then the item goes out -------------
    def finish_item(
        self, source: Source, listing: dict[str, str], parts: list[CapturedPart], attachments: list[str],
        links: PageLinks | None = None,
    ) -> Iterable[Any]:
        """Fetch the page's attachments one after another, then send the item out whole.

        Why chained callbacks and not Scrapy's FilesPipeline (a media pipeline): a notice
        and its files are one record. Ingest stores the page and its attachments' raw bytes
        in one transaction, reads each file's text before it decides anything, and makes a
        cover note's body the attachment's text, so the pipeline must have every file's bytes
        before the item reaches it. FilesPipeline writes files to a FILES_STORE and hands
        the item on with paths and checksums: we would subclass it to keep the bytes in
        memory instead, i.e. keep only its scheduling and undo its storage. Its downloads
        also skip the spider's errback, so every failed file would need a second copy of
        the failure recording (kind, role, attempts) that on_error gives to all requests.
        The cost of chaining is that one page's files come one at a time; the crawl stays
        concurrent across pages, and per-site politeness limits it to two at a time anyway.
        """
        item = PageItem(source_id=source.id, parts=parts, listing=listing, page_links=links)
        yield from self._next_attachment(item, list(dict.fromkeys(attachments)))

    def _next_attachment(self, item: PageItem, pending: list[str]) -> Iterable[Any]:
        if not pending:
            yield item
            return
        # dont_filter: two notices may link one file, and each needs it.
        source = self.sources.get(item.source_id)
        yield scrapy.Request(
            pending[0],
            headers=request_headers(source) if source else None,
            callback=self.parse_attachment,
            errback=self.on_attachment_error,
            dont_filter=True,
            meta={"source_id": item.source_id, "role": "attachment"},
            cb_kwargs={"item": item, "pending": pending[1:]},
        )

    def parse_attachment(self, response: Response, item: PageItem, pending: list[str]) -> Iterable[Any]:
        item.attachments.append(response_part(response))
        yield from self._next_attachment(item, pending)

    def on_attachment_error(self, failure: Any) -> Iterable[Any]:
        # A missing attachment is reported, and the notice still goes out without it.
        self.on_error(failure)
        kwargs = failure.request.cb_kwargs
        yield from self._next_attachment(kwargs["item"], kwargs["pending"])

    # ---- failures ---------------------------------------------------------------
    def on_error(self, failure: Any) -> None:
        request = failure.request
        if request.meta.get(DEADLINE_PASSED):
            return  # not made: the source's deadline passed (its run's note says so)
        kind, message = classify_failure(failure.value)
        self.logger.warning("%s: %s", request.meta.get("source_id"), message)
        self.crawler.signals.send_catch_log(
            signal=fetch_failed,
            source_id=request.meta.get("source_id"),
            role=request.meta.get("role"),
            kind=kind,
            message=message,
            url=request.url,
            attempts=int(request.meta.get("retry_times", 0)) + 1,
        )
