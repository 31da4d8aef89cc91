"""Hanweb / 大汉 JCMS column pages (``/col/colNNN/index.html``).

The records of a listing are not in the page's markup: they sit as CDATA in
``<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>``, which
CSS selectors cannot see, so they are unwrapped first. Later records come from
``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=&columnid=&unitid=&webid=``,
which answers the same ``<datastore>`` XML; the ids are read from the column page.
Sites whose pager carries encrypted ids (nhsa.gov.cn) list page 0 only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapy.http import Response
from scrapy.selector import Selector

from spiders.base import FamilySpider, links_in
from spiders.registry import Source

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_IDS = {key: re.compile(rf"\b{key}\s*[=:]\s*['\"]?(\d+)", re.I) for key in ("columnid", "unitid", "webid")}
_TOTAL = re.compile(r"(?:<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[=:]\s*['\"]?(\d+))", re.I)
_PER_PAGE = re.compile(r"perPage\s*[=:]\s*['\"]?(\d+)", re.I)
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def datastore_records(text: str) -> list[str]:
    """The HTML of each ``<record>`` of a datastore (in a column page or a dataproxy answer)."""
    return _RECORD.findall(text)


def pager_state(text: str) -> dict[str, int]:
    """What a column page says about its pager: columnid, unitid, webid, total, perpage."""
    state: dict[str, int] = {}
    for key, pattern in _IDS.items():
        m = pattern.search(text)
        if m:
            state[key] = int(m[1])
    m = _TOTAL.search(text)
    if m:
        state["total"] = int(m[1] or m[2])
    m = _PER_PAGE.search(text)
    if m:
        state["perpage"] = int(m[1])
    return state


def dataproxy_url(page_url: str, state: dict[str, int], start: int, batch: int) -> str | None:
    """The dataproxy request for records ``start`` … ``start + batch - 1`` (1-based)."""
    if not all(k in state for k in ("columnid", "unitid", "webid")):
        return None  # encrypted or absent ids: nothing we can page through
    parts = urlsplit(page_url)
    query = urlencode({
        "startrecord": start, "endrecord": start + batch - 1, "perpage": state.get("perpage", batch),
        "columnid": state["columnid"], "unitid": state["unitid"], "webid": state["webid"],
    })
    return f"{parts.scheme}://{parts.netloc}{DATAPROXY}?{query}"


class HanwebSpider(FamilySpider):
    name = "hanweb"
    family = "hanweb"

    def parse_listing(self, response: Response, source: Source, page_no: int,
                      state: dict[str, int] | None = None, done: int = 0, listing: str | None = None) -> Iterable[Any]:
        listing = listing or response.url
        text = response.text
        records = datastore_records(text)
        if state is None:  # the column page: the pager's ids live here
            state = pager_state(text)
        selector = Selector(text="\n".join(records)) if records else response.selector
        listed = links_in(selector, response.urljoin, source)
        links = [(u, h) for u, h in listed if self.wanted(source, h)]
        for url, hints in links:
            yield self.detail_request(source, url, hints)
        done += len(records)
        total = state.get("total")
        more = bool(records) and (total is None or done < total)
        more = more and (not links or self.walk_on(source, [u for u, _ in links], listing, page_no))
        url = None
        limited = more and page_no + 1 >= source.max_pages
        if more and not limited:
            batch = len(records) if page_no == 0 else max(len(records), state.get("perpage", 0))
            url = dataproxy_url(response.url, state, done + 1, batch)
        self.report_walk(source, listing, page_no, url, limited)
        if url:
            request = self.listing_request(source, url, page_no + 1, listing)
            request.cb_kwargs.update(state=state, done=done)
            yield request
