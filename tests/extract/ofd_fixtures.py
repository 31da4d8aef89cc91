"""OFD files (GB/T 33190) built in the tests, small and from known text.

An OFD is a zip of XML parts: ``OFD.xml`` names the document root, ``Doc_0/Document.xml``
lists the pages and the page area, each ``Doc_0/Pages/Page_N/Content.xml`` draws the
text as ``TextObject`` elements (a Boundary box in millimetres, a font size, and
``TextCode`` runs with a baseline position and per-glyph advances, DeltaX). Office
converters write one TextObject per printed line or per piece of a line, and draw a
bold title twice at one spot: both are done here, so the reader is tested on what it
meets.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from tests.extract.office_files import advance, wrap

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0  # A4, millimetres
LEFT, RIGHT, TOP, BOTTOM = 28.0, 26.0, 37.0, 260.0
BODY, LEADING, TITLE_SIZE = 5.6, 9.8, 7.8  # 16 pt body, 22 pt title


class _Page:
    def __init__(self) -> None:
        self.objects: list[str] = []

    def text(self, x: float, baseline: float, text: str, size: float, *, split: bool = False) -> None:
        pieces = [text[: len(text) // 2], text[len(text) // 2 :]] if split and len(text) > 6 else [text]
        for piece in pieces:
            deltas = " ".join(f"{advance(ch, size):g}" for ch in piece[:-1])
            width = sum(advance(ch, size) for ch in piece)
            top = baseline - size
            self.objects.append(
                f'<ofd:TextObject ID="{{id}}" Boundary="{x:g} {top:g} {width:g} {size * 1.2:g}" Font="2" Size="{size:g}">'
                f'<ofd:TextCode X="0" Y="{size:g}"' + (f' DeltaX="{deltas}"' if deltas else "") + f">{escape(piece)}</ofd:TextCode>"
                "</ofd:TextObject>"
            )
            x += width

    def xml(self, next_id) -> str:
        body = "".join(obj.replace("{id}", str(next_id())) for obj in self.objects)
        return f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{next_id()}">{body}</ofd:Layer></ofd:Content></ofd:Page>'


def layout_ofd(paragraphs: list[str], *, titles: tuple[str, ...] = (), page_numbers: bool = True) -> bytes:
    """Paragraphs laid out as a printed 公文: two-character indents, centred larger
    titles (drawn twice: fake bold), lines split into two runs every other line, a
    "— N —" page number at the foot of each page."""
    width = PAGE_W - LEFT - RIGHT
    pages = [_Page()]
    y = TOP
    for n, para in enumerate(paragraphs):
        title = para in titles
        size = TITLE_SIZE if title else BODY
        indent = 0.0 if title or len(para) <= 4 else 2 * size
        for k, (dx, line) in enumerate(wrap(para, size, indent, width)):
            if y + LEADING > BOTTOM:
                pages.append(_Page())
                y = TOP
            y += LEADING if not title else LEADING * 1.4
            line_w = sum(advance(ch, size) for ch in line)
            x = LEFT + (width - line_w) / 2 if title else LEFT + dx
            pages[-1].text(x, y, line, size, split=(n + k) % 2 == 1)
            if title:
                pages[-1].text(x + 0.2, y, line, size, split=(n + k) % 2 == 1)  # bold: drawn again, a hair to the right
    if page_numbers:
        for i, page in enumerate(pages, 1):
            label = f"— {i} —"
            w = sum(advance(ch, BODY) for ch in label)
            page.text(PAGE_W - RIGHT - w if i % 2 else LEFT, BOTTOM + 15, label, BODY)

    counter = iter(range(10, 10**6))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>policy-archive-test</ofd:DocID>"
            "<ofd:Creator>policy-archive tests</ofd:Creator></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{i + 1000}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f"<ofd:MaxUnitID>999999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}"
            "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        zf.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>',
        )
        for i, page in enumerate(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", page.xml(lambda: next(counter)))
    return out.getvalue()
