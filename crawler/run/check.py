"""``sources check``: is each source alive? One listing page and one detail page per
source, fetched by the source's own family spider (so Hanweb records, gkmlpt configs,
JSON APIs, request headers and the browser path are all exercised as in a crawl), with
short timeouts, every source at once, nothing written to the archive.

The parent runs the crawl in a child process (``python -m crawler.run.check SPEC OUT``), as the
runner does, and reads back one record per source: whether the listing answered, how many
notice links its first listing page gave, and what the first detail page extracts to
(title, 文号, date). Without network every source fails in a few seconds with its kind
(``dns``, ``timeout``, ``anti_bot``, ``needs_browser`` …).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler import settings as project_settings
from crawler.vocab.failures import NEEDS_BROWSER
from spiders.registry import Source

# Listing hops a source may take before its first notice link (gkmlpt: config, then list).
MAX_LISTING_HOPS = 3
MAX_ERRORS = 3


@dataclass
class CheckResult:
    source: str
    family: str
    status: str = "no_answer"  # ok | empty | no_detail | blocked | <error kind>
    listing_url: str | None = None
    listing_reachable: bool = False
    links: int = 0
    detail_url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    date: str | None = None
    message: str | None = None
    errors: list[list[str]] = field(default_factory=list)
    seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _verdict(r: CheckResult) -> CheckResult:
    kinds = [k for k, _ in r.errors]
    if NEEDS_BROWSER in kinds:
        r.status, r.message = "blocked", r.errors[kinds.index(NEEDS_BROWSER)][1]
    elif r.listing_reachable and r.links and r.title:
        r.status, r.message = "ok", None
    elif r.listing_reachable and not r.links:
        r.status = "empty"
        r.message = "the listing answered but no notice link was found on it: the site may have changed its layout"
    elif r.listing_reachable:
        r.status = "no_detail"
        r.message = r.errors[0][1] if r.errors else "the first notice page gave nothing"
    elif r.errors:
        r.status, r.message = r.errors[0][0], r.errors[0][1]
    else:
        r.status, r.message = "no_answer", "no answer before the time limit"
    return r


def check_sources(
    sources: list[Source],
    *,
    registry_path: str | os.PathLike | None = None,
    base: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 10.0,
) -> list[CheckResult]:
    """Check these sources live, all at once; one result per source, in their order."""
    with tempfile.TemporaryDirectory(prefix="policy-archive-check-") as tmp:
        spec = Path(tmp) / "spec.json"
        out = Path(tmp) / "out.json"
        spec.write_text(json.dumps({
            "registry": str(registry_path) if registry_path else None,
            "sources": [s.id for s in sources],
            "base": base,
            "timeout": timeout,
            "settings": settings or {},
        }, ensure_ascii=False), encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "crawler.run.check", str(spec), str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = child.communicate(timeout=timeout * 4 + 30)
        except subprocess.TimeoutExpired:
            child.kill()
            _, err = child.communicate()
        found = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    results = []
    for s in sources:
        rec = found.get(s.id)
        r = CheckResult(**rec) if rec else CheckResult(source=s.id, family=s.family)
        trouble = (err or b"").decode("utf-8", "replace")
        if not rec and (child.returncode or "Traceback" in trouble):
            tail = trouble.strip().splitlines()[-1:]
            r.errors.append(["process", f"the checker failed ({child.returncode}): {' '.join(tail)}"])
        results.append(_verdict(r))
    return results


# ---- the child: a one-page crawl per source ------------------------------------------------
RESULTS: dict[str, CheckResult] = {}
_STARTED: dict[str, float] = {}
_HOPS: dict[str, int] = {}


def _record(source_id: str, family: str = "") -> CheckResult:
    if source_id not in RESULTS:
        RESULTS[source_id] = CheckResult(source=source_id, family=family)
    return RESULTS[source_id]


def _is_listing(response: Any) -> bool:
    """A listing page that answered (an error answer reaches here too, through the errback)."""
    return (response.meta.get("role") == "listing" and bool(response.meta.get("source_id"))
            and 200 <= response.status < 300)


class CheckMiddleware:
    """Spider middleware: the first listing page with notice links counts them and lets
    only the first one through; no further listing pages, no further notices."""

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
        rec = _record(source_id)
        rec.listing_reachable = True
        rec.listing_url = rec.listing_url or response.url
        requests = [r for r in out if isinstance(r, Request)]
        others = [r for r in out if not isinstance(r, Request)]
        details = [r for r in requests if r.meta.get("role") == "detail"]
        yield from others
        if rec.detail_url or (rec.links and not details):
            return  # already counted: this source is done walking
        if details:
            if not rec.links:
                rec.links, rec.listing_url = len(details), response.url
                rec.detail_url = details[0].url
                yield details[0]
            return
        _HOPS[source_id] = _HOPS.get(source_id, 0) + 1
        if _HOPS[source_id] <= MAX_LISTING_HOPS:
            yield from requests


class CheckPipeline:
    """The first detail page of each source, extracted; nothing is archived."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "CheckPipeline":
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        from crawler.items import PageItem
        from crawler.work.item_extraction import extract_item

        if not isinstance(item, PageItem):
            return item
        rec = _record(item.source_id)
        if rec.title:
            return item
        try:
            extraction, _ = extract_item(item, self.crawler.spider.sources[item.source_id])
        except Exception as exc:  # a page that cannot be read is the check's finding
            rec.errors.append(["parse", f"{item.url}: {type(exc).__name__}: {exc}"])
            return item
        rec.detail_url = item.url
        rec.title = extraction.title
        rec.doc_number = extraction.doc_number
        when = extraction.published_date or extraction.signed_date
        rec.date = when.isoformat() if when else None
        if not rec.title:
            rec.errors.append(["parse", f"{item.url}: no title extracted"])
        return item


class CheckRecorder:
    """Extension: failures by kind per source, and how long each source took."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> "CheckRecorder":
        from scrapy import signals

        from crawler.signals import fetch_failed

        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.failed, signal=fetch_failed)
        crawler.signals.connect(ext.error, signal=signals.spider_error)
        return ext

    def opened(self, spider: Any) -> None:
        for source in getattr(spider, "sources", {}).values():
            _record(source.id, source.family).listing_url = (source.start_urls or [None])[0] or (
                source.api.page_url if source.api else None)
            _STARTED[source.id] = time.monotonic()

    def closed(self, spider: Any, reason: str) -> None:
        for source_id in getattr(spider, "sources", {}):
            _record(source_id).seconds = round(time.monotonic() - _STARTED.get(source_id, time.monotonic()), 2)

    def failed(self, source_id: str | None, role: str | None, kind: str, message: str, url: str) -> None:
        if source_id and role != "attachment":
            rec = _record(source_id)
            if len(rec.errors) < MAX_ERRORS:
                rec.errors.append([kind, message])

    def error(self, failure: Any, response: Any, spider: Any) -> None:
        source_id = response.meta.get("source_id") if response is not None else None
        if source_id:
            _record(source_id).errors.append(["parse", f"{response.url}: {failure.value}"])


def check_settings(timeout: float) -> dict[str, Any]:
    """A quick, one-page crawl: short timeouts, no retries, no delays, no archive."""
    return {
        "DOWNLOAD_TIMEOUT": timeout,
        "DNS_TIMEOUT": timeout,
        "RETRY_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 32,
        "ITEM_PIPELINES": {"crawler.run.check.CheckPipeline": 300},
        "EXTENSIONS": {"crawler.run.check.CheckRecorder": 100},
        # added to the project's (which turn DepthMiddleware off), not in their place
        "SPIDER_MIDDLEWARES": {**project_settings.SPIDER_MIDDLEWARES, "crawler.run.check.CheckMiddleware": 950},
        "LOG_LEVEL": os.environ.get("POLICY_ARCHIVE_LOG_LEVEL", "ERROR"),
    }


def child_main(spec_path: str, out_path: str) -> int:
    from scrapy.settings import Settings

    from crawler.components.browser import crawl_settings
    from crawler.run.crawl_process import crawler_process, spec_sources

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sources = spec_sources(spec)
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update({**check_settings(spec["timeout"]), **spec.get("settings", {})}, priority="cmdline")
    settings.update(crawl_settings(sources, settings.getbool("LOOPBACK_ONLY"), spec["timeout"]), priority="cmdline")

    process = crawler_process(settings, sources)
    try:
        process.start()
    finally:
        Path(out_path).write_text(
            json.dumps({k: v.to_dict() for k, v in RESULTS.items()}, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    # The Scrapy components load this module as crawler.run.check: run that one, whose RESULTS they fill.
    from crawler.run.check import child_main as _main

    sys.exit(_main(sys.argv[1], sys.argv[2]))
