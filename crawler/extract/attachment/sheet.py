"""Where a spreadsheet is read: XLSX from its XML parts (shared and inline strings, sheets
in workbook order), XLS (Excel 97-2003, and WPS's .et) with xlrd. One line a row, cells
tab-joined, each sheet named on a line of its own when a workbook has several."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from lxml import etree

from crawler.extract.attachment.cleaning import clean_text
from crawler.extract.attachment.limits import AttachmentError, check_unpacked_size, check_xls_cells, one_line

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


def xlsx_text(body: bytes) -> str:
    check_unpacked_size(body, "XLSX")
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
        raise AttachmentError(f"unreadable XLSX: {one_line(exc)}") from None
    return clean_text("\n".join(lines))


def _xls_cell(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return _number(repr(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return _number(repr(cell.value))
        return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat(sep=" ")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return " ".join(str(cell.value).split())
    return ""  # empty, blank, or an error code (#DIV/0!) that is no text


def xls_text(body: bytes) -> str:
    # xlrd, not catdoc's xls2csv: xls2csv 0.95 garbles the Unicode string tables office
    # suites write for Chinese text (Debian bug 878330)
    import xlrd

    check_xls_cells(body)
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, IndexError …
        raise AttachmentError(f"unreadable XLS: {one_line(exc)}") from None
    lines: list[str] = []
    try:
        names = book.sheet_names()
        for index, name in enumerate(names):
            sheet = book.sheet_by_index(index)
            rows = []
            for r in range(sheet.nrows):
                cells = [_xls_cell(cell, book.datemode) for cell in sheet.row(r)]
                if any(cells):
                    rows.append("\t".join(cells).rstrip("\t"))
            if rows and len(names) > 1:
                lines.append(name)
            lines.extend(rows)
    except Exception as exc:  # a truncated or hostile sheet stream
        raise AttachmentError(f"unreadable XLS: {one_line(exc)}") from None
    finally:
        book.release_resources()
    return clean_text("\n".join(lines))
