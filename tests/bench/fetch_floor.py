"""Scrapy alone on a site: the ceiling of any crawl built on it, for the crawl benchmark.

    python tests/bench/fetch_floor.py START_URL --follow REGEX [--concurrency 16]

Crawls from START_URL with a spider that only follows the links the crawl follows
(for the bench site: its listing pages and notices, by path pattern) and keeps nothing: no extraction, no archive. Prints JSON: pages
fetched, wall seconds from the engine's start, pages/s and the process's CPU seconds.
When this is near bare trafilatura's pages/s on the same pages (small pages), no pipeline
on Scrapy can reach 1.0× there on this machine; the crawl benchmark prints it beside
the crawl so the two can be read together.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess


class FollowOnly(scrapy.Spider):
    name = "fetch_floor"

    def __init__(self, start: str, follow: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.follow = re.compile(follow)

    def parse(self, response):  # noqa: ANN001, ANN201 (Scrapy's callback)
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if self.follow.search(urlsplit(url).path):
                yield response.follow(url, self.parse)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("start")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--follow", required=True, help="regex over the path of the links to follow")
    args = parser.parse_args()
    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": args.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
    })
    crawler = process.create_crawler(FollowOnly)
    process.crawl(crawler, start=args.start, follow=args.follow)
    start = time.perf_counter()
    process.start()
    wall = time.perf_counter() - start
    pages = crawler.stats.get_value("response_received_count") or 0
    cpu = sum(os.times()[:2])
    print(json.dumps({"pages": pages, "wall_s": wall, "pages_per_s": pages / wall, "cpu_s": cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
