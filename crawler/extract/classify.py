"""Document type, status and topics of a notice, from its title (and text)."""
from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.extract.attachment.kinds import FILE_EXTENSION
from crawler.vocab.status import (
    DRAFT_CALLS,
    DRAFT_WORDS,
    INTERIM,
    REPEALED_WORDS,
    STATUS_LINE,
    TRIAL,
    alternation,
)

# --- type ----------------------------------------------------------------------------------

# The type of a notice is the last word of its title (关于印发…方案的通知 is a 通知). Longer
# words first, so 指导意见 wins over 意见; variants fold into the listed type.
_TYPES: tuple[tuple[str, str], ...] = (
    ("指导意见", "指导意见"), ("实施意见", "实施意见"), ("意见", "意见"),
    ("实施方案", "实施方案"), ("方案", "方案"),
    ("行动计划", "行动计划"), ("计划", "计划"),
    ("规划纲要", "规划"), ("规划", "规划"), ("纲要", "纲要"),
    ("实施细则", "细则"), ("细则", "细则"),
    ("办法", "办法"), ("规定", "规定"), ("条例", "条例"), ("决定", "决定"), ("决议", "决议"),
    ("通知", "通知"), ("通告", "通告"), ("公告", "公告"), ("通报", "通报"), ("批复", "批复"),
    ("复函", "函"), ("函", "函"), ("报告", "报告"), ("请示", "请示"), ("命令", "令"), ("令", "令"),
    ("指南", "指南"), ("规范", "规范"), ("标准", "标准"), ("若干措施", "措施"), ("措施", "措施"),
    ("政策", "政策"), ("制度", "制度"), ("规则", "规则"), ("目录", "目录"), ("清单", "清单"),
)
# Trailing matter that is not the type word: (征求意见稿), (试行), (2016—2020年), a 文号, a
# file extension, 全文 / 正文 markers of copies.
_TRAILING = re.compile(
    rf"(?:[\s\u3000]*(?:[(（【\[][^()（）【】\[\]]{{0,30}}[)）】\]]|\.(?:{FILE_EXTENSION}|html?)|全文|正文"
    r"))+$",
    re.I,
)
# A 令 title is "国务院令第706号" or "…部令"; a bare word ending in 令 (法令) is no order.
_ORDER = re.compile(r"(院|部|委|局|府|席)令(第[0-9０-９]+号)?$")


def _title_core(title: str) -> str:
    t = title.strip().strip("“”\"'《》")
    prev = None
    while prev != t:
        prev = t
        t = _TRAILING.sub("", t).strip().rstrip("》”\"'")
    return t


def doc_type(title: str | None) -> str | None:
    """The notice's own type, from the end of its title; None for news, 解读 and unknown forms."""
    if not title:
        return None
    t = _title_core(title)
    if re.search(r"(解读|答记者问|问答|图解|新闻发布会)$", t):
        return None
    if _ORDER.search(t):
        return "令"
    for word, kind in _TYPES:
        if kind != "令" and t.endswith(word):
            return kind
    return None


# --- status ----------------------------------------------------------------------------------

_DRAFT = re.compile(alternation((*DRAFT_WORDS, *DRAFT_CALLS)))
# In the text only a line of its own counts (STATUS_LINE): "(征求意见稿)" under the title,
# not a sentence that mentions some other (试行) rule.
_TEXT_HEAD = 600


def is_repealed_mark(word: str | None) -> bool:
    """A tag before the title ([已废止]) or a 有效性 cell (失效) that says the notice is no
    longer in force."""
    w = "".join((word or "").split()).strip("【】[]［］()（）")
    return w in REPEALED_WORDS


def doc_status(title: str | None, text: str = "", marks: Iterable[str] = ()) -> str | None:
    """'draft' (征求意见稿 / 公开征求意见), 'repealed' (a mark in ``marks``: the tags set
    before the heading, the table's 有效性 value), 'trial' (试行), 'interim' (暂行), or None.
    A repealed rule is said so over its 试行 / 暂行: that is what a reader must know first."""
    t = title or ""
    if _DRAFT.search(t):
        return "draft"
    m = STATUS_LINE.search(text[:_TEXT_HEAD]) if text else None
    if m and m.group(1) in DRAFT_WORDS:
        return "draft"
    if any(is_repealed_mark(mark) for mark in marks):
        return "repealed"
    if TRIAL in t or (m and m.group(1) == TRIAL):
        return "trial"
    if INTERIM in t or (m and m.group(1) == INTERIM):
        return "interim"
    return None


# --- topics ----------------------------------------------------------------------------------

TOPIC_TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "健康服务业", "公共卫生", "卫生健康", "医疗保障", "医疗保险", "医疗卫生", "医疗机构", "医药卫生",
        "中医药", "传染病", "慢性病", "疾病", "医疗", "卫生", "医保", "医院", "医药", "药品", "健康",
        "疾控", "疫苗", "诊疗", "医师", "护士", "妇幼", "康复", "医改", "基层医疗",
    ),
    "eldercare": (
        "医养结合", "长期护理", "护理保险", "居家养老", "社区养老", "养老服务", "养老机构", "老龄",
        "老年人", "老年", "养老", "适老", "敬老", "助老", "高龄", "失能", "照护",
    ),
}
# Phrases that contain a term but are not about the topic; they are blanked out before
# counting: "健康发展" is any sector's "healthy development", 养老保险 / 养老金 are pensions.
_FALSE_FRIENDS = re.compile(
    r"健康发展|平稳健康|持续健康|健康有序|健康运行|健康稳定|健康繁荣|健康成长环境|卫生间|"
    r"养老保险|养老金|养老保障金|老百姓"
)
# Off the title, a topic needs this many mentions, of at least two terms, at this density.
BODY_MIN_HITS = 5
BODY_MIN_TERMS = 2
BODY_MIN_PER_1000_CHARS = 0.5


_TOPIC_PATTERNS = {
    topic: re.compile("|".join(sorted(map(re.escape, terms), key=len, reverse=True)))
    for topic, terms in TOPIC_TERMS.items()
}


def _hits(text: str, topic: str) -> dict[str, int]:
    """Non-overlapping term counts, longest term first (健康服务业 is not also 健康)."""
    text = _FALSE_FRIENDS.sub(lambda m: "\x00" * len(m.group(0)), text)
    pattern = _TOPIC_PATTERNS[topic]
    counts: dict[str, int] = {}
    for m in pattern.finditer(text):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return counts


def topics(title: str | None, text: str) -> dict[str, list[str]]:
    """{"health": [terms…], "eldercare": [terms…]} for the topics the notice is ABOUT; {} if none.

    A term in the title decides (the title says what a notice is about). Without one, the
    body must mention the topic at least BODY_MIN_HITS times with BODY_MIN_TERMS different
    terms and at BODY_MIN_PER_1000_CHARS per thousand characters, so a tax or transport
    notice that names 医疗 in passing stays off-topic. Terms come most frequent first.
    """
    title = title or ""
    text = text or ""
    out: dict[str, list[str]] = {}
    for topic in TOPIC_TERMS:
        in_title = _hits(title, topic)
        in_body = _hits(text, topic)
        total = sum(in_body.values())
        on = bool(in_title) or (
            total >= BODY_MIN_HITS
            and len(in_body) >= BODY_MIN_TERMS
            and total * 1000 >= BODY_MIN_PER_1000_CHARS * max(len(text), 1)
        )
        if on:
            merged: dict[str, int] = {}
            for counts in (in_title, in_body):
                for term, n in counts.items():
                    merged[term] = merged.get(term, 0) + n
            out[topic] = sorted(merged, key=lambda k: -merged[k])
    return out
