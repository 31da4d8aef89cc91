"""Turn a page's raw bytes into text, right, before anything else reads it.

Chinese sites declare charsets they do not use (a ``<meta charset=gb2312>`` over UTF-8
bytes, an HTTP ``ISO-8859-1`` default over GBK), so every declaration is only a
candidate: it is used when it decodes strictly and the result does not read as mojibake.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

import charset_normalizer

# GB2312 is a subset of GBK, GBK of GB18030: reading all of them as GB18030 keeps the
# characters a page labelled gb2312 uses anyway (镕, 堃, 昇 …) instead of failing on them.
_GB_FAMILY = {
    "gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
    "euc-cn", "x-euc-cn", "csgb2312", "csgb231280", "chinese", "iso-ir-58", "gb18030",
}
# Browsers read these labels as windows-1252 (WHATWG); servers send them by default.
_LATIN_ALIASES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_SNIFF_BYTES = 16384

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def codec_name(label: str | None) -> str | None:
    """The Python codec we decode a charset label with, or None for an unusable label."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in _LATIN_ALIASES:
        return "cp1252"
    if label in ("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"):
        return "big5hkscs"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("gbk", "gb2312"):
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")):
        # Without a BOM (handled first) these labels are lies: the declaration itself
        # was readable as ASCII.
        return None
    return name


def _declared_charset(declared: str) -> str:
    """Accept a bare charset or a whole Content-Type value."""
    m = _CT_CHARSET.search(declared)
    return m.group(1) if m else declared


def meta_charset(body: bytes) -> str | None:
    """The charset named by the page itself (``<meta>`` or an XML declaration)."""
    head = body[:_SNIFF_BYTES]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """Characters real Chinese text is made of, mojibake mostly is not.

    GB2312 level 1 (the 3755 most used simplified characters) plus Big5 level 1 (the
    5401 most used traditional ones), generated from the codecs: no word list to ship.
    """
    chars: set[str] = set()
    for b1 in range(0xB0, 0xD8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes((b1, b2)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for b1 in range(0xA4, 0xC7):
        for b2 in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                chars.add(bytes((b1, b2)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HIGH_LATIN = re.compile(r"[\u0080-\u00ff]")
_HIGH_LATIN_RUN = re.compile(r"[\u0080-\u00ff]{2,}")
_RARE_MIN = 3  # in a short text, this many uncommon Han characters read as garbage


def looks_mojibake(text: str) -> bool:
    """True when text reads like bytes decoded with the wrong charset.

    Signs: 锟斤拷 (UTF-8 replacement characters re-read as GBK), U+FFFD, runs of
    Latin-1 letters (UTF-8 or GBK read as Latin-1: ``å¥½``, ``ÉòÑô``), and Han text made
    of uncommon characters (UTF-8 read as GBK: ``娌堥槼甯``).
    """
    if not text:
        return False
    bad = text.count("\ufffd") + 3 * text.count("锟斤拷")
    if bad >= 3:
        return True

    high = _HIGH_LATIN.findall(text)
    if len(high) >= 6:
        in_runs = sum(len(run) for run in _HIGH_LATIN_RUN.findall(text))
        # French or German text has accented letters too, but rarely two in a row.
        if in_runs / len(high) > 0.5:
            return True

    common = _common_hanzi()
    han = _HAN.findall(text)
    if len(han) >= 12:
        share = sum(ch in common for ch in han) / len(han)
        if share < 0.8:
            return True
    elif han:
        rare = sum(ch not in common for ch in han)
        if rare >= _RARE_MIN and rare / len(han) >= 0.4:
            return True
    return False


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a fetched page; returns (text, codec used).

    Order: BOM; UTF-8 when the bytes are valid UTF-8 with multibyte sequences (they
    practically never are by accident, and such pages often carry a stale gb2312
    declaration); the HTTP-declared charset; the page's own ``<meta>`` charset; each
    only when it decodes strictly and the text is not mojibake. Then charset
    detection, and as a last resort GB18030 with replacement characters.
    """
    if not body:
        return "", "utf-8"

    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom):], codec)
            if text is not None and not looks_mojibake(text):
                return text, codec
            break

    candidates: list[str] = []
    if not body.isascii():
        candidates.append("utf-8")
    for label in (_declared_charset(declared) if declared else None, meta_charset(body)):
        codec = codec_name(label)
        if codec and codec not in candidates:
            candidates.append(codec)
    if body.isascii():
        candidates.append("utf-8")  # nothing declared: any ASCII-compatible reading will do

    for codec in candidates:
        text = _strict(body, codec)
        if text is not None and not looks_mojibake(text):
            return text, codec

    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        codec = codec_name(best.encoding)
        if codec:
            text = _strict(body, codec)
            if text is not None and not looks_mojibake(text):
                return text, codec

    return body.decode("gb18030", errors="replace"), "gb18030"
