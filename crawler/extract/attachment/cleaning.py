"""Attachment text cleaned the way page text is: NFC, one paragraph (or table row, cells
tab-joined) per line, and no page furniture (page numbers, running headers and footers)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACES = re.compile(r"[ \u00a0\u2002-\u200b]+")
_CID = re.compile(r"\(cid:\d+\)")  # pdfminer's mark for a glyph it has no Unicode for
# lines that are page numbers wherever they stand on the page
_PAGE_NUMBER = re.compile(
    r"^([-—–－一~～·•]{1,2}\s*\d{1,4}\s*[-—–－一~～·•]{1,2}"
    r"|第\s*\d{1,4}\s*页\s*([,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|page\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?)$",
    re.I,
)
_EDGE = 3  # how many lines at a page's top and bottom may be running headers or footers


def tidy_line(line: str) -> str:
    line = _CID.sub("", unicodedata.normalize("NFC", line))
    # tabs separate table cells; any other run of blanks becomes one space
    return "\t".join(_SPACES.sub(" ", cell).strip() for cell in line.split("\t")).strip()


def clean_text(text: str) -> str:
    """NFC, one paragraph (or table row, cells tab-joined) per line, no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return "\n".join(line for line in map(tidy_line, text.split("\n")) if line)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def page_furniture(pages: list[list[str]]) -> list[list[bool]]:
    """Which lines of each page are furniture: page numbers ("— 3 —", "第 3 页 共 7 页")
    wherever they stand, and lines whose shape (digits masked) stands in the top or
    bottom lines of most pages (a running header, a bare page number, "3/7")."""
    shapes: Counter[str] = Counter()
    if len(pages) >= 2:
        for lines in pages:
            shapes.update({_shape(line) for line in lines[:_EDGE] + lines[-_EDGE:]})
    needed = max(2, (len(pages) + 1) // 2)
    repeated = {shape for shape, count in shapes.items() if count >= needed}
    return [
        [
            bool(_PAGE_NUMBER.match(line)) or (i < _EDGE or i >= len(lines) - _EDGE) and _shape(line) in repeated
            for i, line in enumerate(lines)
        ]
        for lines in pages
    ]

