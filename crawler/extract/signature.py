"""落款: the agency line(s) and date line that close a notice's letter part."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from crawler.extract.agency import clean_agency
from crawler.extract.dates import parse_cn_date
from crawler.extract.patterns import ADDRESSEE_LINE


@dataclass(frozen=True)
class Signature:
    agency: str | None  # joint notices: agencies joined with '、'
    signed: date | None
    start: int  # offset of the block's first line in the text


_SP = "[ \t\u3000\xa0]"
_CN = "〇○零Ｏ一二三四五六七八九十"
# Signatures are written 年月日 (Arabic or Chinese numerals); a bare 2015-07-12 line is far
# more often a publishing date in a page header.
_D = "0-9０-９"
_DATE = (
    rf"(?:[12１２][{_D}]{{3}}|[{_CN}]{{4}}){_SP}*年{_SP}*(?:[{_D}]{{1,2}}|[{_CN}]{{1,3}}){_SP}*月"
    rf"{_SP}*(?:[{_D}]{{1,2}}|[{_CN}]{{1,3}}){_SP}*日"
)
# what a page may set after the signing date on its line: （此件公开发布）, （此件主动公开）
_RELEASE_NOTE = rf"[（(]{_SP}*此件[^()（）\n]{{0,10}}[)）]"
_DATE_LINE = re.compile(rf"^{_SP}*(?P<date>{_DATE}){_SP}*(?:{_RELEASE_NOTE}{_SP}*)?$")
# the agency and its date on one line, with blanks between or none (沈阳市医疗保障局2024年1月30日)
_AGENCY_AND_DATE = re.compile(rf"^{_SP}*(?P<agency>\S.*?){_SP}*(?P<date>{_DATE}){_SP}*(?:{_RELEASE_NOTE}{_SP}*)?$")
# a line between the agency and the date that is neither: a seal's place, a release note
_SEAL_LINE = re.compile(rf"^{_SP}*(?:[（(]?{_SP}*(?:印章|盖章|章)?{_SP}*[)）]?|{_RELEASE_NOTE}){_SP}*$")
# A date written 2024-01-30 under an agency line signs the letter only at the text's end:
# higher up, that pair is a page header (site name, publishing date).
_ISO_DATE_LINE = re.compile(rf"^{_SP}*(?P<date>[12][0-9]{{3}}[-/.][0-9]{{1,2}}[-/.][0-9]{{1,2}}){_SP}*$")
_ISO_TAIL_LINES = 4
_MAX_AGENCY_LINES = 8
_MAX_BLANKS = 2


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _agency_block(lines: list[tuple[int, str]], i: int) -> tuple[list[str], int] | None:
    """Agency lines directly above line ``i`` (blank and seal lines may sit between)."""
    agencies: list[str] = []
    start = -1
    blanks = 0
    j = i - 1
    while j >= 0 and len(agencies) < _MAX_AGENCY_LINES:
        line = lines[j][1]
        if not line.strip() or _SEAL_LINE.match(line):
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            j -= 1
            continue
        name = clean_agency(line)
        if not name:
            break
        agencies.insert(0, name)
        start = lines[j][0] + (len(line) - len(line.lstrip()))
        blanks = 0
        j -= 1
    return (agencies, start) if agencies else None


def find_signature(text: str) -> Signature | None:
    """The first agency block followed by a 年月日 date line (the letter's signature).

    Only lines after the addressee line (各…：), when there is one, are read. Later blocks
    (inside an attached plan) are ignored; dates inside sentences never count.
    Without any agency block, a date line right after a paragraph that ends the letter
    (…。) is taken as a signature with no agency.
    """
    if not text:
        return None
    addressee = ADDRESSEE_LINE.search(text)  # a signature comes after the addressee
    # A site header above the letter ("保山市人民政府" / a date) is no signature.
    lines = [(p, ln) for p, ln in _lines(text) if not addressee or p > addressee.start()]
    for i, (pos, line) in enumerate(lines):
        m = _DATE_LINE.match(line)
        if m:
            block = _agency_block(lines, i)
            if block:
                agencies, start = block
                return Signature("、".join(agencies), parse_cn_date(m["date"]), start)
            continue
        m = _AGENCY_AND_DATE.match(line)
        if m:
            name = clean_agency(m["agency"])
            if name:
                above = _agency_block(lines, i)
                names = (above[0] if above else []) + [name]
                start = above[1] if above else pos + (len(line) - len(line.lstrip()))
                return Signature("、".join(names), parse_cn_date(m["date"]), start)
    signed = [i for i, (_, line) in enumerate(lines) if line.strip()][-_ISO_TAIL_LINES:]
    for i in signed:
        pos, line = lines[i]
        m = _ISO_DATE_LINE.match(line)
        block = _agency_block(lines, i) if m else None
        if block:
            return Signature("、".join(block[0]), parse_cn_date(m["date"]), block[1])
    for i, (pos, line) in enumerate(lines):
        m = _DATE_LINE.match(line)
        if not m:
            continue
        prev = next((ln for _, ln in reversed(lines[:i]) if ln.strip()), "")
        if prev.rstrip().endswith(("。", "！")):
            return Signature(None, parse_cn_date(m["date"]), pos + (len(line) - len(line.lstrip())))
    return None


# Laws, regulations and a congress's decisions carry no 落款: the line under the title
# says who adopted them and when, "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次
# 会议通过）". Later amendments follow in the same brackets; the first date is the adoption.
_ORDINAL = "一二三四五六七八九十百零〇0-9０-９"
_ADOPTION_LINE = re.compile(
    rf"^{_SP}*[（(]{_SP}*(?P<date>{_DATE}){_SP}*[，,]?{_SP}*(?P<body>[^（()）]{{2,60}}?)"
    rf"{_SP}*(?:第[{_ORDINAL}]+次)?{_SP}*(?:全体|常务|全委)?会议{_SP}*(?:审议)?通过"
)
_TERM = re.compile(rf"第[{_ORDINAL}]+届")
_ADOPTION_LINES = 8


def find_adoption(text: str) -> Signature | None:
    """Who adopted a law or decision and when, from its "（…会议通过）" line near the top."""
    lines = _lines(text)[:_ADOPTION_LINES]
    for pos, line in lines:
        stripped = line.strip(" \t\u3000\xa0")
        if not stripped.endswith((")", "）")):
            continue
        m = _ADOPTION_LINE.match(line)
        if not m:
            continue
        body = _TERM.sub("", m["body"]).strip(" \t\u3000\xa0")
        return Signature(clean_agency(body), parse_cn_date(m["date"]), pos + (len(line) - len(line.lstrip())))
    return None
