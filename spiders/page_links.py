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


def page_tree(page: Selector | Response) -> HtmlElement | str:
    """The lxml tree of a page's selector, else the text to parse."""
    selector = page if isinstance(page, Selector) else page_selector(page)
    root = getattr(selector, "root", None) if selector is not None and selector.type == "html" else None
    if isinstance(root, HtmlElement):
        return root
    return page.text if isinstance(page, Response) else page.get()


def page_links(response: Response, selector: Selector | None = None) -> PageLinks | None:
    """The attachment links of a fetched page, read from the callback's tree of it."""
    if not isinstance(response, TextResponse):
        return None
    if selector is None and not may_link_attachments(response.text):
        return PageLinks(response.encoding, [])  # most notices: nothing to parse for
    page = selector if selector is not None else page_selector(response)
    return PageLinks(response.encoding, attachment_links(page_tree(page), response.url))


def fetched_attachments(links: PageLinks | None) -> list[str]:
    """The readable attachments among a page's links (PDF, DOC, DOCX, WPS, XLS/XLSX, OFD)."""
    found = links.links if links else []
    return [a.url for a in found if a.kind in FETCHED_ATTACHMENT_KINDS][:MAX_ATTACHMENTS]
