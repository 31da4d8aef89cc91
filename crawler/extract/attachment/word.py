"""Where a Word file is read: DOCX with python-docx (paragraphs and table rows in
document order), DOC and WPS with Debian's command-line tools: ``antiword`` first,
``catdoc`` when antiword gives up (antiword refuses small and fast-saved files; catdoc
reads them but loses the text of some LibreOffice-written files)."""
from __future__ import annotations

import io
import re
import shutil

from crawler.extract.attachment.cleaning import clean_text
from crawler.extract.attachment.limits import AttachmentError, check_unpacked_size, has_text, one_line, run_tool

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(body: bytes) -> str:
    check_unpacked_size(body, "DOCX")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx: BadZipFile, KeyError, PackageNotFoundError, lxml errors
        raise AttachmentError(f"unreadable DOCX: {one_line(exc)}") from None

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


def doc_text(body: bytes) -> str:
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
        code, out, err = run_tool(args, body, ".doc")
        if code == 0 and has_text(out) and not looks_mojibake(out):
            return _word_lines(out)
        if code == 0 and has_text(out):
            err = "garbled text"
        failures.append(f"{name}: {err or f'exit {code}, no text'}")
    raise AttachmentError("unreadable Word file: " + "; ".join(failures))
