"""From a fetched PageItem to extraction's reading of it (the Extraction, and the text of
each attachment file), which page_work puts in the PageRecord ingest takes: the glue
between the raw item and the pure extraction functions, with the source's registry
knowledge applied."""
from __future__ import annotations

import codecs

from crawler.extract import Extraction, decode_html, extract_page
from crawler.extract.attachment import AttachmentError, attachment_text, sniff_kind
from crawler.extract.attachments import attachment_links
from crawler.extract.decode import declared_charset
from crawler.extract.htmltree import parse_html
from crawler.extract.model import AttachmentLink
from crawler.items import AttachmentFile, CapturedPart, PageItem
from crawler.vocab.failures import NO_TEXT_NOTE, PARSE, failure_note
from spiders.registry import Source

# {attachment URL: (failure kind, why)}: attachments a retry of the page leaves unread
# (the first try overran its deadline or its memory with them)
Unread = dict[str, tuple[str, str]]


def read_attachment(part: CapturedPart, name: str | None, unread: Unread | None = None) -> AttachmentFile:
    kind = sniff_kind(part.body, name or part.url)
    if unread and part.url in unread:
        failure, why = unread[part.url]
        return AttachmentFile(part=part, kind=kind, name=name, error=failure_note(failure, why), error_kind=failure)
    error_kind = None
    try:
        text = attachment_text(part.body, kind, name)
        error = None if text else f"{NO_TEXT_NOTE} {kind} file"
    except AttachmentError as exc:  # a broken or hostile file must not lose its notice
        text, error_kind = "", exc.kind
        error = failure_note(exc.kind, str(exc))
    except Exception as exc:
        text, error, error_kind = "", f"{type(exc).__name__}: {exc}", PARSE
    return AttachmentFile(part=part, kind=kind, name=name, text=text, error=error, error_kind=error_kind)


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _spider_links(item: PageItem, page: CapturedPart, codec: str) -> list[AttachmentLink] | None:
    """The links the spider read on the page, when it read the same text we decoded:
    the same charset, or bytes every ASCII-compatible charset reads alike."""
    found = item.page_links
    if found is None:
        return None
    theirs = _codec(found.encoding)
    if theirs == _codec(codec) or page.body.isascii() and theirs and _ascii_compatible(theirs):
        return found.links
    return None


def _ascii_compatible(codec: str) -> bool:
    return "<a href>".encode(codec, errors="replace") == b"<a href>"


def extract_item(item: PageItem, source: Source, unread: Unread | None = None) -> tuple[Extraction, list[AttachmentFile]]:
    first, *rest = item.parts
    more = []
    for part in rest:
        text, part.encoding = decode_html(part.body, declared_charset(part.content_type))
        more.append(text)
    html, first.encoding = decode_html(first.body, declared_charset(first.content_type))
    page = None  # the page's tree, when this function needs it too: extraction then uses it
    files = []
    if item.attachments:
        links = _spider_links(item, first, first.encoding)
        if links is None:
            page = parse_html(html)
            links = attachment_links(page, first.final_url or first.url, text=html) if page is not None else []
        names = {a.url: a.name for a in links}
        files = [read_attachment(p, names.get(p.url), unread) for p in item.attachments]
    extraction = extract_page(
        page if page is not None else html,
        first.final_url or first.url,
        more_pages=more,
        listing=item.listing,
        boilerplate=source.boilerplate,
        container=source.container,
        region_hint=source.region,
        attachment_texts={f.part.url: f.text for f in files if f.text},
    )
    extraction.encoding = first.encoding
    return extraction, files
