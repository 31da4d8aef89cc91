"""The bundled division table (data/divisions.tsv): codes, names and the short names by
which agencies write them.

Its own module so that agency.py (which reads prefecture cities) and region.py (which asks
agency.py for a doc number's agency) both import it without importing each other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "divisions.tsv"

_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_ETHNIC = (
    "蒙古", "藏族", "回族", "维吾尔", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "侗族", "瑶族", "白族",
    "土家族", "哈尼族", "哈萨克", "傣族", "傈僳族", "景颇族", "柯尔克孜", "羌族",
)
# County names that are also ordinary words in agency names.
_GENERIC_COUNTY_NAMES = {"城区", "郊区", "矿区", "西区"}


@dataclass(frozen=True)
class _Divisions:
    names: dict[str, str]  # significant code (2, 4 or 6 digits) → name
    index: dict[str, tuple[str, ...]]  # name or short name → significant codes
    pattern: re.Pattern[str]


def _significant(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def _short_prefecture(name: str) -> str | None:
    if name.endswith("自治州"):
        cut = min((i for i in (name.find(e) for e in _ETHNIC) if i > 0), default=-1)
        return name[:cut] if cut >= 2 else None
    for suffix in ("地区", "盟", "市"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def divisions() -> _Divisions:
    names: dict[str, str] = {}
    index: dict[str, list[str]] = {}
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, name = line.split("\t")
        sig = _significant(code)
        names[sig] = name
        keys = [name]
        if len(sig) == 2:
            short = _PROVINCE_SUFFIX.sub("", name)
            if len(short) >= 2:
                keys.append(short)
        elif len(sig) == 4:
            short = _short_prefecture(name)
            if short:
                keys.append(short)
        elif name in _GENERIC_COUNTY_NAMES:
            continue
        for key in keys:
            index.setdefault(key, []).append(sig)
    frozen = {k: tuple(dict.fromkeys(v)) for k, v in index.items()}
    alternation = "|".join(map(re.escape, sorted(frozen, key=len, reverse=True)))
    return _Divisions(names=names, index=frozen, pattern=re.compile(alternation))


def prefecture_cities() -> list[tuple[str, str]]:
    """(prefecture-level division, its province) for every prefecture in the table."""
    d = divisions()
    return [(name, d.names.get(sig[:2], "")) for sig, name in d.names.items() if len(sig) == 4]
