"""The attachments a fetched page links to, read from the one tree of the page its
callback parses (no second parse), and which of them a spider fetches."""
from __future__ import annotations

from lxml.html import HtmlElement
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector

from crawler.extract.attachment.kinds import TEXT_KINDS
from crawler.extract.attachments import attachment_links, may_link_attachments
from crawler.items import PageLinks

# Attachments whose text we can read; a page rarely has more that matter.
FETCHED_ATTACHMENT_KINDS = frozenset(TEXT_KINDS)
MAX_ATTACHMENTS = 6


def page_selector(response: Response) -> Selector | None:
    """A selector over a detail page for its callback alone: parsed once, shared by what
    the callback reads, and freed with the callback.

    Not ``response.selector``: Scrapy caches that one on the response, and keeps the
    response until every item of its callback has left the pipelines, so each page waiting
    for the archive writer would hold its whole lxml tree (20–40 times its bytes: 200
    waiting pages held 160 MB in the crawl process).
    """
    if not isinstance(response, TextResponse):
        return None
    return Selector(response=response)


def page_tree(selector: Selector) -> HtmlElement | str:
    """The lxml tree of a page's selector, else its text to parse."""
    root = getattr(selector, "root", None) if selector.type == "html" else None
    return root if isinstance(root, HtmlElement) else selector.get()


def page_links(response: Response, selector: Selector | None = None) -> PageLinks | None:
    """The attachment links of a fetched page, read from the callback's tree of it
    (``selector``), or from Scrapy's when it passes none; a page whose text names no file
    is not parsed for them at all."""
    if not isinstance(response, TextResponse):
        return None
    if selector is None:
        if not may_link_attachments(response.text):
            return PageLinks(response.encoding, [])  # most notices: no tree to build
        selector = page_selector(response)
        text = None  # just checked
    else:
        text = response.text  # attachment_links checks it before walking the links
    return PageLinks(response.encoding, attachment_links(page_tree(selector), response.url, text=text))


def fetched_attachments(links: PageLinks | None) -> list[str]:
    """The readable attachments among a page's links (PDF, DOC, DOCX, WPS, XLS/XLSX, OFD)."""
    found = links.links if links else []
    return [a.url for a in found if a.kind in FETCHED_ATTACHMENT_KINDS][:MAX_ATTACHMENTS]
