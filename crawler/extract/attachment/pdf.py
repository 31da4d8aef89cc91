"""Where a PDF is read: pdfminer's printed lines joined into paragraphs by where they
stand on the page, running headers, footers and page numbers dropped."""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from crawler.extract.attachment.cleaning import tidy_line, CJK_CHAR, page_furniture
from crawler.extract.attachment.limits import AttachmentError, check_pdf_streams, one_line
from crawler.extract.boilerplate import join_broken_lines


@dataclass(frozen=True)
class PrintedLine:
    """One printed line of a PDF page: its text, its left and right ends and its height
    (points)."""

    text: str
    x0: float
    x1: float
    size: float


def _printed_line(line) -> PrintedLine:
    """A layout line's text, without the spaces pdfminer guesses between two Chinese
    characters (a gap in justified text is no word break); real space glyphs stay."""
    from pdfminer.layout import LTAnno

    pieces = [(child.get_text(), isinstance(child, LTAnno)) for child in line]
    out: list[str] = []
    for i, (text, guessed) in enumerate(pieces):
        if guessed and text == " ":
            before = out[-1][-1:] if out else ""
            after = pieces[i + 1][0][:1] if i + 1 < len(pieces) else ""
            if CJK_CHAR.match(before) and CJK_CHAR.match(after):
                continue
        out.append(text)
    return PrintedLine(tidy_line("".join(out)), line.x0, line.x1, line.height)


def _collect_lines(item, out: list[PrintedLine]) -> None:
    from pdfminer.layout import LTContainer, LTTextLine

    if isinstance(item, LTTextLine):
        line = _printed_line(item)
        if line.text:
            out.append(line)
    elif isinstance(item, LTContainer):
        for child in item:
            _collect_lines(child, out)


def _most_common(values: list[float]) -> float | None:
    counts = Counter(round(v) for v in values)
    return counts.most_common(1)[0][0] if counts else None


def join_printed_lines(lines: list[PrintedLine]) -> str:
    """Paragraphs from printed lines, by where they stand: a line that runs to the text
    block's right edge goes on in the next line unless that one is indented (a new
    paragraph's first line); a shorter line ends its paragraph. Text alone cannot tell
    ("（一）完善医养签约服务。鼓励…" looks like a heading). Where no right edge shows (fewer
    than two full lines), join_broken_lines' text rules decide."""
    body = [line for line in lines if len(line.text) >= 10]
    right, left = _most_common([line.x1 for line in body]), _most_common([line.x0 for line in body])
    body_size = _most_common([line.size for line in body])

    def full(line: PrintedLine) -> bool:
        return line.x1 >= right - 0.9 * line.size

    def title(line: PrintedLine) -> bool:  # a title is set larger than the body
        return line.size > body_size * 1.15

    if right is None or left is None or sum(map(full, body)) < 2:
        return join_broken_lines("\n".join(line.text for line in lines))
    out: list[str] = []
    prev: PrintedLine | None = None
    for line in lines:
        indented = line.x0 > left + 0.5 * line.size
        # a wrapped title's next line is centred, so it looks indented
        wrapped_title = prev is not None and title(prev) and title(line) and abs(prev.size - line.size) < 0.5
        if prev is not None and full(prev) and (not indented or wrapped_title) and "\t" not in prev.text:
            out[-1] += _seam(out[-1], line.text) + line.text
        else:
            out.append(line.text)
        prev = line
    return "\n".join(out)


def _seam(before: str, after: str) -> str:
    """What joins two printed lines: nothing, or a space where a Latin word ended."""
    a, b = before[-1:], after[:1]
    latin = (a.isascii() and a.isalpha()) or (b.isascii() and b.isalpha())
    return " " if latin and a.isascii() and b.isascii() and a.isalnum() and b.isalnum() else ""


def pdf_text(body: bytes) -> str:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    check_pdf_streams(body)

    # Chinese has no spaces between words: a wide word margin keeps a justified (letter-
    # spaced) line from gaining a space between every two characters; all_texts groups
    # the text drawn inside form XObjects into lines too.
    laparams = LAParams(word_margin=0.5, char_margin=2.0, line_margin=0.5, all_texts=True)
    pages: list[list[PrintedLine]] = []
    try:
        for page in extract_pages(io.BytesIO(body), laparams=laparams):
            lines: list[PrintedLine] = []
            _collect_lines(page, lines)
            pages.append(lines)
    except Exception as exc:  # pdfminer raises a dozen unrelated types for a broken file
        raise AttachmentError(f"unreadable PDF: {one_line(exc)}") from None
    marks = page_furniture([[line.text for line in page] for page in pages])
    kept = [line for page, drop in zip(pages, marks) for line, furniture in zip(page, drop) if not furniture]
    return join_printed_lines(kept)

