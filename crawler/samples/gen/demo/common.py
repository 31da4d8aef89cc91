"""What the demo sites share: a site assembled from its pages, and the ground-truth record
of a detail page (one [[page]] of expected.toml)."""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable

from crawler.vocab.docnumber import normalize_doc_number

from ..notice import Notice, cited_numbers
from ..tree import Tree


def paged(items: list, per_page: int, render: Callable[[int, int], tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The listing pages of ``items``: ``render(page, count)`` gives each page's (path, bytes)."""
    count = -(-len(items) // per_page)
    return [render(page, count) for page in range(count)]


def site_tree(site: str, charset: str | bool, note: str, pages: Iterable[tuple[str, bytes]],
              details: Iterable[tuple[dict[str, bytes], dict]]) -> Tree:
    """A demo site: its serving rules, its home and listing pages, and its detail pages
    (each one's files: the page, its other parts and attachments) with their ground truth."""
    out = Tree()
    out.site(site, charset, note=note)
    for path, data in pages:
        out.add(path, data)
    for files, record in details:
        for path, data in files.items():
            out.add(path, data)
        out.records.append(record)
    return out


def expected_page(
    notice: Notice,
    path: str,
    *,
    site: str,
    encoding: str,
    declared_charset: str,
    header_charset: str,
    doc_number_raw: str | None,
    agency: str | None,
    signed: date | None,
    published: date | None,
    parts: list[str] | None = None,
    index_number: str | None = None,
    shown_title: str | None = None,
    text_variant: str | None = None,
) -> dict:
    """One [[page]] record; None means the page does not carry that field."""
    record: dict = {
        "path": "/" + path,
        "site": site,
        "notice": notice.id,
        "title": notice.title,
        "shown_title": shown_title,
        "doc_number_raw": doc_number_raw,
        "doc_number": normalize_doc_number(doc_number_raw) if doc_number_raw else None,
        "agency": agency,
        "signed_date": signed,
        "published_date": published,
        "index_number": index_number,
        "topic": notice.topic,
        "on_topic": notice.on_topic,
        "draft": notice.draft,
        "encoding": encoding,
        "declared_charset": declared_charset,
        "header_charset": header_charset,
        "parts": ["/" + p for p in (parts or [path])],
        "cites": cited_numbers(notice.text),
        "text_variant": text_variant,
    }
    return record
