"""Where an OFD file is read (GB/T 33190, the national format for official e-documents:
a zip of XML parts, OFD.xml → Doc_N/Document.xml → Pages/Page_N/Content.xml, text in
TextObject/TextCode elements).

ofdkit resolves the parts, templates, transforms and glyph positions (DeltaX) into text
runs placed on the page; the runs become printed lines here, and the lines paragraphs by
the same rules as a PDF's (page furniture dropped, a line that runs to the right edge
goes on in the next), so an OFD and a PDF of one notice read alike.
"""
from __future__ import annotations

from crawler.extract.attachment.cleaning import CJK_CHAR, page_furniture, tidy_line
from crawler.extract.attachment.limits import AttachmentError, check_unpacked_size, one_line
from crawler.extract.attachment.pdf import PrintedLine, join_printed_lines

_SAME_LINE = 0.5  # baselines closer than this share of the type size are one line
_WORD_GAP = 0.25  # a gap this wide (share of the size) between Latin runs is a space


def _printed_lines(runs) -> list[PrintedLine]:
    """Runs grouped into lines by baseline, each line read left to right; a run drawn
    again a hair beside itself (fake bold) counts once."""
    lines: list[list] = []
    for run in sorted((r for r in runs if r.text.strip()), key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) < _SAME_LINE * max(run.size, 1.0):
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        kept: list = []
        for run in sorted(line, key=lambda r: r.x):
            if not any(k.text == run.text and abs(k.x - run.x) < _SAME_LINE * max(run.size, 1.0) for k in kept):
                kept.append(run)
        text = kept[0].text
        for prev, run in zip(kept, kept[1:]):
            gap = run.x - (prev.x + prev.width)
            latin = not CJK_CHAR.match(text[-1:]) and not CJK_CHAR.match(run.text[:1])
            text += (" " if latin and gap > _WORD_GAP * max(run.size, 1.0) else "") + run.text
        text = tidy_line(text)
        if text:
            size = max(r.size for r in kept)
            out.append(PrintedLine(text, kept[0].x, max(r.x + r.width for r in kept), size))
    return out


def ofd_text(body: bytes) -> str:
    check_unpacked_size(body, "OFD")
    import ofdkit

    pages: list[list[PrintedLine]] = []
    try:
        with ofdkit.open(body) as document:
            for page in document.pages:
                pages.append(_printed_lines(page.runs))
    except (ofdkit.OFDError, ValueError, KeyError, OSError, SyntaxError) as exc:
        # SyntaxError: ElementTree's ParseError for a broken XML part
        raise AttachmentError(f"unreadable OFD: {one_line(exc)}") from None
    marks = page_furniture([[line.text for line in page] for page in pages])
    kept = [line for page, drop in zip(pages, marks) for line, furniture in zip(page, drop) if not furniture]
    return join_printed_lines(kept)
