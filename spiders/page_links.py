"""The attachments a fetched page links to, read from the tree Scrapy already holds for
the response (no second parse), and which of them a spider fetches."""
from __future__ import annotations

from lxml.html import HtmlElement
from scrapy.http import Response

from crawler.extract.attachment.kinds import TEXT_KINDS
from crawler.extract.attachments import attachment_links
from crawler.items import PageLinks

# Attachments whose text we can read; a page rarely has more that matter.
FETCHED_ATTACHMENT_KINDS = frozenset(TEXT_KINDS)
MAX_ATTACHMENTS = 6


def page_tree(response: Response) -> HtmlElement | str:
    """The tree Scrapy's selector holds for an HTML response (parsed once, shared with
    every ``response.css``), else the text to parse."""
    selector = getattr(response, "selector", None)
    root = getattr(selector, "root", None) if selector is not None and selector.type == "html" else None
    return root if isinstance(root, HtmlElement) else response.text


def page_links(response: Response) -> PageLinks | None:
    """The attachment links of a fetched page, read from Scrapy's own tree of it."""
    if not hasattr(response, "text"):
        return None
    return PageLinks(response.encoding, attachment_links(page_tree(response), response.url))


def fetched_attachments(links: PageLinks | None) -> list[str]:
    """The readable attachments among a page's links (PDF, DOC, DOCX, WPS, XLS/XLSX, OFD)."""
    found = links.links if links else []
    return [a.url for a in found if a.kind in FETCHED_ATTACHMENT_KINDS][:MAX_ATTACHMENTS]


def attachment_urls(response: Response) -> list[str]:
    """The readable attachments a page links to."""
    return fetched_attachments(page_links(response))
