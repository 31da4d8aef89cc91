"""Try one source end to end without a crawl: its first listing, the notice links and
next-page link it yields, and what extraction makes of its first notice.

The spider's own callbacks do the work, so this tests the registry entry and its family
exactly as a crawl would use them; only the fetching is ours. ``fetch`` turns a Scrapy
request into a response: :func:`fixture_fetcher` answers from the source's fixture on a
loopback server (``policy-archive sources test``); a live fetcher can be passed instead.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from crawler.items import PageItem
from spiders.registry import Source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
Fetch = Callable[[scrapy.Request], Response]
MAX_STEPS = 12  # requests one probe may make: index pages, a listing, a detail, attachments


@dataclass
class ProbeResult:
    source: str
    ok: bool = False
    listing_url: str | None = None
    listing_status: int | None = None
    notices: list[str] = field(default_factory=list)
    next_page: str | None = None
    detail_url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    published_date: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "notice_count": len(self.notices)}


def _role(request: scrapy.Request) -> str | None:
    return request.meta.get("role")


def _call(request: scrapy.Request, response: Response) -> list[Any]:
    return list(request.callback(response, **request.cb_kwargs) or [])


def probe_source(source: Source, fetch: Fetch) -> ProbeResult:
    """Walk the source until its first listing with notices, then fetch the first notice."""
    from crawler.work.item_extraction import extract_item
    from spiders import spider_for_family

    result = ProbeResult(source=source.id)
    spider = spider_for_family(source.family)(sources=[source])
    pending = list(spider.start_source(source))
    steps = 0
    details: list[scrapy.Request] = []
    try:
        while pending and not details and steps < MAX_STEPS:
            request = pending.pop(0)
            steps += 1
            response = fetch(request)
            out = _call(request, response) if response.status == 200 else []
            found = [r for r in out if isinstance(r, scrapy.Request) and _role(r) == "detail"]
            if found or response.status != 200:
                result.listing_url, result.listing_status = request.url, response.status
            if response.status != 200:
                result.error = f"listing answered HTTP {response.status}"
                return result
            listings = [r for r in out if isinstance(r, scrapy.Request) and _role(r) == "listing"]
            if found:
                details = found
                result.notices = [r.url for r in found]
                result.next_page = _describe(listings[0]) if listings else None
            else:
                pending = listings + pending  # an index page (gkmlpt) leads to the listings
        if not details:
            result.error = "no notice links found"
            return result
        item = _first_item(details[0], fetch, MAX_STEPS - steps)
        result.detail_url = details[0].url
        if item is None:
            result.error = "the first notice gave no page"
            return result
        extraction, _files = extract_item(item, source)
        result.title = extraction.title
        result.doc_number = extraction.doc_number_raw or extraction.doc_number
        result.published_date = extraction.published_date.isoformat() if extraction.published_date else None
        result.ok = bool(result.title)
        if not result.ok:
            result.error = "the first notice has no title"
    except Exception as exc:  # a probe reports, it does not crash
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _describe(request: scrapy.Request) -> str:
    """A next-page request as one line: its URL, and the page it asks for when it is a POST."""
    if request.method == "POST":
        return f"POST {request.url} {request.body.decode('utf-8', 'replace')}"
    return request.url


def _first_item(request: scrapy.Request, fetch: Fetch, budget: int) -> PageItem | None:
    queue = [request]
    while queue and budget > 0:
        budget -= 1
        current = queue.pop(0)
        response = fetch(current)
        if response.status != 200:
            continue
        for out in _call(current, response):
            if isinstance(out, PageItem):
                return out
            if isinstance(out, scrapy.Request):
                queue.append(out)
    return None


def fixture_hosts(root: Path = FIXTURES) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and "." in p.name)


def host_map(base_url: str, root: Path = FIXTURES) -> dict[str, str]:
    """POLICY_HOST_MAP serving every fixture site (http and https) from one loopback server."""
    return {f"{scheme}://{host}": f"{base_url}/{host}" for host in fixture_hosts(root) for scheme in ("http", "https")}


@contextmanager
def fixture_fetcher(root: Path = FIXTURES) -> Iterator[Fetch]:
    """A fetch function answering real URLs from the fixtures on a loopback server."""
    from crawler.components.hostmap import HostMap
    from crawler.samples.server import SampleServer

    with SampleServer(root) as server:
        mapping = HostMap(host_map(server.base_url, root))

        def fetch(request: scrapy.Request) -> Response:
            target = mapping.to_loopback(request.url)
            if target is None:
                raise ValueError(f"{urlsplit(request.url).netloc} has no fixture")
            headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in request.headers.items()}
            req = urllib.request.Request(target, data=request.body or None, headers=headers, method=request.method)
            try:
                with urllib.request.urlopen(req, timeout=10) as answer:
                    status, got, body = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as exc:
                status, got, body = exc.code, exc.headers, exc.read()
            hdrs = Headers({k: v for k, v in got.items()})
            cls = responsetypes.from_args(headers=hdrs, url=request.url, body=body)
            return cls(url=request.url, status=status, headers=hdrs, body=body, request=request)

        yield fetch
