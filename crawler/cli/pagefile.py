"""Reading a saved file from disk for `extract`: an HTML page as bytes, a plain-text file
wrapped as paragraphs, an attachment (PDF, DOCX, DOC, WPS, XLS, XLSX, OFD) as its bytes and
kind; anything else refused with a clear reason."""
from __future__ import annotations

import codecs
from pathlib import Path

from crawler.extract import decode_html
from crawler.extract.attachment import TEXT_KINDS, sniff_kind
from crawler.extract.plaintext import text_as_html

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
_HTML_HINTS = ("<html", "<body", "<div", "<p>", "<p ", "<table", "<meta", "<!doctype")
# UTF-16/32 text is full of NUL bytes: with a BOM it is text all the same (UTF-32 first:
# its little-endian BOM starts with UTF-16's)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

__all__ = ["NotAPageError", "read_input", "read_page_file", "text_as_html"]


class NotAPageError(ValueError):
    pass


def _read(path: str | Path) -> bytes:
    p = Path(path)
    try:
        body = p.read_bytes()
    except IsADirectoryError:
        raise NotAPageError(f"{path}: is a directory") from None
    except FileNotFoundError:
        raise NotAPageError(f"{path}: no such file") from None
    except PermissionError:
        raise NotAPageError(f"{path}: permission denied") from None
    if not body.strip():
        raise NotAPageError(f"{path}: empty file")
    return body


def _looks_html(head: str) -> bool:
    head = head.lower()
    return any(hint in head for hint in _HTML_HINTS)


def _wide_text(path: str | Path, body: bytes) -> bytes | None:
    """A UTF-16/32 file with a BOM: the page itself (decode_html reads the BOM), or the
    text wrapped as a page."""
    for bom, codec in _WIDE_BOMS:
        if body.startswith(bom):
            try:
                text = body[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise NotAPageError(f"{path}: not an HTML or text page (broken {codec.upper()})") from None
            return body if _looks_html(text[:4096]) else text_as_html(text).encode("utf-8")
    return None


def read_input(path: str | Path) -> tuple[str, bytes]:
    """(kind, bytes) of a saved file: kind "html" for a page (a text file comes back as
    minimal HTML), else the attachment kind (pdf, docx, doc, wps, xls, xlsx, ofd) whose
    reader gets the bytes."""
    body = _read(path)
    wide = _wide_text(path, body)
    if wide is not None:
        return "html", wide
    kind = sniff_kind(body, str(path))
    if kind in TEXT_KINDS:
        return kind, body
    return "html", _page_bytes(path, body)


def read_page_file(path: str | Path) -> bytes:
    """The bytes of an HTML page; a plain-text file comes back as minimal HTML."""
    body = _read(path)
    wide = _wide_text(path, body)
    return wide if wide is not None else _page_bytes(path, body)


def _page_bytes(path: str | Path, body: bytes) -> bytes:
    for magic, what in _BINARY_MAGIC.items():
        if body.startswith(magic):
            raise NotAPageError(f"{path}: not an HTML page ({what})")
    if b"\x00" in body[:4096]:
        raise NotAPageError(f"{path}: not an HTML page (binary data)")
    if _looks_html(body[:4096].decode("latin-1")):
        return body
    text, _ = decode_html(body)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise NotAPageError(f"{path}: not an HTML or text page (undecodable bytes)")
    return text_as_html(text).encode("utf-8")
