"""Guangdong's 政府信息公开目录管理平台 (gkmlpt), one platform behind every Guangdong
government site (wsjkw.gd.gov.cn, smzt.gd.gov.cn, hsa.gd.gov.cn, wjw.sz.gov.cn …).

``{base}/gkmlpt/index`` defines ``window._CONFIG`` with the site's ``SID`` and its category
``TREE``; each category's notices come from ``{base}/gkmlpt/api/all/{cat}?page={n}&sid={sid}``
(pages from 1) as JSON ``articles[]`` with the API's own 文号 (``document_number``),
索引号 (``identifier``), publisher and publish time, taken as listing hints. A detail
page renders its body from ``_CONFIG.DETAIL.content`` by script: that HTML is carried
as a second part of the item, after the page's own bytes.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.items import CapturedPart
from spiders.base import FamilySpider, plain_title, response_part
from spiders.page_links import fetched_attachments, page_links
from spiders.policy_api import epoch_date
from spiders.registry import Source, request_headers

_SID = re.compile(r"\bSID\s*:\s*['\"]?(\w+)['\"]?")
_TREE = re.compile(r"\bTREE\s*:\s*\[")
_CONTENT = re.compile(r"\bDETAIL\s*:\s*\{.*?[\"']?content[\"']?\s*:\s*\"((?:[^\"\\]|\\.)*)\"", re.S)
CONTENT_PART = "#_CONFIG.DETAIL.content"


def _balanced(text: str, start: int) -> str:
    """The bracketed JSON starting at ``text[start]`` (``[`` or ``{``), strings respected."""
    depth, i, in_string = 0, start, False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    raise ValueError("unbalanced brackets in _CONFIG")


def site_config(html: str) -> tuple[str, list[dict[str, Any]]]:
    """SID and category tree from a ``/gkmlpt/index`` page."""
    sid = _SID.search(html)
    tree = _TREE.search(html)
    if not sid or not tree:
        raise ValueError("no window._CONFIG with SID and TREE on the gkmlpt index page")
    return sid[1], json.loads(_balanced(html, tree.end() - 1))


def leaf_categories(tree: list[dict[str, Any]], wanted: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(id, name) of every category that lists notices itself: no children, no jump_url."""
    leaves: list[tuple[int, str]] = []
    for node in tree:
        if node.get("jump_url"):
            continue
        children = leaf_categories(node.get("children") or [], ())
        if children:
            leaves.extend(children)
        else:
            leaves.append((int(node["id"]), str(node.get("name", ""))))
    if wanted:
        leaves = [leaf for leaf in leaves if leaf[1] in wanted]
    return leaves


def article_hints(article: dict[str, Any]) -> dict[str, str]:
    hints = {
        "title": plain_title(str(article.get("title") or "")),
        "doc_number": str(article.get("document_number") or "").strip(),
        "index_number": str(article.get("identifier") or "").strip(),
        "agency": str(article.get("publisher") or "").strip(),
        "published_date": epoch_date(article.get("display_publish_time") or article.get("date"), "s") or "",
    }
    return {k: v for k, v in hints.items() if v}


def detail_content(html: str) -> str | None:
    """The body HTML a gkmlpt detail page's script renders (``_CONFIG.DETAIL.content``)."""
    m = _CONTENT.search(html)
    if not m:
        return None
    try:
        return json.loads(f'"{m[1]}"')
    except ValueError:
        return None


class GkmlptSpider(FamilySpider):
    name = "gkmlpt"
    family = "gkmlpt"

    def start_source(self, source: Source) -> Iterable[scrapy.Request]:
        for url in source.start_urls:
            request = self.listing_request(source, url, page_no=0)
            yield request.replace(callback=self.parse_index)

    def parse_index(self, response: Response, source: Source, page_no: int = 0, listing: str | None = None) -> Iterable[Any]:
        sid, tree = site_config(response.text)
        base = response.url.split("/gkmlpt/", 1)[0]
        for cat, _name in leaf_categories(tree, source.categories):
            yield self.api_request(source, base, sid, cat, 1, 0)

    def api_request(self, source: Source, base: str, sid: str, cat: int, page: int, seen: int) -> scrapy.Request:
        return scrapy.Request(
            f"{base}/gkmlpt/api/all/{cat}?page={page}&sid={sid}",
            headers=request_headers(source),
            callback=self.parse_api,
            errback=self.on_error,
            dont_filter=True,
            priority=10,
            meta={"source_id": source.id, "role": "listing"},
            cb_kwargs={"source": source, "base": base, "sid": sid, "cat": cat, "page": page, "seen": seen},
        )

    def parse_api(self, response: Response, source: Source, base: str, sid: str, cat: int, page: int,
                  seen: int) -> Iterable[Any]:
        data = json.loads(response.text)
        articles = [a for a in data.get("articles") or [] if isinstance(a, dict) and a.get("url")]
        urls = []
        for article in articles:
            hints = article_hints(article)
            if self.wanted(source, hints):
                urls.append(response.urljoin(str(article["url"])))
                yield self.detail_request(source, urls[-1], hints)
        seen += len(articles)
        total = int((data.get("classify") or {}).get("post_count") or 0)
        walk_key = f"{base}/gkmlpt/api/all/{cat}"
        more = bool(articles) and seen < total and page < source.max_pages
        more = more and self.walk_on(source, urls, walk_key, page - 1)
        next_request = self.api_request(source, base, sid, cat, page + 1, seen) if more else None
        self.report_walk(source, walk_key, page - 1, next_request.url if next_request else None)
        if next_request is not None:
            yield next_request

    def parse_detail(self, response: Response, source: Source, listing: dict[str, str]) -> Iterable[Any]:
        if (item := self.not_modified(response, source, listing)) is not None:
            yield item
            return
        parts = [response_part(response)]
        content = detail_content(response.text)
        if content:
            body = f'<html><head><meta charset="utf-8"></head><body><div id="content">{content}</div></body></html>'
            parts.append(CapturedPart(
                url=response.url + CONTENT_PART, final_url=response.url + CONTENT_PART, status=200,
                body=body.encode("utf-8"), fetched_at=datetime.now(timezone.utc),
                content_type="text/html; charset=utf-8",
            ))
        links = page_links(response)
        yield from self.finish_item(source, listing, parts, fetched_attachments(links), links)
