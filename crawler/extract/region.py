"""Region of a notice: "云南省保山市", "辽宁省沈阳市隆阳区"-style strings, "全国" for national agencies.

Place names come from the bundled division table (data/divisions.tsv). A name found in the
agency string is resolved to one division; a name shared by several divisions (朝阳区 is in
Beijing and in Changchun) is resolved only with the help of another name in the same string,
the doc number's agency, or the ``default`` region; otherwise it is dropped, never guessed.
"""
from __future__ import annotations

import re

from crawler.extract.agency import agency_from_doc_number
from crawler.extract.divisions import divisions

NATIONAL = "全国"
_NATIONAL_AGENCY = re.compile(r"^(国务院|国家|中共中央|中央|全国|中国|中华人民共和国)")
_NATIONAL_MINISTRY = re.compile(r"^[\u4e00-\u9fff]{2,10}(部|署)(办公厅)?$")


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _places(s: str) -> list[tuple[str, ...]]:
    d = divisions()
    return [d.index[m.group(0)] for m in d.pattern.finditer(s)]


def _resolve(groups: list[tuple[str, ...]], context: list[str]) -> str | None:
    """The most specific division consistent with every named place and the context."""
    anchors = [g[0] for g in groups if len(g) == 1]
    resolved: list[str] = []
    for group in groups:
        others = [a for a in anchors if not (len(group) == 1 and a == group[0])]
        fits = [c for c in group if all(_compatible(c, a) for a in others)]
        if len(fits) > 1 and context:
            fits = [c for c in fits if all(_compatible(c, x) for x in context)]
        if len(fits) == 1:
            resolved.append(fits[0])
    if not resolved:
        return None
    resolved.sort(key=len, reverse=True)
    best = resolved[0]
    if all(_compatible(best, r) for r in resolved):
        return best
    # Places in different divisions (a joint notice): what they have in common, if anything.
    common = resolved[0]
    for r in resolved[1:]:
        n = 0
        while n < min(len(common), len(r)) and common[n] == r[n]:
            n += 1
        common = common[:n]
    common = common[:4] if len(common) >= 4 else common[:2] if len(common) >= 2 else ""
    return common or None


def _format(sig: str) -> str:
    names = divisions().names
    parts = [names.get(sig[:2], "")]
    if len(sig) >= 4 and sig[:4] in names:
        parts.append(names[sig[:4]])
    if len(sig) == 6:
        parts.append(names[sig])
    return "".join(parts)


def _context_codes(text: str | None) -> list[str]:
    if not text:
        return []
    sig = _resolve(_places(text), [])
    return [sig] if sig else []


def _is_national(agency: str) -> bool:
    parts = re.split(r"[、,，\s]+", agency.strip())
    # A bare 组织部 of an unnamed city, or 国家税务总局某市税务局, is local: national bodies
    # never name a 省/市/县 (市场 is no place).
    def national(p: str) -> bool:
        local = re.search("[省市县州旗]", p.replace("市场", ""))
        if _NATIONAL_AGENCY.match(p):
            return not local
        return bool(_NATIONAL_MINISTRY.match(p)) and not local and "区" not in p

    return all(national(p) for p in parts if p)


def region_of(agency: str | None, doc_number: str | None = None, default: str | None = None) -> str | None:
    """"云南省保山市", "辽宁省沈阳市", "贵州省", a county-level "云南省保山市隆阳区", or "全国".

    The agency's own words decide first; a place named in the doc number's agency next; the
    ``default`` (usually the source's region) last, and as the tie-breaker for names that
    several divisions share.
    """
    context = _context_codes(default)
    if agency:
        groups = _places(agency)
        if groups:
            sig = _resolve(groups, context)
            if sig:
                return _format(sig)
        elif _is_national(agency):
            return NATIONAL
    if doc_number:
        named = agency_from_doc_number(doc_number, region=default)
        if named and named != agency:
            found = region_of(named, None, default=None)
            if found:
                return found
    return default
