"""Pure extraction: bytes or str in, an Extraction out; no Scrapy, no database.

``extract_page`` and ``decode_html`` are imported on first use: they pull in trafilatura
and every metadata module, or charset_normalizer, which callers of a single module
(``crawler.extract.docnumber``, a search reading ``crawler.extract.model.TOPICS``) should
not pay for, nor fail on while one of them is being changed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.extract.model import AttachmentLink, DocNumber, Extraction

if TYPE_CHECKING:
    from crawler.extract.decode import decode_html
    from crawler.extract.page import extract_page

__all__ = ["AttachmentLink", "DocNumber", "Extraction", "decode_html", "extract_page"]


def __getattr__(name: str) -> Any:
    if name == "extract_page":
        from crawler.extract.page import extract_page

        return extract_page
    if name == "decode_html":
        from crawler.extract.decode import decode_html

        return decode_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
