"""Government open-information portals (TRS and similar CMSs).

Their listings paginate as index.html, index_1.html, … and usually write the pager with
a script call ``createPageHTML(total, current, "index", "html")`` rather than links.
"""
from __future__ import annotations

import re

from scrapy.http import Response

from spiders.base import FamilySpider
from spiders.registry import Source

_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']"
)


def trs_next_page(html: str, current_url: str) -> str | None:
    """The next listing URL from a TRS ``createPageHTML`` call, or None on the last page."""
    m = _TRS_PAGER.search(html)
    if not m:
        return None
    total, current, stem, ext = int(m[1]), int(m[2]), m[3], m[4]
    if current + 1 >= total:
        return None
    directory = current_url.rsplit("/", 1)[0]
    return f"{directory}/{stem}_{current + 1}.{ext}"


class GovPortalSpider(FamilySpider):
    name = "gov_portal"
    family = "gov_portal"

    def next_listing_url(self, response: Response, source: Source, page_no: int) -> str | None:
        return (
            super().next_listing_url(response, source, page_no)
            or trs_next_page(response.text, response.url)
            or _next_link_by_text(response)
        )


def _next_link_by_text(response: Response) -> str | None:
    href = response.xpath('//a[normalize-space(.)="下一页" or normalize-space(.)="下页"]/@href').get()
    if href and not href.startswith("javascript"):
        return response.urljoin(href)
    return None
