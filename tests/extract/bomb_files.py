"""Hostile files made on the spot (nothing this size is kept in the repository): a DOCX
whose document.xml inflates to about 190 MiB from a few hundred KB, a PDF with one Flate
stream inflating to about 200 MB, HTML nested thousands deep, a page of a million links.
Each is written in pieces, so the test process never holds the inflated bytes."""
from __future__ import annotations

import io
import zipfile
import zlib

from tests.extract.office_files import docx_bytes

MIB = 1024 * 1024
_PARAGRAPH = "<w:p><w:r><w:t>各级卫生健康部门要加强老年健康服务，推进医养结合。</w:t></w:r></w:p>".encode()


def docx_bomb(inflated: int = 190 * MIB) -> bytes:
    """A DOCX python-docx would open, whose word/document.xml unpacks to ``inflated`` bytes."""
    normal = docx_bytes([("title", "关于养老服务的通知"), ("p", "正文。")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(normal)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info.filename), compresslevel=9)
                continue
            xml = src.read(info.filename)
            head, tail = xml.split(b"<w:body>", 1)
            big = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            big.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(big, "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                block = _PARAGRAPH * (MIB // len(_PARAGRAPH))
                for _ in range(inflated // len(block)):
                    member.write(block)
                member.write(tail)
    return out.getvalue()


def pdf_bomb(inflated: int = 200 * 1000 * 1000) -> bytes:
    """A one-page PDF whose content stream is one Flate stream of ``inflated`` bytes."""
    packer = zlib.compressobj(9)
    line = b"BT /F1 12 Tf 72 720 Td ( ) Tj ET\n"
    block = line * max(1, min(MIB, inflated) // len(line))
    pieces = [packer.compress(block) for _ in range(max(1, inflated // len(block)))]
    stream = b"".join(pieces) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


NOTICE_TEXT = "各级卫生健康部门要加强老年健康服务，推进医养结合，完善长期护理保险制度，提升基层医疗卫生机构服务能力。"


def deep_html(depth: int, paragraphs: int = 12) -> str:
    """A notice whose article sits ``depth`` elements deep."""
    body = "".join(f"<p>第{i}条 {NOTICE_TEXT}</p>" for i in range(paragraphs))
    return (f"<html><head><title>关于加强养老服务的通知</title></head><body>"
            f"{'<div>' * depth}<h1>关于加强养老服务的通知</h1>{body}{'</div>' * depth}</body></html>")


def link_page(links: int = 1_000_000) -> bytes:
    """A page of ``links`` links (about 48 bytes each)."""
    rows = "".join(f'<li><a href="/n/{i:07d}.html">通知{i:07d}</a></li>\n' for i in range(links))
    return f"<html><head><title>列表</title></head><body><ul>{rows}</ul></body></html>".encode()


def xls_workbook(sheets: dict[str, list[tuple[int, int, object]]]) -> bytes:
    """An Excel 97 workbook (xlwt's BIFF8, what xlrd reads) of the given (row, col, value) cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, cells in sheets.items():
        sheet = book.add_sheet(name)
        for row, col, value in cells:
            sheet.write(row, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bomb() -> bytes:
    """A 2 MB XLS whose one sheet xlrd lays out as 65,536 rows of 256 cells (16.7 million,
    about 210 MB in xlrd): a number on every row, every other one in the last column."""
    return xls_workbook({"名单": [(row, 255 if row % 2 else 0, row) for row in range(65_536)]})
