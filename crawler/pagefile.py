"""Reading a saved page from disk for `extract`: HTML as bytes, plain text wrapped as
paragraphs, anything binary refused with a clear reason."""
from __future__ import annotations

import html
from pathlib import Path

from crawler.extract import decode_html

_BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP/Office file",
    b"\xd0\xcf\x11\xe0": "an old Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
_HTML_HINTS = (b"<html", b"<body", b"<div", b"<p>", b"<p ", b"<table", b"<meta", b"<!doctype")


class NotAPageError(ValueError):
    pass


def read_page_file(path: str | Path) -> bytes:
    """The bytes of an HTML page; a plain-text file comes back as minimal HTML."""
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
    for magic, what in _BINARY_MAGIC.items():
        if body.startswith(magic):
            raise NotAPageError(f"{path}: not an HTML page ({what})")
    if b"\x00" in body[:4096]:
        raise NotAPageError(f"{path}: not an HTML page (binary data)")
    head = body[:4096].lower()
    if any(hint in head for hint in _HTML_HINTS):
        return body
    text, _ = decode_html(body)
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise NotAPageError(f"{path}: not an HTML or text page (undecodable bytes)")
    return text_as_html(text).encode("utf-8")


def text_as_html(text: str) -> str:
    """A plain-text page as a bare HTML document, one paragraph per line."""
    lines = [line.strip() for line in text.splitlines()]
    title = next((line for line in lines if line), "")
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>\n{paragraphs}\n</body></html>"
    )
