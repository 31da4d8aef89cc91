"""Office files written by hand for the tests, deterministic (fixed zip timestamps and
document properties): DOCX through python-docx, XLSX part by part (shared strings, inline
strings, merged title rows), and the line breaking the PDF and OFD writers share."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape


def advance(ch: str, size: float) -> float:
    """A glyph's advance: full width for CJK, half for Latin."""
    return size * (0.5 if ord(ch) < 0x2000 else 1.0)


def wrap(text: str, size: float, first_indent: float, width: float) -> list[tuple[float, str]]:
    """Greedy line breaking as a word processor does for Chinese: (indent, line) pairs."""
    lines, current, used, indent = [], "", 0.0, first_indent
    for ch in text:
        w = advance(ch, size)
        if current and used + w > width - indent:
            lines.append((indent, current))
            current, used, indent = "", 0.0, 0.0
        current += ch
        used += w
    if current:
        lines.append((indent, current))
    return lines


_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalized_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so a rebuild gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename), compresslevel=9)
    return out.getvalue()


def docx_bytes(blocks: list[tuple[str, object]]) -> bytes:
    """A DOCX from blocks: ("title", text), ("p", text), ("table", rows), ("merged", text)
    (a row merged across the previous table)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = "保山市医疗保障局"
    props.created = props.modified = datetime(2021, 7, 12, 9, 0, 0)
    props.revision = 1
    props.title = ""
    last_table = None
    for kind, value in blocks:
        if kind == "title":
            para = document.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(value)
            run.bold = True
            run.font.size = Pt(22)
        elif kind == "p":
            para = document.add_paragraph(value)
            if len(value) > 4:
                para.paragraph_format.first_line_indent = Pt(32)
        elif kind == "table":
            rows = value
            last_table = document.add_table(rows=len(rows), cols=len(rows[0]))
            last_table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    last_table.cell(r, c).text = text
        elif kind == "merged":
            row = last_table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = value
    out = io.BytesIO()
    document.save(out)
    return normalized_zip(out.getvalue())


def _col(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def xlsx_bytes(sheets: list[tuple[str, list[list[object]], str | None]]) -> bytes:
    """A minimal XLSX: (sheet name, rows, merged title or None). Strings go to the shared
    string table, except a merged title row, written as an inline string as some
    exporters do; numbers and booleans are typed cells."""
    shared: list[str] = []
    index: dict[str, int] = {}

    def cell(ref: str, value: object) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        if value not in index:
            index[value] = len(shared)
            shared.append(value)
        return f'<c r="{ref}" t="s"><v>{index[value]}</v></c>'

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    files: dict[str, str] = {}
    for n, (name, rows, title) in enumerate(sheets, 1):
        xml_rows, merges, r0 = [], "", 1
        if title:
            xml_rows.append(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{escape(title)}</t></is></c></row>')
            merges = f'<mergeCells count="1"><mergeCell ref="A1:{_col(len(rows[0]) - 1)}1"/></mergeCells>'
            r0 = 2
        for r, row in enumerate(rows, r0):
            cells = "".join(cell(f"{_col(c)}{r}", v) for c, v in enumerate(row))
            xml_rows.append(f'<row r="{r}">{cells}</row>')
        files[f"xl/worksheets/sheet{n}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns} {rns}>'
            f'<sheetData>{"".join(xml_rows)}</sheetData>{merges}</worksheet>'
        )
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    files["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst {ns} count="{len(shared)}" uniqueCount="{len(shared)}">{sst}</sst>'
    )
    sheet_list = "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, (name, _, _) in enumerate(sheets, 1))
    files["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} {rns}><sheets>{sheet_list}</sheets></workbook>'
    )
    rel_ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = "".join(f'<Relationship Id="rId{n}" Type="{office}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
    rels += f'<Relationship Id="rId{len(sheets) + 1}" Type="{office}/sharedStrings" Target="sharedStrings.xml"/>'
    files["xl/_rels/workbook.xml.rels"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships {rel_ns}>{rels}</Relationships>'
    files["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships {rel_ns}>'
        f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct}.worksheet+xml"/>' for n in range(1, len(sheets) + 1))
    files["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/sharedStrings.xml", *sorted(n for n in files if n.startswith("xl/worksheets/"))]:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name].encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()
