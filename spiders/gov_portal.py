"""Government open-information portals (TRS and similar CMSs).

Their listings paginate as index.html, index_1.html, … and usually write the pager with
a script call ``createPageHTML(total, current, "index", "html")`` rather than links.
"""
from __future__ import annotations

from scrapy.http import Response

from crawler.extract.listing import trs_next_page  # the pager grammar lives with discovery
from spiders.base import FamilySpider
from spiders.registry import Source

__all__ = ["GovPortalSpider", "trs_next_page"]


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
