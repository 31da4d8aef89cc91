"""Which due sources the crawl service starts now: at most ``limit`` at once, first come
first served, and never two at once on one host when the crawl is polite to that host.

Why whole-host turns: Scrapy's politeness (DOWNLOAD_DELAY, AutoThrottle, the per-domain
concurrency) lives in each crawler's downloader slots, and the service runs one crawler per
source; two sources of one publisher crawled at once would each keep their own delay and
double the rate the publisher sees. Waiting for the host's turn keeps it at one crawler's
rate. A crawl of our own loopback servers (LOOPBACK_ONLY: the sample sites, the benchmark's
generated sites) is not throttled at all, and takes no turns. Pure: no Scrapy, no archive.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Admission:
    limit: int
    # (source id, hosts it takes turns on; empty: none), in the order they came due
    waiting: deque[tuple[str, frozenset[str]]] = field(default_factory=deque)
    running: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError(f"the crawl service needs a limit of at least one source, not {self.limit}")

    def holds(self, source_id: str) -> bool:
        """Whether the source is waiting or crawling (a second request for it is refused)."""
        return source_id in self.running or any(s == source_id for s, _ in self.waiting)

    def add(self, source_id: str, hosts: Iterable[str] = ()) -> None:
        if self.holds(source_id):
            raise ValueError(f"source {source_id!r} is already waiting or crawling")
        self.waiting.append((source_id, frozenset(hosts)))

    def ready(self) -> list[str]:
        """The sources to start now, taken off the queue and counted as running. A source
        whose host is busy keeps its place; those behind it on other hosts may go first."""
        started: list[str] = []
        busy = {h for hosts in self.running.values() for h in hosts}
        kept: deque[tuple[str, frozenset[str]]] = deque()
        while self.waiting:
            source_id, hosts = self.waiting.popleft()
            if len(self.running) < self.limit and not hosts & busy:
                self.running[source_id] = hosts
                busy |= hosts
                started.append(source_id)
            else:
                kept.append((source_id, hosts))
        self.waiting = kept
        return started

    def release(self, source_id: str) -> None:
        """The source's crawl ended (or was cut off): its place and its hosts are free."""
        self.running.pop(source_id, None)

    def drop_waiting(self) -> list[str]:
        """Forget every source not started yet (the service is stopping); their ids."""
        dropped = [s for s, _ in self.waiting]
        self.waiting.clear()
        return dropped
