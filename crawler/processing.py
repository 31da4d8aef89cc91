"""From a fetched PageItem to an Extraction: the glue between the raw item and the
pure extraction functions, with the source's registry knowledge applied."""
from __future__ import annotations

import re

from crawler.extract import Extraction, decode_html, extract_page
from crawler.items import PageItem
from spiders.registry import Source

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w-]+)", re.I)


def declared_charset(content_type: str | None) -> str | None:
    """The charset an HTTP Content-Type header declares, if any."""
    m = _CHARSET.search(content_type or "")
    return m[1].lower() if m else None


def extract_item(item: PageItem, source: Source) -> Extraction:
    first, *rest = item.parts
    more = []
    for part in rest:
        text, part.encoding = decode_html(part.body, declared_charset(part.content_type))
        more.append(text)
    extraction = extract_page(
        first.body,
        first.final_url or first.url,
        declared_encoding=declared_charset(first.content_type),
        more_pages=more,
        listing=item.listing,
        boilerplate=source.boilerplate,
        container=source.container,
        region_hint=source.region,
    )
    first.encoding = extraction.encoding
    return extraction
