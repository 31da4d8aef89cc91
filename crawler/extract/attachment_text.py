"""The text of a notice's attachment (附件): PDF, DOCX, DOC/WPS, XLSX/XLS. Bytes in, text out.

When a notice's page body is two lines, the attachment IS the document, so its text is
read here, cleaned the way page text is: one paragraph per line, NFC, no page furniture.

Errors, one rule: a kind nobody can read as text (OFD, images, archives, an HTML page
that is not an Office export) gives ``""``; a file of a readable kind that cannot be read
(corrupt, encrypted, a tool that fails, times out or is not installed) raises
:class:`AttachmentError` with a one-line reason, so the caller can record why.

DOC and WPS go through Debian's command-line tools: ``antiword`` first, ``catdoc``
when antiword gives up (antiword refuses small and fast-saved files; catdoc reads them
but loses the text of some LibreOffice-written files). XLS goes through catdoc's
``xls2csv``. Tools get the bytes in a private temporary file, an argument list (never a
shell) and a time limit.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from crawler.extract.boilerplate import join_broken_lines

__all__ = [
    "AttachmentError", "KINDS", "MAX_UNPACKED", "PrintedLine", "TOOL_TIMEOUT", "attachment_text", "clean_text",
    "join_printed_lines", "page_furniture", "sniff_kind",
]

KINDS = ("pdf", "docx", "doc", "wps", "xlsx", "xls", "ofd", "zip", "html", "other")
TOOL_TIMEOUT = 30  # seconds; a hostile or huge .doc must not hang a crawl
MAX_UNPACKED = 200 * 1024 * 1024  # bytes a DOCX/XLSX may unpack to: a zip bomb is no notice


class AttachmentError(ValueError):
    """A file of a readable kind whose text could not be read; the message is one line."""


# --- what the bytes are ---------------------------------------------------------------------
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE2 directory entries hold stream names in UTF-16LE; these say what the file carries
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")  # a scan is no text
_EXTENSION = re.compile(r"\.(pdf|docx|doc|wps|xlsx|xls|et|ofd|zip|rar|7z|html?|shtml)(?=$|[?&#;])", re.I)
_EXT_KIND = {"et": "xls", "rar": "zip", "7z": "zip", "htm": "html", "shtml": "html"}
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)


def _extension_kind(name_or_url: str | None) -> str | None:
    """The kind a file name or URL names, from its path or a file named in its query."""
    if not name_or_url:
        return None
    parts = urlsplit(name_or_url)
    for piece in (unquote(parts.path), unquote(parts.query), unquote(name_or_url)):
        found = _EXTENSION.findall(piece)
        if found:
            ext = found[-1].lower()
            return _EXT_KIND.get(ext, ext)
    return None


def _zip_kind(body: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    lowered = [n.lower() for n in names]
    if "[content_types].xml" in lowered:
        if any(n.startswith("word/") for n in lowered):
            return "docx"
        if any(n.startswith("xl/") for n in lowered):
            return "xlsx"
        return "other"  # pptx and the like: not a notice's text
    if "ofd.xml" in lowered:
        return "ofd"
    return "zip"


def sniff_kind(body: bytes, name_or_url: str | None = None) -> str:
    """What an attachment is: pdf | docx | doc | wps | xlsx | xls | ofd | zip | html | other.

    The bytes decide first (servers send everything as application/octet-stream, and a
    ``.doc`` is often a DOCX, an HTML export or an error page); the file name or URL
    decides only when the bytes say nothing, and for WPS files that are Word inside.
    """
    ext = _extension_kind(name_or_url)
    head = body[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        kind = _zip_kind(body)
        if kind is None:  # a truncated container: its name is the best guess
            return ext if ext in ("docx", "xlsx", "ofd") else "zip"
        return kind
    if body.startswith(_OLE_MAGIC):
        if _OLE_WORD in body:
            return "wps" if ext == "wps" else "doc"
        if any(marker in body for marker in _OLE_EXCEL):
            return "xls"
        return ext if ext in ("doc", "wps", "xls") else "other"
    if body.startswith(_ARCHIVE_MAGIC):
        return "zip"
    if body.startswith(_IMAGE_MAGIC):
        return "other"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    if ext in KINDS and ext not in ("html",):
        return ext
    return "other"


# --- cleaning ---------------------------------------------------------------------------------
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
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


def _tidy_line(line: str) -> str:
    line = _CID.sub("", unicodedata.normalize("NFC", line))
    # tabs separate table cells; any other run of blanks becomes one space
    return "\t".join(_SPACES.sub(" ", cell).strip() for cell in line.split("\t")).strip()


def clean_text(text: str) -> str:
    """NFC, one paragraph (or table row, cells tab-joined) per line, no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return "\n".join(line for line in map(_tidy_line, text.split("\n")) if line)


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


# --- readers -----------------------------------------------------------------------------------
def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


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
            if _CJK_CHAR.match(before) and _CJK_CHAR.match(after):
                continue
        out.append(text)
    return PrintedLine(_tidy_line("".join(out)), line.x0, line.x1, line.height)


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


def _pdf_text(body: bytes) -> str:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

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
        raise AttachmentError(f"unreadable PDF: {_one_line(exc)}") from None
    marks = page_furniture([[line.text for line in page] for page in pages])
    kept = [line for page, drop in zip(pages, marks) for line, furniture in zip(page, drop) if not furniture]
    return join_printed_lines(kept)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_unpacked_size(body: bytes, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise AttachmentError(f"unreadable {kind}: {_one_line(exc)}") from None
    if total > MAX_UNPACKED:
        raise AttachmentError(f"unreadable {kind}: unpacks to {total // 2**20} MiB")


def _docx_text(body: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_unpacked_size(body, "DOCX")
    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx: BadZipFile, KeyError, PackageNotFoundError, lxml errors
        raise AttachmentError(f"unreadable DOCX: {_one_line(exc)}") from None

    lines: list[str] = []

    def table_rows(table: Table) -> None:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell comes back once per grid column
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(cell.text.split()))
            if any(cells):
                lines.append("\t".join(cells).rstrip("\t"))

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == f"{_W}p":
                lines.extend(Paragraph(child, document).text.split("\n"))
            elif child.tag == f"{_W}tbl":
                table_rows(Table(child, document))
            elif child.tag == f"{_W}sdt":  # content controls wrap paragraphs and tables
                for content in child.iterchildren(f"{_W}sdtContent"):
                    walk(content)

    walk(document.element.body)
    return clean_text("\n".join(lines))


def _run_tool(args: list[str], body: bytes, suffix: str) -> tuple[int, str, str]:
    """Run a converter on the bytes in a private temporary file: (returncode, stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="attachment-") as tmp:
        path = Path(tmp) / f"attachment{suffix}"
        path.write_bytes(body)
        try:
            done = subprocess.run(
                [*args, str(path)], capture_output=True, timeout=TOOL_TIMEOUT, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise AttachmentError(f"{args[0]} took longer than {TOOL_TIMEOUT} s") from None
        except OSError as exc:
            raise AttachmentError(f"{args[0]} could not run: {_one_line(exc)}") from None
    out = done.stdout.decode("utf-8", "replace")
    err = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
    return done.returncode, out, err


def _has_text(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_TOOL_NOTE = re.compile(r"^\[(pic|This was fast-saved.*|.*information is lost.*)\]$", re.I)


def _word_lines(out: str) -> str:
    """antiword's and catdoc's output as clean lines: antiword draws a table row as
    ``|cell   |cell   |``, catdoc ends a cell with BEL; both become tab-joined cells."""
    lines = []
    for line in out.replace("\x07", "\t").split("\n"):
        stripped = line.strip()
        if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
            line = "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))
        if not _TOOL_NOTE.match(stripped):
            lines.append(line)
    return clean_text("\n".join(lines))


def _word_text(body: bytes) -> str:
    from crawler.extract.decode import looks_mojibake

    tools = [
        # -w 0: a paragraph per line, no wrapping; UTF-8.txt keeps Chinese as Chinese
        ("antiword", ["antiword", "-m", "UTF-8.txt", "-w", "0"]),
        # -w: wide mode, a paragraph per line
        ("catdoc", ["catdoc", "-d", "utf-8", "-w"]),
    ]
    failures = []
    for name, args in tools:
        if shutil.which(name) is None:
            failures.append(f"{name} not installed")
            continue
        code, out, err = _run_tool(args, body, ".doc")
        if code == 0 and _has_text(out) and not looks_mojibake(out):
            return _word_lines(out)
        if code == 0 and _has_text(out):
            err = "garbled text"
        failures.append(f"{name}: {err or f'exit {code}, no text'}")
    raise AttachmentError("unreadable Word file: " + "; ".join(failures))


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _column(ref: str | None, fallback: int) -> int:
    m = _CELL_REF.match(ref or "")
    if not m:
        return fallback
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def _string_item(si: etree._Element) -> str:
    # rich text runs (r/t) join; phonetic guides (rPh) are not the cell's text
    return "".join(t.text or "" for t in si.iter(f"{_S}t") if t.getparent().tag != f"{_S}rPh")


def _number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(number, ".15g")


def _sheet_rows(root: etree._Element, shared: list[str]) -> list[str]:
    rows = []
    for row in root.iter(f"{_S}row"):
        cells: dict[int, str] = {}
        for i, c in enumerate(row.iter(f"{_S}c")):
            kind = c.get("t", "n")
            v = c.find(f"{_S}v")
            value = v.text if v is not None and v.text is not None else ""
            if kind == "s":
                value = shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
            elif kind == "inlineStr":
                is_ = c.find(f"{_S}is")
                value = _string_item(is_) if is_ is not None else ""
            elif kind == "b":
                value = "TRUE" if value == "1" else "FALSE" if value == "0" else value
            elif kind == "n":
                value = _number(value)
            cells[_column(c.get("r"), i)] = " ".join(value.split())
        if any(cells.values()):
            width = max(cells) + 1
            rows.append("\t".join(cells.get(k, "") for k in range(width)).rstrip("\t"))
    return rows


def _xlsx_text(body: bytes) -> str:
    _check_unpacked_size(body, "XLSX")
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = set(zf.namelist())

            # no entities, no network (a hostile file); a parser of its own (lxml parsers
            # are not thread-safe)
            parser = etree.XMLParser(resolve_entities=False, no_network=True)

            def xml(name: str) -> etree._Element:
                return etree.fromstring(zf.read(name), parser)

            shared = []
            if "xl/sharedStrings.xml" in names:
                shared = [_string_item(si) for si in xml("xl/sharedStrings.xml").iter(f"{_S}si")]
            targets = {}
            if "xl/_rels/workbook.xml.rels" in names:
                for rel in xml("xl/_rels/workbook.xml.rels").iter(f"{_PKG_REL}Relationship"):
                    target = rel.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    targets[rel.get("Id")] = target
            sheets = [
                (sheet.get("name") or "", targets.get(sheet.get(f"{_R}id"), ""))
                for sheet in xml("xl/workbook.xml").iter(f"{_S}sheet")
            ]
            lines: list[str] = []
            for name, path in sheets:
                if path not in names:
                    continue
                rows = _sheet_rows(xml(path), shared)
                if rows and len(sheets) > 1:
                    lines.append(name)
                lines.extend(rows)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise AttachmentError(f"unreadable XLSX: {_one_line(exc)}") from None
    return clean_text("\n".join(lines))


def _xls_text(body: bytes) -> str:
    if shutil.which("xls2csv") is None:
        raise AttachmentError("unreadable XLS: xls2csv (catdoc) not installed")
    # -q 0: no quoting; -c TAB: cells tab-separated, like the XLSX reader's rows
    code, out, err = _run_tool(["xls2csv", "-d", "utf-8", "-q", "0", "-c", "\t"], body, ".xls")
    if code != 0:
        raise AttachmentError(f"unreadable XLS: xls2csv: {err or f'exit {code}'}")
    from crawler.extract.decode import looks_mojibake

    if looks_mojibake(out):
        # catdoc 0.95 misreads some Unicode string tables (Debian bug 878330): no text
        # beats wrong text in the archive
        raise AttachmentError("unreadable XLS: xls2csv garbled the text")
    rows = ["\t".join(cell.strip() for cell in line.split("\t")).rstrip("\t") for line in out.split("\n")]
    return clean_text("\n".join(rows))


# Word's "save as web page" files are served as .doc; a login or error page is not a document
_OFFICE_HTML = re.compile(
    rb"urn:schemas-microsoft-com:office:(word|excel)"
    rb"|<meta\s+name=\"?(ProgId|Generator)\"?\s+content=\"?(Word|Excel|Microsoft)",
    re.I,
)


def _html_text(body: bytes) -> str:
    if not _OFFICE_HTML.search(body[:20000]):
        return ""
    from lxml import html as lxml_html

    from crawler.extract.decode import decode_html

    text, _ = decode_html(body, None)
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise AttachmentError(f"unreadable Office HTML: {_one_line(exc)}") from None
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr"):
        if el.tag == "tr":
            blocks.append("\t".join(_inline(td.text_content()) for td in el.iter("td", "th")))
        elif not any(a.tag in ("td", "th") for a in el.iterancestors()):
            blocks.append(_inline(el.text_content()))
    return clean_text("\n".join(blocks))


def _inline(text: str) -> str:
    """An HTML block's text on one line: the source's line wraps become a space, or
    nothing between two Chinese characters (as a browser shows them)."""
    words = text.split()
    out = words[:1]
    for word in words[1:]:
        out.append(word if _CJK_CHAR.match(out[-1][-1:]) and _CJK_CHAR.match(word[:1]) else " " + word)
    return "".join(out)


_READERS = {
    "pdf": _pdf_text,
    "docx": _docx_text,
    "doc": _word_text,
    "wps": _word_text,
    "xlsx": _xlsx_text,
    "xls": _xls_text,
    "html": _html_text,
}


def attachment_text(body: bytes, kind: str | None = None, name: str | None = None) -> str:
    """The clean text of an attachment file: one paragraph per line, table rows as
    tab-joined cells.

    ``kind`` is what :func:`sniff_kind` says (sniffed from ``body`` and ``name`` when
    None); bytes that clearly are another readable kind win over it. Returns ``""`` for
    kinds with no readable text (OFD, images, archives) and for files that hold no text
    (a scanned PDF); raises :class:`AttachmentError` when a readable kind cannot be read.
    """
    if not body:
        raise AttachmentError("empty file")
    sniffed = sniff_kind(body)  # the bytes alone
    if sniffed in _READERS and sniffed != kind and not (kind in ("doc", "wps") and sniffed in ("doc", "wps")):
        kind = sniffed
    elif kind is None:
        kind = sniff_kind(body, name)
    reader = _READERS.get(kind)
    return reader(body) if reader else ""
