"""The parts of the eval report that describe the corpus and sort our misses: the corpus
counts issue 19 names (pages, sites, health publishers, pages with a 信息公开 table, per
split) and, on ``dev`` only, how many misses fall in each failure class.

A class is decided from the gold value and our output alone (never from a page's name or
site), so the same line counts the same kind of miss on any page.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

# the publishers this service exists for: health, civil affairs, medical insurance, TCM,
# ageing. Whole words of an issuer's name, never bare 民政 (it is inside 人民政府).
HEALTH_MARKS = (
    "卫生健康", "卫健", "卫生计生", "卫生和计划生育", "卫生局", "卫生厅", "卫生部",
    "民政部", "民政厅", "民政局", "医疗保障", "医保局", "中医药", "老龄",
)


def _agency_text(entry: Mapping) -> str:
    agency = entry.get("agency") or ""
    return " ".join(agency) if isinstance(agency, list) else str(agency)


def is_health_publisher(entry: Mapping) -> bool:
    """A real page whose issuer (label ``agency``, else ``publisher``) is one of ours."""
    name = _agency_text(entry) or str(entry.get("publisher", ""))
    return any(mark in name for mark in HEALTH_MARKS)


def has_table(entry: Mapping) -> bool:
    """A page with a 信息公开 table or header: labeled ``table``, else it prints a 索引号."""
    return bool(entry.get("table", "index_number" in entry))


@dataclass
class Counts:
    pages: int = 0
    sites: int = 0
    health: int = 0
    table: int = 0

    def line(self) -> str:
        return (f"{self.pages} pages from {self.sites} sites, {self.health} from health / civil-affairs / "
                f"medical-insurance / TCM / ageing publishers, {self.table} with a 信息公开 table")


def corpus_counts(labels: Mapping) -> dict[str, Counts]:
    """``all``, ``dev`` and ``test``: the real pages' counts, from the labels alone."""
    splits = labels.get("split", {})
    real = [entry for entry in labels["page"] if entry["group"] == "real"]
    out = {}
    for name in ("all", "dev", "test"):
        rows = [e for e in real if name == "all" or splits.get(e.get("site", "")) == name]
        out[name] = Counts(
            pages=len(rows),
            sites=len({e.get("site") for e in rows}),
            health=sum(is_health_publisher(e) for e in rows),
            table=sum(has_table(e) for e in rows),
        )
    return out


def render_counts(counts: Mapping[str, Counts]) -> str:
    return "Corpus (real pages): " + counts["all"].line() + "\n" + "\n".join(
        f"  {name}: {counts[name].line()}" for name in ("dev", "test")
    )


# ------------------------------------------------------------------ failure classes

CLASSES = (
    ("doc_number", "公告-style number (…公告2025年第17号)"),
    ("doc_number", "规范性文件 prefix with 规 / 中规"),
    ("doc_number", "issuer prefix cut at its start"),
    ("doc_number", "文号 printed only in the title line"),
    ("doc_number", "false 文号 on a page without one"),
    ("doc_number", "other 文号 miss"),
    ("title", "decorative tag before the heading (【…】, [...])"),
    ("title", "zero-width characters kept"),
    ("title", "date in brackets appended"),
    ("title", "heading split over two elements, one part read"),
    ("title", "issuer prefix dropped"),
    ("title", "label text read as the title"),
    ("title", "other title miss"),
    ("agency", "issuer only in the signature block, missed"),
    ("agency", "short form given for the full issuer"),
    ("agency", "联席会议 / 管委会 issuer"),
    ("agency", "other agency miss"),
    ("index_number", "索引号 miss"),
    ("signed_date", "成文日期 miss"),
    ("published_date", "发布日期 miss"),
)

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")
_TAG = re.compile(r"^\s*(【[^】]{1,20}】|\[[^\]]{1,20}\]|〔[^〕]{1,20}〕)")
_BRACKET_DATE = re.compile(r"[（(]\s*\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?\s*[)）]\s*$")
_NOTICE_STYLE = re.compile(r"公告\s*\d{4}\s*年\s*第\s*\d+\s*号")
_NORM_STYLE = re.compile(r"[^\s〔\[［(（]*规[〔\[［(（]")
_LABELS = re.compile(r"^(政策|文件|图文|图解|视频|新闻|专家)?(解读|公告|通知|公示|动态|正文|详情|文章|信息公开)$")


def _norm(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "").replace("\u3000", "")


def _wants(want: object) -> list[str]:
    return [str(w) for w in (want if isinstance(want, (list, tuple)) else [want]) if w]


def _doc_number_class(got: object, want: object, title: object) -> str:
    if not want:
        return "false 文号 on a page without one"
    w, g = _norm(want), _norm(got) if got else ""
    if _NOTICE_STYLE.search(w):
        return "公告-style number (…公告2025年第17号)"
    if _NORM_STYLE.match(w):
        return "规范性文件 prefix with 规 / 中规"
    if g and g != w and w.endswith(g):
        return "issuer prefix cut at its start"
    if any(w in _norm(t) for t in _wants(title)):
        return "文号 printed only in the title line"
    return "other 文号 miss"


def _title_class(got: object, want: object) -> str:
    g = str(got or "")
    for w in _wants(want):
        gn, wn = _norm(g), _norm(w)
        if _ZERO_WIDTH.search(g) and _norm(_ZERO_WIDTH.sub("", g)) == wn:
            return "zero-width characters kept"
        if _TAG.match(g) and _norm(_TAG.sub("", g)) == wn:
            return "decorative tag before the heading (【…】, [...])"
        if _BRACKET_DATE.search(g) and _norm(_BRACKET_DATE.sub("", g)) == wn:
            return "date in brackets appended"
        if gn and gn != wn and wn.startswith(gn):
            return "heading split over two elements, one part read"
        if gn and gn != wn and wn.endswith(gn):
            return "issuer prefix dropped"
    if g and _LABELS.match(_norm(g)):
        return "label text read as the title"
    return "other title miss"


def _agency_class(got: object, want: object, gold: str) -> str:
    wants = _wants(want)
    if any(mark in w for w in wants for mark in ("联席会议", "管委会", "管理委员会")):
        return "联席会议 / 管委会 issuer"
    if not got:
        tail = "\n".join(gold.strip().splitlines()[-6:])
        if any(_norm(part) in _norm(tail) for w in wants for part in w.split()):
            return "issuer only in the signature block, missed"
        return "other agency miss"
    g = _norm(" ".join(got) if isinstance(got, (list, tuple)) else got)
    for w in wants:
        wn = _norm(w)
        if g != wn and len(g) < len(wn) and _is_subsequence(g, wn):
            return "short form given for the full issuer"
    return "other agency miss"


def _is_subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(c in chars for c in short)


@dataclass
class Miss:
    """What failure classes need of one scored page."""

    fields: Mapping[str, str]  # field -> verdict
    got: Mapping[str, object]
    want: Mapping[str, object]
    gold: str


def failure_classes(misses: Iterable[Miss]) -> Counter:
    """(field, class) -> pages, for every wrong or missed field of ours."""
    counted: Counter = Counter()
    for m in misses:
        for name, verdict in m.fields.items():
            if verdict not in ("wrong", "missed") or name == "title_ws":
                continue
            if name == "doc_number":
                label = _doc_number_class(m.got.get(name), m.want.get(name), m.want.get("title"))
            elif name == "title":
                label = _title_class(m.got.get(name), m.want.get(name))
            elif name == "agency":
                label = _agency_class(m.got.get(name), m.want.get(name), m.gold)
            else:
                label = next(text for field, text in CLASSES if field == name)
            counted[name, label] += 1
    return counted


def render_failure_classes(counted: Counter, split: str = "dev") -> str:
    lines = [f"Failure classes of ours on {split} (pages; decided from the gold value and our output):"]
    lines += [f"  {field:<14} {_pad(label, 52)} {counted[field, label]}" for field, label in CLASSES]
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def misses_of(results: Sequence, gold_of: Mapping[str, str], split: str = "dev") -> list[Miss]:
    """Our PageResults of one split as Misses (the gold body, for the signature class)."""
    return [Miss(r.fields, r.got, r.want, gold_of.get(r.page_id, "")) for r in results if r.split == split]
