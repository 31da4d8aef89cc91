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


def declared_charset(content_type: str | None) -> str | None:
    """The charset (lower case) a Content-Type value declares, if any."""
    m = _CT_CHARSET.search(content_type or "")
    return m.group(1).lower() if m else None


def _declared_charset(declared: str) -> str:
    """Accept a bare charset or a whole Content-Type value."""
    return declared_charset(declared) or declared


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


# The most frequent characters of Chinese text (charset_normalizer's table, simplified) and
# their traditional forms: real text is made of them a third of the time, a wrong
# reading of the bytes almost never (it draws characters at random from the code table).
_FREQUENT_TRADITIONAL = (
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作"
    "裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實"
)


@lru_cache(maxsize=1)
def _frequent_hanzi() -> frozenset[str]:
    from charset_normalizer.constant import FREQUENCIES

    return frozenset(FREQUENCIES.get("Chinese", ())) | frozenset(_FREQUENT_TRADITIONAL)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
# Bytes 0x80-0xFF read as Latin-1 / windows-1252 (UTF-8 or GBK read with a Latin label):
# letters, symbols and cp1252's punctuation, in runs. Spacing characters (U+00A0, the
# &nbsp; of every metadata table) are no sign of it: they neither count nor join a run.
_LATIN_LETTER = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192]")
_LATIN_RUN = re.compile(
    r"[\u0080-\u009f\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)
# Letters and signs of the code tables' non-Chinese rows (kana, Greek, Cyrillic, pinyin,
# bopomofo, box drawing, the user-defined area GB18030 maps to private use): Big5 read as
# GBK, or GBK as Big5, turns Han into them; Chinese text hardly holds any.
_FOREIGN = re.compile(
    r"[\u0391-\u03c9\u0401-\u0451\u01cd-\u01dc\u2500-\u257f\u3040-\u30ff\u3105-\u3129\ue000-\uf8ff]"
)
_C1_CONTROL = re.compile(r"[\u0080-\u009f]")
_RARE_MIN = 3  # in a short text, this many uncommon Han characters read as garbage
_JUDGE_HAN = 6  # fewer Han characters than this cannot tell one CJK reading from another
_FLUENCY_MARGIN = 0.15


def _latin_mojibake(text: str) -> bool:
    """Latin-1 letters standing in runs (``å¥½``, ``ÉòÑô``): multibyte text read with a
    Latin label. French or German text has accented letters too, but rarely two in a row."""
    if len(_C1_CONTROL.findall(text)) >= 2:
        return True  # no real text holds C1 control characters; a Latin-1 reading does
    letters = len(_LATIN_LETTER.findall(text))
    if letters < 3:
        return False
    in_runs = sum(len(_LATIN_LETTER.findall(run)) for run in _LATIN_RUN.findall(text))
    return in_runs >= 3 and in_runs / letters > 0.5


def _broken(text: str) -> bool:
    """Replacement characters: U+FFFD, or 锟斤拷 (UTF-8's U+FFFD re-read as GBK)."""
    return text.count("\ufffd") + 3 * text.count("锟斤拷") >= 3


def _rare_han(han: list[str]) -> bool:
    """Han text made of uncommon characters (UTF-8 read as GBK: ``娌堥槼甯``, GBK read as
    Big5)."""
    common = _common_hanzi()
    if len(han) >= 12:
        return sum(ch in common for ch in han) / len(han) < 0.8
    rare = sum(ch not in common for ch in han)
    return rare >= _RARE_MIN and rare / len(han) >= 0.4


def looks_mojibake(text: str) -> bool:
    """True when text reads like bytes decoded with the wrong charset.

    It judges letters, never spacing: replacement characters (U+FFFD, 锟斤拷), Latin-1
    letters in runs, and Han text made of uncommon characters. Whitespace, NBSP, U+3000,
    full-width punctuation and emoji say nothing either way.
    """
    if not text:
        return False
    if _broken(text) or _latin_mojibake(text):
        return True
    han = _HAN.findall(text)
    foreign = len(_FOREIGN.findall(text))
    if foreign >= 2 and foreign >= 0.2 * (len(han) + foreign):
        return True
    return bool(han) and _rare_han(han)


def fluency(text: str) -> float:
    """Share of the text's distinct Han characters that are among the most frequent ones
    (0 when it has none): a fifth or more for real Chinese, a few hundredths for a wrong
    reading. Distinct ones, so that a repeated title does not weigh as much as a page."""
    han = set(_HAN.findall(text))
    if not han:
        return 0.0
    return len(han & _frequent_hanzi()) / len(han)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text lxml and every XML step accept: C0 control characters (a stray \\x08 or \\x1b
    in a heading makes lxml raise "All strings must be XML compatible") and lone
    surrogates removed; a vertical tab or form feed, a line break in pasted Word text,
    becomes a newline. Tabs, newlines and everything printable stay."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", text)


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


_CJK_CODECS = ("gb18030", "big5hkscs")


def _candidates(body: bytes, declared: str | None) -> list[str]:
    """Codecs to try, most trusted first: the HTTP charset, the page's own, then the
    Chinese family. A Latin HTTP label is usually the server's default, not the page's
    word: the page's ``<meta>`` goes before it."""
    http = codec_name(_declared_charset(declared)) if declared else None
    meta = codec_name(meta_charset(body))
    order = [http, meta] if http != "cp1252" else [meta, http]
    out: list[str] = []
    for codec in (*order, *_CJK_CODECS):
        if codec and codec != "utf-8" and codec not in out:
            out.append(codec)
    return out


def _choose(readings: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The right reading among strict ones (in trust order): the first that reads as
    text, unless another reads as far more fluent Chinese (a wrong CJK label over the
    other CJK encoding, or a Latin label over Chinese bytes). With none that reads as
    text, the one whose Han characters are most common and frequent."""
    readable = [(t, c) for t, c in readings if not looks_mojibake(t)]
    if readable:
        chosen = readable[0]
        best = fluency(chosen[0])
        for text, codec in readable[1:]:
            score = fluency(text)
            if codec in _CJK_CODECS and len(set(_HAN.findall(text))) >= _JUDGE_HAN and score >= best + _FLUENCY_MARGIN:
                chosen, best = (text, codec), score
        return chosen
    scored = []
    common = _common_hanzi()
    for rank, (text, codec) in enumerate(readings):
        if _broken(text) or _latin_mojibake(text):
            continue
        han = _HAN.findall(text)
        share = sum(ch in common for ch in han) / len(han) if han else 0.0
        scored.append((share + fluency(text), -rank, text, codec))
    if scored:
        _, _, text, codec = max(scored)
        return text, codec
    return None


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a fetched page; returns (text, codec used).

    A BOM decides. Bytes that are valid UTF-8 with multibyte sequences are UTF-8 (they
    practically never are by accident, and such pages often carry a stale gb2312
    declaration); such a page comes out exactly as written, whatever spacing, NBSP,
    punctuation, emoji or rare characters it holds. Otherwise each candidate charset
    (HTTP, ``<meta>``, GB18030, Big5) that decodes strictly is a reading, and
    :func:`_choose` picks the one that reads as text. Then charset detection, and as a
    last resort GB18030 with replacement characters.
    """
    if not body:
        return "", "utf-8"

    for bom, codec in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom):], codec)
            if text is not None:
                return text, codec
            break

    if body.isascii():
        text = body.decode("ascii")
        # any ASCII-compatible reading will do: report the one the page declared
        for label in (_declared_charset(declared) if declared else None, meta_charset(body)):
            codec = codec_name(label)
            if codec and _strict(body, codec) == text:
                return text, codec
        return text, "utf-8"

    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"

    readings = [(t, c) for c in _candidates(body, declared) if (t := _strict(body, c)) is not None]
    chosen = _choose(readings)
    if chosen is not None and not looks_mojibake(chosen[0]):
        return chosen

    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        codec = codec_name(best.encoding)
        if codec and codec != "utf-8":
            text = _strict(body, codec)
            if text is not None and not looks_mojibake(text):
                return text, codec
    if chosen is not None:
        return chosen
    return body.decode("gb18030", errors="replace"), "gb18030"
