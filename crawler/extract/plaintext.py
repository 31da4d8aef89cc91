"""A document that is only text (an attachment's, a saved text file's) through the same
extraction as a page: its lines become paragraphs of a bare HTML page."""
from __future__ import annotations

import html
from typing import Any

from crawler.extract.model import Extraction


def text_as_html(text: str, *, title_from_first_line: bool = True) -> str:
    """Text as a bare HTML document, one paragraph per line. A saved text page's first
    line is its title; an attachment's first line is as often 附件1 or a 文号, so there
    the text alone decides (``title_from_first_line=False``)."""
    lines = [line.strip() for line in text.splitlines()]
    title = next((line for line in lines if line), "") if title_from_first_line else ""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>\n{paragraphs}\n</body></html>'


def extract_text(text: str, url: str | None = None, **options: Any) -> Extraction:
    """The metadata of a document's text (an attachment read by crawler.extract.attachment):
    the page rules find its title, 文号, 落款 agency and dates in the text itself."""
    from crawler.extract.page import extract_page

    extraction = extract_page(text_as_html(text, title_from_first_line=False), url, **options)
    extraction.encoding = None
    extraction.provenance["text"] = "attachment"
    return extraction
