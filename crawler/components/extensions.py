"""Every crawl is a CrawlRun row: this extension counts requests, puts every failed
URL on record by kind, keeps each listing's walk frontier, and closes the runs with a
status when the spider closes.

The one run recorder of every way a crawl runs (crawler/run/crawl_spec.py), told apart by
settings: a distributed worker (POLICY_CLOSE_RUNS false) writes its counts but leaves
closing the runs to the round's coordinator, other workers may still be crawling; a check
(POLICY_ARCHIVE_WRITES false) writes nothing and keeps what it saw in the RunContext."""
from __future__ import annotations

import time
from typing import Any

from scrapy import signals

from crawler.run.crawl_state import DEADLINE_REASON, open_missing_runs, run_context
from crawler.signals import fetch_failed, home_listing_found, listing_discovered, listing_walked
from crawler.components.write_lane import WriteLane
from storage import crawl_runs, frontier
from storage.known_pages import known_pages


def home_note(home: str, pages: list[tuple[str, str, int, int]]) -> str:
    """Which listings a crawl chose from a source's home page: the pages it reached that
    hold notices (the home page itself, level 0, tells how many links it followed)."""
    followed = sum(n for _, _, level, n in pages if level == 0)
    reached = [(label, url, n) for label, url, level, n in pages if level > 0]
    chosen = [f"{label} {url} ({n} notices)" for label, url, n in reached if n]
    empty = len(reached) - len(chosen)
    return (f"home page discovery from {home}: {followed} links followed; listings chosen: "
            + (", ".join(chosen) if chosen else "none")
            + (f"; {empty} linked pages without notices" if empty else ""))


class RunRecorder:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        # {source_id: {reason: [listing pages, links]}}: listings read by discovery
        self.discovered: dict[str, dict[str, list[int]]] = {}
        # {source_id: (home, [(label, url, level, notices)])}: pages reached from a home page
        self.from_home: dict[str, tuple[str, list[tuple[str, str, int, int]]]] = {}
        # what happens during the crawl is written from here, not on the reactor thread
        self.lane = WriteLane()
        self.closes_runs = crawler.settings.getbool("POLICY_CLOSE_RUNS", True)
        self.started: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RunRecorder":
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.fetch_failed, signal=fetch_failed)
        crawler.signals.connect(ext.listing_walked, signal=listing_walked)
        crawler.signals.connect(ext.listing_discovered, signal=listing_discovered)
        crawler.signals.connect(ext.home_listing_found, signal=home_listing_found)
        return ext

    @property
    def ctx(self):  # noqa: ANN201
        return run_context(self.crawler)

    def write(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        """An archive write, off the reactor thread; without an archive, a note in memory."""
        if self.ctx.archive is None:
            fn(*args, **kwargs)
        else:
            self.lane.submit(fn, *args, **kwargs)

    def spider_opened(self, spider: Any) -> None:
        sources = list(getattr(spider, "sources", {}).values())
        self.started.update({s.id: time.monotonic() for s in sources})
        open_missing_runs(self.ctx, sources)
        if self.ctx.archive is None:
            return
        # Incremental by default: the spider learns which pages the archive already has,
        # to ask for them conditionally and to stop a listing walk where they begin, and
        # how far each listing's last walk got (the early stop needs a completed one).
        if not self.crawler.settings.getbool("POLICY_FULL_WALK") and hasattr(spider, "known"):
            for source in sources:
                spider.known[source.id] = known_pages(self.ctx.archive, source.id)
                if hasattr(spider, "walks"):
                    walks = frontier.listing_walks(self.ctx.archive, source.id)
                    spider.walks[source.id] = {k: w.to_dict() for k, w in walks.items()}

    def request_reached(self, request: Any, spider: Any) -> None:
        self.ctx.count(request.meta.get("source_id"), "requests")

    def request_dropped(self, request: Any, spider: Any) -> None:
        """The scheduler's dupefilter dropped a request: a duplicate, or a redirect loop
        (a redirect back to a URL this crawl already asked for) that would vanish silently."""
        source_id = request.meta.get("source_id")
        redirects = request.meta.get("redirect_urls") or []
        if redirects:
            chain = " -> ".join([*redirects, request.url])
            self.write(self.ctx.record_failure, source_id, "redirect_loop", f"redirect loop: {chain}",
                       url=redirects[0], role=request.meta.get("role"))
        else:
            self.ctx.count(source_id, "duplicates")

    def fetch_failed(self, source_id: str | None, role: str | None, kind: str, message: str, url: str,
                     attempts: int = 1) -> None:
        self.write(self.ctx.record_failure, source_id, kind, message, url=url, role=role, attempts=attempts)

    def listing_discovered(self, source_id: str, url: str, reason: str, links: int) -> None:
        tally = self.discovered.setdefault(source_id, {}).setdefault(reason, [0, 0])
        tally[0] += 1
        tally[1] += links

    def home_listing_found(self, source_id: str, home: str, url: str, label: str, level: int, notices: int) -> None:
        self.from_home.setdefault(source_id, (home, []))[1].append((label, url, level, notices))

    def spider_error(self, failure: Any, response: Any, spider: Any) -> None:
        source_id = response.meta.get("source_id") if response is not None else None
        url = response.url if response is not None else None
        role = response.meta.get("role") if response is not None else None
        self.write(self.ctx.record_failure, source_id, "parse", f"{url or '?'}: {failure.value}", url=url, role=role)

    def listing_walked(self, source_id: str, listing: str, page_no: int, next_url: str | None,
                       limited: bool = False) -> None:
        ctx = self.ctx
        if ctx.archive is not None:
            self.lane.submit(frontier.record_progress, ctx.archive, source_id, listing, page_no, next_url,
                             ctx.run_for(source_id))
        run_id = ctx.run_for(source_id)
        if limited and ctx.archive is not None and run_id is not None:
            # An endless pager (a trap) and a listing deeper than max_pages look alike:
            # either way the run says where it stopped, not just that it ended.
            self.lane.submit(crawl_runs.add_note, ctx.archive, run_id,
                             f"listing {listing} stopped at max_pages ({page_no + 1} pages) with a next page "
                             "still offered: a pagination trap, or raise the source's max_pages")
        if next_url is None:
            ctx.walks_ended.setdefault(source_id, set()).add(listing)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.lane.close()  # everything the crawl recorded is written before its runs close
        ctx = self.ctx
        for source_id in getattr(spider, "sources", {}):
            ctx.seconds[source_id] = round(time.monotonic() - self.started.get(source_id, time.monotonic()), 2)
            ctx.write_tallies(source_id)
            run_id = ctx.run_for(source_id)
            if run_id is None or ctx.archive is None or not self.closes_runs:
                continue
            closing = ctx.status_of(source_id, reason)
            # A walk is complete only when nothing it listed failed: otherwise the next
            # crawl walks as deep again, and fetches what is still missing.
            if closing == "ok" and not ctx.errors[source_id]:
                for listing in ctx.walks_ended.get(source_id, ()):
                    frontier.record_complete(ctx.archive, source_id, listing, run_id)
            if reason == DEADLINE_REASON:
                minutes = self.crawler.settings.getfloat("CLOSESPIDER_TIMEOUT") / 60
                crawl_runs.add_note(ctx.archive, run_id, f"the crawl's deadline ({minutes:g} min) ended it: "
                                                         f"what it had not fetched yet waits for the next crawl")
            elif source_id in ctx.cut_short:
                crawl_runs.add_note(ctx.archive, run_id, f"the source's deadline ({ctx.cut_short[source_id]:g} min) "
                                                         f"ended its crawl while other sources went on: what it had "
                                                         f"not fetched yet waits for the next crawl")
            for how, (pages, links) in self.discovered.pop(source_id, {}).items():
                crawl_runs.add_note(ctx.archive, run_id, f"listing discovery ({how}): {links} notice links on {pages} listing pages")
            if source_id in self.from_home:
                crawl_runs.add_note(ctx.archive, run_id, home_note(*self.from_home.pop(source_id)))
            crawl_runs.finish_run(ctx.archive, run_id, closing, settle=True)
