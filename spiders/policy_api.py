"""Policy libraries that list notices through a JSON API (gov.cn style).

One registry ``[source.api]`` table says where the items are and what each field means.
Covered shapes: items at a dotted path or the document itself an array (gov.cn's
最新政策 feed); pages by a ``{page}`` URL template or a page field in a POST JSON body
(博达 VSB site search); one walk per query (``{q}``) when the API is a search.
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import FamilySpider, plain_title
from spiders.registry import ApiConfig, Source, request_headers

_CHINA = timezone(timedelta(hours=8))


def dig(data: Any, path: str | None) -> Any:
    """Follow a dotted path (``searchVO.listVO``) into parsed JSON; None when absent.
    The empty path is the document itself."""
    if path is None:
        return None
    if path == "":
        return data
    for key in path.split("."):
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def put(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path in a JSON object, making the objects on the way."""
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def epoch_date(value: Any, unit: str) -> str | None:
    """A date (China time) from an epoch number in seconds or milliseconds."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    seconds = number / 1000 if unit == "ms" else number
    return datetime.fromtimestamp(seconds, _CHINA).date().isoformat()


def listing_hints(entry: dict[str, Any], api: ApiConfig) -> dict[str, str]:
    hints: dict[str, str] = {}
    for key, field in (
        ("title", api.title_field),
        ("published_date", api.date_field),
        ("doc_number", api.doc_number_field),
        ("agency", api.agency_field),
    ):
        value = dig(entry, field) if field else None
        if value in (None, ""):
            continue
        if key == "published_date" and api.date_epoch:
            value = epoch_date(value, api.date_epoch)
            if value is None:
                continue
        text = plain_title(str(value)) if key == "title" else str(value).strip()
        if text:
            hints[key] = text
    return hints


_SCHEMELESS = re.compile(r"^[\w-]+(\.[\w-]+)+/")


def entry_url(response: Response, value: Any) -> str:
    """An item's URL made absolute; 博达 VSB search answers ``www.host.cn/info/…`` without a scheme."""
    url = str(value).strip()
    if _SCHEMELESS.match(url):
        url = f"{urlsplit(response.url).scheme}://{url}"
    return response.urljoin(url)


def paged(api: ApiConfig) -> bool:
    """Whether the API has pages at all (a feed without a page parameter has one)."""
    return ("{page}" in api.page_url) or (api.method == "POST" and bool(api.page_field))


class PolicyApiSpider(FamilySpider):
    name = "policy_api"
    family = "policy_api"

    def start_source(self, source: Source) -> Iterable[scrapy.Request]:
        assert source.api is not None
        for query in source.api.queries or (None,):
            yield self.api_request(source, source.api.first_page, query)

    def api_request(self, source: Source, page: int, query: str | None = None) -> scrapy.Request:
        api = source.api
        assert api is not None
        url = api.page_url.replace("{page}", str(page)).replace("{q}", quote(query or ""))
        headers = request_headers(source)
        body = None
        if api.method == "POST":
            payload = copy.deepcopy(api.body or {})
            if api.page_field:
                put(payload, api.page_field, page)
            if api.query_field and query is not None:
                put(payload, api.query_field, query)
            body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
            headers.setdefault("Content-Type", "application/json;charset=UTF-8")
        return scrapy.Request(
            url,
            method=api.method,
            body=body,
            headers=headers,
            callback=self.parse_api,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta={"source_id": source.id, "role": "listing"},
            cb_kwargs={"source": source, "page": page, "query": query},
        )

    def parse_api(self, response: Response, source: Source, page: int, query: str | None = None) -> Iterable[Any]:
        api = source.api
        assert api is not None
        try:
            data = json.loads(response.text)
        except ValueError as exc:
            raise ValueError(f"listing API answered something that is not JSON: {exc}") from None
        entries = dig(data, api.items_path)
        entries = entries if isinstance(entries, list) else []
        urls = []
        for entry in entries:
            url = dig(entry, api.url_field) if isinstance(entry, dict) else None
            hints = listing_hints(entry, api) if url else {}
            if url and self.wanted(source, hints):
                urls.append(entry_url(response, url))
                yield self.detail_request(source, urls[-1], hints)
        if not paged(api):
            return
        total = dig(data, api.total_pages_path)
        pages_done = page - api.first_page + 1
        more = int(total) > pages_done if total is not None else bool(entries)
        walk_key = api.page_url + (f"#q={query}" if query else "")
        more = more and pages_done < source.max_pages and self.walk_on(source, urls, walk_key, pages_done - 1)
        next_request = self.api_request(source, page + 1, query) if more else None
        self.report_walk(source, walk_key, pages_done - 1, next_request.url if next_request else None)
        if next_request is not None:
            yield next_request
