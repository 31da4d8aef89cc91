"""What an attachment's bytes are, whatever its URL or Content-Type says."""
from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote, urlsplit

from crawler.extract.attachment.kinds import LINK_EXTENSIONS, SNIFFED_KINDS, kind_of_extension

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE2 directory entries hold stream names in UTF-16LE; these say what the file carries
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")  # a scan is no text
_EXTENSION = re.compile(r"\.(" + "|".join((*LINK_EXTENSIONS, "html?", "shtml")) + r")(?=$|[?&#;])", re.I)
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
            return kind_of_extension(ext)
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
    if ext in SNIFFED_KINDS and ext not in ("html",):
        return ext
    return "other"

