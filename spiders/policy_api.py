"""Policy libraries that list notices through a JSON search API (gov.cn style)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.http import Response

from spiders.base import FamilySpider
from spiders.registry import ApiConfig, Source


def dig(data: Any, path: str | None) -> Any:
    """Follow a dotted path (``searchVO.listVO``) into parsed JSON; None when absent."""
    if not path:
        return None
    for key in path.split("."):
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def listing_hints(entry: dict[str, Any], api: ApiConfig) -> dict[str, str]:
    hints: dict[str, str] = {}
    for key, field in (
        ("title", api.title_field),
        ("published_date", api.date_field),
        ("doc_number", api.doc_number_field),
        ("agency", api.agency_field),
    ):
        value = dig(entry, field)
        if value not in (None, ""):
            hints[key] = str(value).strip()
    return hints


class PolicyApiSpider(FamilySpider):
    name = "policy_api"
    family = "policy_api"

    def start_source(self, source: Source) -> Iterable[scrapy.Request]:
        assert source.api is not None
        yield self.api_request(source, source.api.first_page)

    def api_request(self, source: Source, page: int) -> scrapy.Request:
        assert source.api is not None
        return scrapy.Request(
            source.api.page_url.format(page=page),
            callback=self.parse_api,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta={"source_id": source.id, "role": "listing"},
            cb_kwargs={"source": source, "page": page},
        )

    def parse_api(self, response: Response, source: Source, page: int) -> Iterable[Any]:
        api = source.api
        assert api is not None
        try:
            data = json.loads(response.text)
        except ValueError as exc:
            raise ValueError(f"listing API answered something that is not JSON: {exc}") from None
        entries = dig(data, api.items_path) or []
        urls = []
        for entry in entries:
            url = dig(entry, api.url_field)
            if isinstance(entry, dict) and url:
                urls.append(response.urljoin(str(url)))
                yield self.detail_request(source, urls[-1], listing_hints(entry, api))
        total = dig(data, api.total_pages_path)
        pages_done = page - api.first_page + 1
        more = int(total) > pages_done if total is not None else bool(entries)
        more = more and pages_done < source.max_pages and self.walk_on(source, urls, api.page_url, pages_done - 1)
        next_request = self.api_request(source, page + 1) if more else None
        self.report_walk(source, api.page_url, pages_done - 1, next_request.url if next_request else None)
        if next_request is not None:
            yield next_request
