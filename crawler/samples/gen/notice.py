"""The one notice model of every generated site, and the notice files of the demo sites.

A notice is its metadata and its text as pages of lines (most notices have one page). The
demo sites read theirs from files (below); the fixtures and the bench site make theirs up
(fixtures/invent.py, bench/__init__.py).

The notice files: TOML front matter between ``+++`` lines, then the text.

Text markup, one paragraph per line:
  ``> …``        a right-aligned line (落款: signing agency and date)
  ``# …``        a centred heading (the title of an attached plan, a chapter)
  ``<<<page>>>`` where an aggregator splits the article into a second page
Everything else is a plain paragraph. The clean text of a notice is its lines without
the markers, joined by newlines.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crawler.vocab.docnumber import YEAR_IN_BRACKETS, normalize_doc_number

PAGE_BREAK = "<<<page>>>"


@dataclass(frozen=True)
class Line:
    kind: str  # p | sign | head
    text: str


@dataclass
class Notice:
    id: str
    title: str
    pages: list[list[Line]]
    doc_number: str = ""
    agency: str = ""
    topic: str = "health"
    region: str = ""
    origin: str = ""
    url: str = ""  # where the site serves it, for sites whose notices are not files
    signed: date | None = None
    published: date | None = None
    publisher: str = ""
    index_number: str = ""
    category: str = ""
    draft: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def lines(self) -> list[Line]:
        return [line for page in self.pages for line in page]

    @property
    def paragraphs(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def iso(self) -> str:
        return self.published.isoformat()

    @property
    def on_topic(self) -> bool:
        return self.topic != "offtopic"

    def summary(self, limit: int = 90) -> str:
        """The first real paragraph after the addressee, cut like a CMS 摘要 field."""
        for line in self.lines:
            # an addressee line (各区县人民政府…：) is short and ends with a colon
            if line.kind == "p" and len(line.text) > 40 and not (line.text.endswith("：") and len(line.text) < 60):
                return line.text[:limit]
        return ""


_KIND = {"> ": "sign", "# ": "head"}


def parse_notice(path: Path) -> Notice:
    raw = path.read_text("utf-8")
    _, front, body = raw.split("+++\n", 2)
    meta = tomllib.loads(front)
    pages: list[list[Line]] = [[]]
    for text in body.splitlines():
        text = text.rstrip()
        if not text:
            continue
        if text == PAGE_BREAK:
            pages.append([])
            continue
        kind = _KIND.get(text[:2], "p")
        pages[-1].append(Line(kind, text[2:] if kind != "p" else text))
    known = {"id", "title", "doc_number", "agency", "topic", "region", "origin", "signed", "published",
             "publisher", "index_number", "category", "draft"}
    notice = Notice(pages=pages, extra={k: v for k, v in meta.items() if k not in known},
                    **{k: v for k, v in meta.items() if k in known})
    if notice.id != path.stem:
        raise ValueError(f"{path.name}: id {notice.id!r} does not match the file name")
    if notice.topic not in ("health", "eldercare", "offtopic"):
        raise ValueError(f"{path.name}: bad topic {notice.topic!r}")
    return notice


def load_notices(folder: Path) -> dict[str, Notice]:
    return {p.stem: parse_notice(p) for p in sorted(folder.glob("*.txt"))}


# --- 文号 forms: the archive's own grammar (crawler/vocab/docnumber.py) ------------------


def restyle_year_brackets(raw: str, left: str, right: str) -> str:
    """The same number written with another bracket pair around the year (an aggregator's [ ])."""
    return YEAR_IN_BRACKETS.sub(lambda m: f"{left}{m.group('year')}{right}", raw)


_CITATION = re.compile(r"》\s*[（(]([^（）()《》]{2,40}?号)[）)]")


def cited_numbers(text: str) -> list[str]:
    """Normalized 文号 cited as 《…》（number） in a text, in order, without repeats."""
    seen: list[str] = []
    for m in _CITATION.finditer(text):
        number = normalize_doc_number(m.group(1))
        if number not in seen:
            seen.append(number)
    return seen
