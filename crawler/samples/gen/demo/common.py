"""The ground-truth record of a demo site's detail page (one [[page]] of expected.toml)."""
from __future__ import annotations

from datetime import date

from ..notice import Notice, cited_numbers, normalize_doc_number


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
