"""A source known only by its home page (registry ``state = "discover"``): the crawl starts
there and finds the policy listings itself, then reads each as ``sources add`` reads a
listing of its own (zero-config discovery, crawler/extract/listing.py).

The home page's links are ranked by crawler/extract/homepage.py. Each chosen page that
lists notices is walked as a listing; a 信息公开 section's page (``deeper``), or a chosen
page that lists none, is read once more for the listings it links: two levels at most,
on the home page's site. Every page reached is reported (``home_listing_found``), and the
run's note names the listings chosen.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.extract.homepage import ListingCandidate, listing_candidates
from crawler.signals import home_listing_found
from spiders.registry import Source

MAX_LEVEL = 2


class HomeDiscovery:
    """The home-page walk of FamilySpider (every family that reads HTML listings)."""

    def home_seen(self, source: Source) -> set[str]:
        """URLs of this source already asked for from its home page (one request each)."""
        seen = self.__dict__.setdefault("_home_seen", {})
        return seen.setdefault(source.id, {source.home or ""})

    def home_request(self, source: Source) -> scrapy.Request:
        # role listing: the home page is the first page of the walk (a failure of it fails
        # the source's listing, and a check counts it as a listing page without notices)
        request = self.listing_request(source, source.home, page_no=0)  # type: ignore[attr-defined]
        return request.replace(callback=self.parse_home, cb_kwargs={"source": source})

    def parse_home(self, response: Response, source: Source) -> Iterable[Any]:
        requests = self.follow_candidates(response, source, level=1)
        self.report_home_page(source, response.url, "", 0, len(requests))
        yield from requests

    def follow_candidates(self, response: Response, source: Source, level: int) -> list[scrapy.Request]:
        if not hasattr(response, "text"):
            return []
        seen = self.home_seen(source)
        requests = []
        for found in listing_candidates(response.text, response.url, exclude=seen):
            seen.add(found.url)
            request = self.listing_request(source, found.url, page_no=0)  # type: ignore[attr-defined]
            requests.append(request.replace(callback=self.parse_found,
                                            cb_kwargs={"source": source, "found": found, "level": level}))
        return requests

    def report_home_page(self, source: Source, url: str, label: str, level: int, count: int) -> None:
        """A page of the home-page walk: the home page (level 0, ``count`` links followed)
        or a page it led to (``count`` notices on it)."""
        if getattr(self, "crawler", None) is None:
            return  # a spider driven by hand (tests) has nobody to tell
        self.crawler.signals.send_catch_log(  # type: ignore[attr-defined]
            signal=home_listing_found, source_id=source.id, home=source.home, url=url,
            label=label, level=level, notices=count,
        )

    def parse_found(self, response: Response, source: Source, found: ListingCandidate, level: int) -> Iterable[Any]:
        """A page a home page (or its 信息公开 page) links as a listing: walked as one when
        it lists notices, read for further listings when it is a section or lists none."""
        notices = self.discovery(response).links  # type: ignore[attr-defined]
        self.report_home_page(source, response.url, found.label, level, len(notices))
        if notices:
            yield from self.parse_listing(response, source, 0, response.url)  # type: ignore[attr-defined]
        if level < MAX_LEVEL and (found.deeper or not notices):
            yield from self.follow_candidates(response, source, level + 1)
