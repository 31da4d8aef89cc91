"""Dates as Chinese pages write them: 2015-07-12, 2015/7/12, 2015.07.12, 2015年7月12日, 二〇一五年七月十二日."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

_MIN_YEAR, _MAX_YEAR = 1900, 2100

_ARABIC = re.compile(
    r"(?<![0-9])(?P<y>[12][0-9]{3})\s*(?P<s1>[-/.年])\s*(?P<m>[0-9]{1,2})\s*(?P<s2>[-/.月])\s*(?P<d>[0-9]{1,2})(?![0-9])"
)
_COMPACT = re.compile(r"^\s*(?P<y>[12][0-9]{3})(?P<m>[01][0-9])(?P<d>[0-3][0-9])\s*$")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGIT = "〇○零Ｏ一二三四五六七八九"
_CN_NUMBER = "一二三四五六七八九十"
_CHINESE = re.compile(
    rf"(?P<y>[{_CN_DIGIT}0-9]{{4}})\s*年\s*(?P<m>[{_CN_NUMBER}]{{1,3}}|[0-9]{{1,2}})\s*月"
    rf"\s*(?P<d>[{_CN_NUMBER}]{{1,3}}|[0-9]{{1,2}})\s*日"
)


def _cn_small_number(s: str) -> int | None:
    """一 … 三十一 (and Arabic digits) as an int; None for anything else."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, units = s.partition("十")
    t = _CN_DIGITS.get(tens, 0) if tens else 1
    u = _CN_DIGITS.get(units, 0) if units else 0
    if (tens and tens not in _CN_DIGITS) or (units and units not in _CN_DIGITS):
        return None
    return t * 10 + u


def _cn_year(s: str) -> int | None:
    digits = [int(c) if c.isdigit() else _CN_DIGITS.get(c) for c in s]
    if any(d is None for d in digits):
        return None
    return int("".join(map(str, digits)))


def _make(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None or not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_cn_date(s: str) -> date | None:
    """The first valid date in ``s`` (junk and a time of day around it are fine), else None."""
    if not s:
        return None
    s = unicodedata.normalize("NFKC", s)
    candidates: list[tuple[int, date | None]] = []
    for m in _ARABIC.finditer(s):
        # 2015年7-12 is no date anyone writes; a 年 must be followed by 月.
        if (m["s1"] == "年") != (m["s2"] == "月"):
            continue
        if m["s1"] in "-/." and m["s1"] != m["s2"]:
            continue
        candidates.append((m.start(), _make(int(m["y"]), int(m["m"]), int(m["d"]))))
    for m in _CHINESE.finditer(s):
        candidates.append((m.start(), _make(_cn_year(m["y"]), _cn_small_number(m["m"]), _cn_small_number(m["d"]))))
    m = _COMPACT.match(s)
    if m:
        candidates.append((m.start(), _make(int(m["y"]), int(m["m"]), int(m["d"]))))
    for _, value in sorted(candidates, key=lambda c: c[0]):
        if value is not None:
            return value
    return None
