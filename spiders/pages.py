"""Listing pages by number: ``list.shtml`` → ``list_2.shtml``, ``index.html`` → ``index_1.html``,
``home.htm`` → ``home_2.htm``. Pure functions (HTML text in, URL out).

Sites count their second page differently (TRS from 1, nhc.gov.cn and natcm.gov.cn from 2),
so a registry entry names the pattern and the number of its second page; the page count
comes from what the page itself says (``createPageHTML(…)``, ``共N页``, ``countPage = N``).
"""
from __future__ import annotations

import re

from crawler.vocab.listing import TRS_PAGER

_TOTAL_PATTERNS = (
    re.compile(r"共\s*(\d+)\s*页"),
    re.compile(r"\b(?:countPage|totalPage|pageCount|page_count)\s*[=:]\s*['\"]?(\d+)"),
)


def page_total(html: str) -> int | None:
    """How many listing pages the page says there are, if it says."""
    m = TRS_PAGER.search(html)
    if m:
        return int(m["total"])
    for pattern in _TOTAL_PATTERNS:
        m = pattern.search(html)
        if m:
            return int(m[1])
    return None


def numbered_page_url(html: str, first_url: str, pattern: str, page_start: int, page_no: int) -> str | None:
    """The listing page after page ``page_no`` (0 = the first), or None after the last.

    ``pattern`` (``list_{n}.shtml``) is resolved against the first listing URL's directory.
    """
    total = page_total(html)
    if total is not None and page_no + 1 >= total:
        return None
    directory = first_url.split("?", 1)[0].rsplit("/", 1)[0]
    return f"{directory}/{pattern.format(n=page_start + page_no)}"
