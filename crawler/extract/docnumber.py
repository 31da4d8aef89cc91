"""文号 (document numbers): find them in text, tell the page's own from cited ones.

The grammar (brackets, year and serial forms, the three tails, the identity form) is
crawler/vocab/docnumber.py; this module reads pages with it. The normalized form is the
identity of a notice in the archive, so a wrong *own* number merges two different
notices: every rule here leans towards "no number" when unsure.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from crawler.extract.model import DocNumber
from crawler.extract.patterns import ADDRESSEE_LINE
from crawler.extract.patterns import TITLE_END as _TITLE_END
from crawler.vocab.docnumber import (
    BRACKET_TAIL,
    ISSUER_ENDS,
    NOTICE_TAIL,
    ORDER_TAIL,
    normalize_doc_number,
)
from crawler.vocab.listing import DATE_TEXT

_CJK = "\u4e00-\u9fff"

# Words that end a sentence fragment before a 文号; nothing after them belongs to the
# 机关代字. Multi-character words are safe anywhere; the single characters chosen here never
# occur inside a real 机关代字.
_STOP_WORDS = (
    "现将", "根据", "按照", "依据", "依照", "参照", "对照", "贯彻", "落实", "执行", "关于", "印发",
    "转发", "发布", "下发", "文件", "通知", "精神", "要求", "规定", "决定", "意见", "办法", "方案",
    "见附件", "附件", "详见", "参见", "简称", "以及", "其中", "同时", "结合", "实施", "继续", "已经",
    "政府", "办公室", "办公厅", "委员会", "的", "将", "和", "及", "与", "或", "即", "是", "为",
    "在", "对", "按", "据", "由", "以", "从", "自", "请", "附", "见", "等", "号", "年", "月",
)
# Names that start with a stop character and must not be cut there: places, and 自然资源
# (自然资发, 自然资规: the ministry's 代字 opens with 自, the stop of "自2020年起").
_STOP_EXEMPT = ("和田", "和平", "和龙", "自贡", "即墨", "将乐", "从化", "从江", "自然")
# Where a number stands as a value, not inside a sentence: at a line's start, after a
# blank, a label's colon or a table's bar. A one-character stop word there opens the
# 代字 (和政发 of 和政县), since no sentence runs into the number.
_VALUE_BOUNDARY = "\n \t\u3000\xa0:：|｜"
# Agency names before 令 / 公告 may contain 和, 自治区, 政府, 委员会: a shorter list for them.
_AGENCY_STOP_WORDS = tuple(
    w for w in _STOP_WORDS if w not in ("和", "自", "政府", "办公室", "办公厅", "委员会", "规定", "决定")
)


def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


_STOP_RE = _alternation(_STOP_WORDS)
_AGENCY_STOP_RE = _alternation(_AGENCY_STOP_WORDS)

_PREFIX_MIN, _PREFIX_MAX = 2, 8
_ORDER_PREFIX_MAX = 16  # 中华人民共和国国家卫生健康委员会令
_NOTICE_PREFIX_MAX = 14  # 国家卫生健康委员会办公厅公告


def _trim_prefix(
    run: str, *, preceded_by_digit: bool, stops: re.Pattern[str] = _STOP_RE, at_value_start: bool = False
) -> str:
    """Cut the words of the sentence off a CJK run that ends at a 文号's bracket.
    ``at_value_start``: the run opens a value (see _VALUE_BOUNDARY), so its first
    character is the 代字's even when it is a one-character stop word."""
    if preceded_by_digit:
        # 2015年7月12日沈政发…: the date's unit character is not part of the prefix.
        run = run.lstrip("年月日号第")
    cut = 0
    for m in stops.finditer(run):
        if any(run.startswith(ex, m.start()) for ex in _STOP_EXEMPT):
            continue
        if at_value_start and m.start() == 0 and m.end() == 1:
            continue
        # A stop word that is the whole remainder cannot be cut: it IS the prefix's end
        # (e.g. 办 in 政办); only words followed by at least two characters are cut.
        if len(run) - m.end() >= _PREFIX_MIN:
            cut = max(cut, m.end())
    return run[cut:]


def _run_before(text: str, end: int, limit: int) -> tuple[str, int]:
    """The CJK run ending at ``end`` (at most ``limit + 8`` chars), allowing spaces before ``end``."""
    i = end
    while i > 0 and text[i - 1] in " \t\u3000\xa0" and end - i < 2:
        i -= 1
    stop = i
    while i > 0 and re.match(f"[{_CJK}]", text[i - 1]) and stop - i < limit + 8:
        i -= 1
    return text[i:stop], i


def _is_value(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between value boundaries on both sides."""
    return (start == 0 or text[start - 1] in _VALUE_BOUNDARY) and (end == len(text) or text[end] in _VALUE_BOUNDARY)


# An announcement's number in the bracket form: 国家医疗保障局公告〔2025〕1号. Its issuer is
# named in full, like the year form's, so its prefix is as long as theirs may be.
_NOTICE_KIND = ("公告", "通告")


def _bracket_numbers(text: str) -> list[DocNumber]:
    found = []
    for m in BRACKET_TAIL.finditer(text):
        run, run_start = _run_before(text, m.start(), _NOTICE_PREFIX_MAX)
        if run.endswith(_NOTICE_KIND) and run[:-2].endswith(ISSUER_ENDS):
            num = _issuer_number(text, run, run_start, m.end(), _NOTICE_PREFIX_MAX,
                                 lambda prefix: prefix[:-2].endswith(ISSUER_ENDS))
            found += [num] if num else []
            continue
        run, run_start = run[-(_PREFIX_MAX + 8) :], run_start + max(0, len(run) - (_PREFIX_MAX + 8))
        digit_before = run_start > 0 and text[run_start - 1].isdigit()
        prefix = _trim_prefix(run, preceded_by_digit=digit_before, at_value_start=_is_value(text, run_start, m.end()))
        if not (_PREFIX_MIN <= len(prefix) <= _PREFIX_MAX) or prefix in _NOTICE_KIND:
            continue  # a sentence with no recognisable 机关代字: precision over recall
        start = run_start + (len(run) - len(prefix))
        raw = text[start : m.end()]
        found.append(DocNumber(raw=raw, normalized=normalize_doc_number(raw), start=start, end=m.end()))
    return found


def _issuer_number(
    text: str, run: str, run_start: int, end: int, limit: int, names_issuer: Callable[[str], bool]
) -> DocNumber | None:
    """A number whose prefix is its issuers' names (orders, announcements): the run before
    the tail without the sentence's words, and the joint issuers before it."""
    digit_before = run_start > 0 and text[run_start - 1].isdigit()
    prefix = _trim_prefix(run, preceded_by_digit=digit_before, stops=_AGENCY_STOP_RE)
    if not prefix or len(prefix) > limit or not names_issuer(prefix):
        return None
    start = run_start + (len(run) - len(prefix))
    if prefix == run:
        start = _joint_issuers_start(text, start)
    raw = text[start:end]
    return DocNumber(raw=raw, normalized=normalize_doc_number(raw), start=start, end=end)


def _agency_prefix_numbers(text: str, tail: re.Pattern[str], limit: int, keep: str) -> list[DocNumber]:
    """Orders and announcements: the agency name before 令 / 公告 is part of the number."""
    found = []
    for m in tail.finditer(text):
        run, run_start = _run_before(text, m.start(), limit)
        num = _issuer_number(text, run, run_start, m.end(), limit,
                             lambda prefix: (prefix == "国" and keep == "令") or prefix.endswith(ISSUER_ENDS))
        found += [num] if num else []
    return found


_MAX_JOINT_ISSUERS = 8
_ISSUER_TOKEN = re.compile(rf"[{_CJK}]{{2,{_NOTICE_PREFIX_MAX}}}")
# between joint issuers: a blank or two, or a 、 (with blanks around it, if any)
_JOINT_SEP = re.compile(r"(?:[ \u3000\xa0]{1,2}|[ \u3000\xa0]?、[ \u3000\xa0]?)$")


def _joint_issuers_start(text: str, start: int) -> int:
    """Where a joint announcement's number begins: its issuers stand before it one
    space (or a 、) apart (财政部 税务总局 民政部公告2019年第76号), and each is a whole
    agency name."""
    for _ in range(_MAX_JOINT_ISSUERS):
        sep = _JOINT_SEP.search(text, max(0, start - 3), start)
        if sep is None or start - sep.start() < 1 or sep.start() == 0 or text[sep.start() - 1] in "\n":
            break
        token_start = sep.start()
        while token_start > 0 and re.match(f"[{_CJK}]", text[token_start - 1]):
            token_start -= 1
        token = text[token_start : sep.start()]
        if not _ISSUER_TOKEN.fullmatch(token) or not token.endswith(ISSUER_ENDS):
            break
        if _trim_prefix(token, preceded_by_digit=False, stops=_AGENCY_STOP_RE) != token:
            break  # words of a sentence, not an agency name
        start = token_start
    return start


def find_doc_numbers(text: str) -> list[DocNumber]:
    """Every 文号 in ``text``, in order, with offsets into ``text``."""
    if not text:
        return []
    found = _bracket_numbers(text)
    found += _agency_prefix_numbers(text, ORDER_TAIL, _ORDER_PREFIX_MAX, "令")
    found += _agency_prefix_numbers(text, NOTICE_TAIL, _NOTICE_PREFIX_MAX, "公告")
    found.sort(key=lambda d: d.start)
    return found


# --- the page's own number ---------------------------------------------------------------

_LABEL = r"(?:文\s*号|发\s*文\s*字\s*号|发文文号|文件编号|字\s*号)"
_SEP = r"[\s:：|｜【】\[\]]*"
# What may stand on the number's line besides it: dates (发布时间：2019-10-28), a 签发人, a
# table cell boundary.
_DATE_BIT = rf"(?:{DATE_TEXT})"
_DATED = rf"(?:[\u4e00-\u9fff]{{2,6}}\s*[:：]\s*)?{_DATE_BIT}(?:\s*[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?)?"
_SIGNER = r"签\s*发\s*人\s*[:：]\s*\S{2,4}"
# A 规范性文件's registration code, printed beside its 文号 (统一编号：JXSD00-2022-0001):
# the same document's other number, not a sentence around a cited one.
_REGISTRATION = r"(?:(?:统一编号|统一登记号|登记号|登记编号)\s*[:：]\s*)?[A-Z]{2,6}[0-9]{0,4}[-－—][0-9]{4}[-－—][0-9]{3,6}"
_AFTER_OK = re.compile(rf"^(?:\s*(?:{_DATED}|{_SIGNER}|{_REGISTRATION}))*\s*$")
_BEFORE_OK = re.compile(rf"^\s*(?:{_REGISTRATION}\s*)?(?:{_LABEL}{_SEP})?$")
_CITE_LEAD = re.compile(r"(根据|按照|依据|依照|参照|贯彻|落实|执行|转发|印发|见)\s*$")
# a flattened table's header cell: what follows are its rows
_TABLE_HEADER = re.compile(r"^[ \t\u3000\xa0|｜]*序\s*号(?:[ \t\u3000\xa0|｜]|$)", re.M)
_TEXT_TOP = 300
_TEXT_TOP_MAX = 800


def _is_label_like(value: str) -> bool:
    """'来 源：', '文号:' or '' – a metadata cell that holds a label, not a value."""
    v = re.sub(r"\s+", "", value)
    return not v or bool(re.fullmatch(rf"[{_CJK}]{{1,8}}[:：]?", v)) and not re.search(r"[0-9]", v)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, (len(text) if le < 0 else le)


def _stands_alone(text: str, num: DocNumber, *, in_table_cell: bool = True) -> bool:
    """The number is the only thing on its line, bar a 文号 label, a date or a 签发人."""
    ls, le = _line_bounds(text, num.start, num.end)
    before, after = text[ls : num.start], text[num.end : le]
    stripped_before = before.strip(" \t\u3000\xa0")
    # (沈政发〔2015〕31号) on its own line: the brackets are part of the line, not a citation,
    # unless the line above is a 《title》 (then it is the number of a quoted document).
    if stripped_before in ("(", "（") and after.strip(" \t\u3000\xa0")[:1] in (")", "）"):
        prev = text[:ls].rstrip().rsplit("\n", 1)[-1].strip()
        if prev.startswith("《") or prev.endswith("》"):
            return False
        after = after.strip(" \t\u3000\xa0")[1:]
        stripped_before = ""
    if not _BEFORE_OK.match(stripped_before):
        return False
    if _AFTER_OK.match(after):
        return True
    # 文号 | 保政办发〔2018〕66号 | 浏览量 |: a cell of a pipe table, labelled as a 文号.
    return in_table_cell and bool(re.match(_LABEL, stripped_before)) and after.lstrip().startswith(("|", "｜"))


def _top_limit(text: str) -> int:
    m = ADDRESSEE_LINE.search(text, 0, _TEXT_TOP_MAX)
    return max(_TEXT_TOP, m.start()) if m else _TEXT_TOP


# A 解读 (interpretation, Q&A, 图解) is a document of its own that explains another: the
# 文号 its title prints is the interpreted document's, so by the own-vs-cited rule
# (DESIGN.md, identity 1) it is a citation. Taking it as the page's own would merge the
# 解读 into the document it explains.
_EXPLAINER = re.compile(r"解读|答记者问|问答|图解|一图读懂|政策解析|新闻发布会|答问")
# what puts a number at a title's end in someone else's name: a quoted or forwarded document
_QUOTED_END = ("》", "”", '"')
_FORWARDS = re.compile("转发|贯彻|落实")


def is_explainer(title: str | None) -> bool:
    """Whether the title names a 解读 of another document (its 文号s are citations)."""
    return bool(title and _EXPLAINER.search(title))


def _from_title(title: str) -> DocNumber | None:
    t = title.strip()
    nums = find_doc_numbers(t)
    if not nums or is_explainer(t):
        return None
    first = nums[0]
    # 沈政发[2015]31号 沈阳市人民政府关于…: the aggregator put the own number first.
    if first.start == 0 and first.end < len(t) and t[first.end] in " \t\u3000\xa0":
        return first
    last = nums[-1]
    # …的通知（沈政发〔2015〕31号）: a bracketed number closing the title is the title's own,
    # unless it closes a quoted or forwarded document (…》（国发〔2013〕40号）).
    tail = t[last.end :].strip()
    head = t[: last.start].rstrip()
    if tail in (")", "）") and head.endswith(("(", "（")):
        before = head[:-1].rstrip()
        if before and not before.endswith(_QUOTED_END) and not _FORWARDS.search(before):
            return DocNumber(raw=last.raw, normalized=last.normalized)
    # …的通知 沈政发〔2015〕31号: the number set after the title, one blank apart, no brackets
    after_blank = not tail and head and t[last.start - 1] in " \t\u3000\xa0" and len(nums) == 1
    if after_blank and not head.endswith(_QUOTED_END) and not _FORWARDS.search(head) and _TITLE_END.search(head):
        return DocNumber(raw=last.raw, normalized=last.normalized)
    return None


# An attachment's name as sites write it: "附件2：", a file extension, a page count.
_ATTACHMENT_LEAD = re.compile(r"^\s*附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：.、]?\s*")
_FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{2,5}$")


def _from_attachment_names(names: list[str], title: str | None) -> DocNumber | None:
    """The 文号 the page's attached file is named by, when the page prints it nowhere else:
    a scan uploaded as "沈政发〔2015〕31号.pdf" or "沈政发〔2015〕31号 关于….pdf". The file
    is the notice itself unless the page forwards or explains another document, and the
    files that carry a number must all carry the same one."""
    if title and (_FORWARDS.search(title) or is_explainer(title)):
        return None
    chosen: DocNumber | None = None
    for name in names:
        stem = _FILE_EXTENSION.sub("", _ATTACHMENT_LEAD.sub("", name or "").strip()).strip()
        nums = find_doc_numbers(stem)
        if not nums:
            continue
        alone = len(nums) == 1 and nums[0].start == 0 and nums[0].end == len(stem)
        num = nums[0] if alone else _from_title(stem)
        if num is None:
            return None  # a file that cites a number: nothing here is surely ours
        if chosen is not None and chosen.normalized != num.normalized:
            return None
        chosen = DocNumber(raw=num.raw, normalized=num.normalized)
    return chosen


def own_doc_number(
    *,
    table_value: str | None,
    header: str | None,
    title: str | None,
    text: str,
    attachment_names: list[str] | tuple[str, ...] = (),
) -> tuple[DocNumber | None, str | None]:
    """The page's own 文号 and where it came from: "table", "header", "title", "text" or
    "attachment".

    Order of trust: the metadata table; the block under the title (the few lines before the
    addressee line); the title; a number standing alone on a line near the top of the text;
    the name of the attached file. A number cited inside a sentence is never the page's own,
    nor is one a 解读 page prints (the explained document's: see _EXPLAINER).
    """
    if table_value and not _is_label_like(table_value):
        nums = find_doc_numbers(table_value)
        if nums:
            return DocNumber(raw=nums[0].raw, normalized=nums[0].normalized), "table"
    if is_explainer(title):
        return None, None
    if header:
        for num in find_doc_numbers(header):
            if _stands_alone(header, num) and not _CITE_LEAD.search(header[: num.start]):
                return DocNumber(raw=num.raw, normalized=num.normalized), "header"
    if title:
        num = _from_title(title)
        if num:
            return DocNumber(raw=num.raw, normalized=num.normalized), "title"
    if text:
        limit = _top_limit(text)
        first_line_end = text.lstrip().find("\n")
        lead = len(text) - len(text.lstrip())
        for num in find_doc_numbers(text[:limit]):
            if _CITE_LEAD.search(text[: num.start]):
                continue
            if _TABLE_HEADER.search(text, 0, num.start):
                break  # the rows of a table (a list of licences, of documents): cells, not ours
            if _stands_alone(text, num):
                return num, "text"
            # The text's first line is its title: an aggregator's "沈政发[2015]31号 title".
            if num.start == lead and (first_line_end < 0 or num.end < lead + first_line_end):
                line = text[lead : lead + first_line_end] if first_line_end >= 0 else text[lead:]
                if _from_title(line):
                    return num, "text"
    num = _from_attachment_names(list(attachment_names), title)
    if num:
        return num, "attachment"
    return None, None


def cited_doc_numbers(text: str, own: str | None = None) -> list[str]:
    """Normalized numbers cited in ``text``: unique, in order of first appearance, without ``own``."""
    own_norm = normalize_doc_number(own) if own else None
    seen: list[str] = []
    for num in find_doc_numbers(text):
        if num.normalized != own_norm and num.normalized not in seen:
            seen.append(num.normalized)
    return seen
