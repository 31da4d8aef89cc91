"""What a crawler process is asked to do (CrawlSpec), and the one way it does it.

Every crawl (``crawl``, ``demo``, the scheduler, ``sources check``, ``sources test``, a
distributed worker) is a CrawlSpec run by crawl_here(): the project's Scrapy settings
(crawler/settings.py, which plain ``scrapy crawl`` reads too), the spec's options over
them, one family spider per family of its sources, and the one run recorder
(crawler/components/extensions.py). The callers differ by options, not by copies:

- ``check``: per source, the first listing page with notice links and its first notice,
  short timeouts, nothing written to the archive; the findings go to the file ``out``
  (crawler/run/check.py; ``sources check`` and ``sources test``);
- ``plain_fetch``: guarded sources fetched without the browser (a fixture has no guard);
- a distributed worker passes its own spiders and settings (crawler/run/distributed_worker.py):
  its recorder writes counts but leaves closing the runs to the round's coordinator.

The parent side (opening and closing the runs, the child process, its timeout and its
stop) is crawler/run/crawl_process.py; the child's entry is crawler/run/crawl_child.py.
"""
from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from spiders.registry import Source, load_registry


@dataclass
class CrawlSpec:
    sources: list[str]  # ids in the registry
    registry: str | None = None
    base: str | None = None
    db_url: str | None = None
    run_ids: dict[str, int] = field(default_factory=dict)
    trigger: str = "cli"
    settings: dict[str, Any] = field(default_factory=dict)
    check: bool = False
    out: str | None = None  # a check's findings (JSON)
    request_timeout: float | None = None
    plain_fetch: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def read(cls, path: str | os.PathLike) -> "CrawlSpec":
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))

    def load_sources(self) -> list[Source]:
        """The sources this spec names, from its registry, at its base if it has one."""
        registry = load_registry(self.registry)
        sources = [registry[i] for i in self.sources]
        if self.base:
            sources = [s.with_base(self.base) for s in sources]
        if self.plain_fetch:
            sources = [replace(s, browser=False) for s in sources]
        return sources


def scrapy_settings(spec: CrawlSpec, sources: list[Source], extra: dict[str, Any] | None = None,
                    browser: bool = True) -> Any:
    """The project's settings, then the spec's mode, its own settings, and ``extra``."""
    from scrapy.settings import Settings

    from crawler.components.browser import crawl_settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    mode: dict[str, Any] = {"LOG_LEVEL": os.environ.get("POLICY_ARCHIVE_LOG_LEVEL", "ERROR" if spec.check else "WARNING")}
    if spec.check:
        from crawler.components.first_notice import check_settings

        mode.update(check_settings(spec.request_timeout or 10.0))
    else:
        mode.update({"POLICY_ARCHIVE_DB": spec.db_url, "POLICY_RUN_IDS": spec.run_ids, "POLICY_TRIGGER": spec.trigger})
    settings.update({**mode, **spec.settings, **(extra or {})}, priority="cmdline")
    if not spec.check and "CLOSESPIDER_TIMEOUT" not in {**spec.settings, **(extra or {})}:
        # Scrapy's CloseSpider extension ends the crawl at its deadline, as a close by reason
        # "closespider_timeout": the recorder closes the runs partial, with a note.
        minutes = crawl_deadline_minutes(sources, settings.getfloat("POLICY_CRAWL_DEADLINE_MINUTES", 0))
        settings.set("CLOSESPIDER_TIMEOUT", 60 * minutes, priority="cmdline")
    if browser:
        timeout = spec.request_timeout or settings.getfloat("DOWNLOAD_TIMEOUT")
        settings.update(crawl_settings(sources, settings.getbool("LOOPBACK_ONLY"), timeout), priority="cmdline")
    return settings


def source_deadline_minutes(source: Source, default: float) -> float:
    """A source's deadline: its registry ``deadline_minutes``, else ``default`` (0: none)."""
    return source.deadline_minutes or default


def crawl_deadline_minutes(sources: list[Source], default: float) -> float:
    """A crawl's deadline, when its spiders close: the largest of its sources' deadlines,
    none (0) if one of them has none. A source whose own deadline is shorter stops asking
    for pages when it passes (crawler.components.middlewares.SourceDeadlineMiddleware)
    while the others go on."""
    minutes = [source_deadline_minutes(s, default) for s in sources] or [default]
    return 0 if not all(minutes) else max(minutes)


def crawl_here(spec: CrawlSpec, sources: list[Source] | None = None, *, extra: dict[str, Any] | None = None,
               spider_for: Callable[[str], type] | None = None, browser: bool = True) -> int:
    """Run the spec's crawl in this process, until its spiders close."""
    # tldextract reads the bundled suffix list, never the internet (see crawler/settings.py)
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    sources = spec.load_sources() if sources is None else sources
    process = crawler_process(scrapy_settings(spec, sources, extra, browser), sources, spider_for)
    crawlers = list(process.crawlers)
    try:
        process.start()
    finally:
        if spec.check and spec.out:
            from crawler.components.first_notice import findings

            found = findings(crawlers, sources)
            Path(spec.out).write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return 0


def crawler_process(settings: Any, sources: list[Source], spider_for: Callable[[str], type] | None = None) -> Any:
    """A CrawlerProcess with one family spider per family of these sources."""
    from scrapy.crawler import CrawlerProcess

    from spiders import spider_for_family

    process = CrawlerProcess(settings)
    # A robots.txt that cannot be fetched is logged with a traceback; the page request
    # that follows fails too and is recorded as the run's error, so say it once.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    by_family: dict[str, list[Source]] = {}
    for source in sources:
        by_family.setdefault(source.family, []).append(source)
    for family, members in by_family.items():
        process.crawl((spider_for or spider_for_family)(family), sources=members)
    return process


def _die_with_parent() -> None:
    """Linux: have the kernel send us SIGTERM when the parent dies (no orphan crawls)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_main(spec_path: str) -> int:
    """``python -m crawler.run.crawl_child SPEC``: the crawl a parent started (crawl_process.py)."""
    _die_with_parent()
    return crawl_here(CrawlSpec.read(spec_path))
