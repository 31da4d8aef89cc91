"""What every family spider shares: choosing sources, fetching detail pages, and
turning responses into PageItems. Site knowledge lives in the registry entry; family
knowledge in the subclasses; spiders never touch the database.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urldefrag

import scrapy
from scrapy.http import Response

from crawler.errors import classify_failure
from crawler.extract.attachments import attachment_links
from crawler.items import PageItem
from crawler.signals import fetch_failed, listing_walked
from spiders.registry import RegistryError, Source, load_registry
from crawler.items import CapturedPart

# A listing date next to a link: 2019-03-29, 2019.03.29, 2019/3/29, 2019年3月29日
_LIST_DATE = re.compile(r"(20\d{2}|19\d{2})[-./年]\s*(\d{1,2})[-./月]\s*(\d{1,2})")
# Links on a listing page that are never notices.
_NOT_A_NOTICE = re.compile(r"^(javascript:|mailto:|#)|\.(jpg|png|gif|css|js)$", re.I)
# Attachments whose text we can read; a page rarely has more that matter.
FETCHED_ATTACHMENT_KINDS = {"pdf", "doc", "docx", "wps", "xls", "xlsx"}
MAX_ATTACHMENTS = 6


def attachment_urls(response: Response) -> list[str]:
    """The readable attachments a page links to (PDF, DOC, DOCX, WPS, XLS/XLSX)."""
    if not hasattr(response, "text"):
        return []
    links = attachment_links(response.text, response.url)
    return [a.url for a in links if a.kind in FETCHED_ATTACHMENT_KINDS][:MAX_ATTACHMENTS]


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


class FamilySpider(scrapy.Spider):
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
            for request in self.start_source(source):
                yield request

    def start_source(self, source: Source) -> Iterable[scrapy.Request]:
        for url in source.start_urls:
            yield self.listing_request(source, url, page_no=0, listing=url)

    def listing_request(self, source: Source, url: str, page_no: int, listing: str | None = None) -> scrapy.Request:
        # Listings change between runs by nature: never let a dupefilter swallow them.
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta={"source_id": source.id, "role": "listing"},
            cb_kwargs={"source": source, "page_no": page_no, "listing": listing or url},
        )

    def detail_request(self, source: Source, url: str, listing: dict[str, str]) -> scrapy.Request:
        # recheck: a page the archive has is asked for conditionally (crawler/middlewares.py)
        meta: dict[str, Any] = {"source_id": source.id, "role": "detail", "recheck": True}
        return scrapy.Request(
            url,
            callback=self.parse_detail,
            errback=self.on_error,
            meta=meta,
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

    def report_walk(self, source: Source, listing: str, page_no: int, next_url: str | None) -> None:
        """Tell the crawler how far this walk got (it keeps the frontier between crawls)."""
        if getattr(self, "crawler", None) is None:
            return  # a spider driven by hand (tests) has nobody to tell
        self.crawler.signals.send_catch_log(
            signal=listing_walked, source_id=source.id, listing=listing, page_no=page_no, next_url=next_url
        )

    def parse_listing(self, response: Response, source: Source, page_no: int, listing: str | None = None) -> Iterable[Any]:
        listing = listing or response.url
        links = self.listing_links(response, source)
        for url, hints in links:
            yield self.detail_request(source, url, hints)
        next_url = None
        if page_no + 1 < source.max_pages and self.walk_on(source, [u for u, _ in links], listing, page_no):
            next_url = self.next_listing_url(response, source, page_no)
        self.report_walk(source, listing, page_no, next_url)
        if next_url:
            yield self.listing_request(source, next_url, page_no + 1, listing)

    def not_modified(self, response: Response, source: Source, listing: dict[str, str]) -> PageItem | None:
        """The item for a re-checked page the site says is unchanged, else None."""
        if response.status != 304:
            return None
        return PageItem(source_id=source.id, parts=[response_part(response)], listing=listing, not_modified=True)

    def listing_links(self, response: Response, source: Source) -> list[tuple[str, dict[str, str]]]:
        """Detail links of a listing page with what the listing says about each."""
        anchors = response.css(source.list_links) if source.list_links else response.css("a")
        pattern = re.compile(source.detail_pattern) if source.detail_pattern else None
        seen: set[str] = set()
        found: list[tuple[str, dict[str, str]]] = []
        for a in anchors:
            href = (a.attrib.get("href") or "").strip()
            if not href or _NOT_A_NOTICE.search(href):
                continue
            url = urldefrag(response.urljoin(href))[0]
            if url in seen or (pattern and not pattern.search(url)):
                continue
            seen.add(url)
            hints: dict[str, str] = {}
            title = (a.attrib.get("title") or " ".join(a.css("::text").getall())).strip()
            if title:
                hints["title"] = re.sub(r"\s+", " ", title)
            # The date usually sits in a sibling <span> of the link's row.
            row_text = " ".join(a.xpath("ancestor::*[self::li or self::tr or self::dd][1]//text()").getall())
            m = _LIST_DATE.search(row_text)
            if m:
                hints["published_date"] = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
            found.append((url, hints))
        return found

    def next_listing_url(self, response: Response, source: Source, page_no: int) -> str | None:
        if source.next_page:
            href = response.css(source.next_page).attrib.get("href")
            return response.urljoin(href) if href else None
        return None

    def parse_detail(self, response: Response, source: Source, listing: dict[str, str]) -> Iterable[Any]:
        if (item := self.not_modified(response, source, listing)) is not None:
            yield item
            return
        yield from self.finish_item(source, listing, [response_part(response)], attachment_urls(response))

    # ---- attachments: fetched one after another, then the item goes out -------------
    def finish_item(
        self, source: Source, listing: dict[str, str], parts: list[CapturedPart], attachments: list[str]
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
        item = PageItem(source_id=source.id, parts=parts, listing=listing)
        yield from self._next_attachment(item, list(dict.fromkeys(attachments)))

    def _next_attachment(self, item: PageItem, pending: list[str]) -> Iterable[Any]:
        if not pending:
            yield item
            return
        # dont_filter: two notices may link one file, and each needs it.
        yield scrapy.Request(
            pending[0],
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
