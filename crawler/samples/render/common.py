"""What every site renderer shares: escaping, paragraph styles, and the output records."""
from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from crawler.vocab.docnumber import normalize_doc_number

from .notice import Line, Notice, cited_numbers

def esc(text: str) -> str:
    return html.escape(text, quote=True)


def rel(from_path: str, to_path: str) -> str:
    """A relative link from one page to another, both given as paths under www/."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


@dataclass(frozen=True)
class ParaStyle:
    """How a site writes the three kinds of lines; each takes the escaped text."""

    p: Callable[[str], str]
    sign: Callable[[str], str]
    head: Callable[[str], str]

    def render(self, lines: Iterable[Line], indent: str = "") -> str:
        out = []
        for line in lines:
            text = esc(line.text)
            if line.kind == "p":
                out.append(self.p(indent + text))
            else:
                out.append(getattr(self, line.kind)(text))
        return "\n".join(out)


@dataclass
class Built:
    """A site's files (path under www/ -> bytes) and the ground truth of its detail pages."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: list[dict] = field(default_factory=list)

    def add(self, path: str, data: bytes) -> None:
        if path in self.files:
            raise ValueError(f"{path} written twice")
        self.files[path] = data


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


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date_padded(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"
