"""A title candidate cleaned of what sites put around a title.

A candidate is the 信息公开 table's title, the page heading, ``<title>``, a ``<meta>``
title or the listing's link text. Each carries its own noise: a site name after a
separator, a portal's date / 来源 / 分享到 tail, an ad in brackets, a leading 文号, a
file extension, a doc-sharing site's category prefix, marks set before the heading
(（此件主动公开）, 【字体：大 中 小】). Choosing among the cleaned candidates is title.py's.
"""
from __future__ import annotations

import re

from crawler.extract.agency import is_agency_name
from crawler.extract.attachment.kinds import FILE_EXTENSION
from crawler.extract.docnumber import find_doc_numbers
from crawler.extract.patterns import DOC_TYPES as _DOC_TYPES
from crawler.extract.patterns import TITLE_END as _TITLE_END
from crawler.vocab.docnumber import ZERO_WIDTH

_ZERO_WIDTH = re.compile(ZERO_WIDTH)

ORG_NAME = re.compile(
    r"^\S{2,24}(?:人民政府|人民政府办公室|人民政府办公厅|政府网|门户网站|网站|网|委员会|局|厅|委|办公室|中心)$"
)
BLANKS = re.compile(r"[\s\u3000\xa0]+")
MIN_TITLE = 4
MAX_TITLE = 150
_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|——|－－|--)\s*")
# on the page's own heading a bar joins a column name to the headline (新华视界｜…, 书记市长这一周 | …);
# site names are appended to <title>, not set in the heading
_HEADING_SEPARATORS = re.compile(r"\s*(?:_|\s[-–—]\s|——|－－|--)\s*")
_IN_TITLE = re.compile(r"关于|转发|印发|贯彻|落实|根据|执行|《|“")
# A 文号 in brackets after the title: "…的通知（国办发〔2019〕5号）"; the number itself is
# docnumber.py's grammar.
_TRAILING_BRACKETS = re.compile(r"\s*[(（]\s*(?P<inner>[^()（）]{4,40}?)\s*[)）]\s*$")
_FILE_EXT = re.compile(rf"\.{FILE_EXTENSION}(?:_第\d+页)?$", re.I)
# a CMS's column name after a bare hyphen: 中华人民共和国监察法-纪检 (VSB, some TRS sites)
_HYPHEN_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff》）)”])\s*[-－]\s*[\u4e00-\u9fff]{2,8}$")
_MIN_BEFORE_HYPHEN = 6


def _strip_category_prefix(title: str) -> str:
    # doc-sharing sites file "XX市…实施方案" as "实施方案XX市…实施方案"
    for word in sorted(_DOC_TYPES, key=len, reverse=True):
        if title.startswith(word) and title.endswith(word) and len(title) > 2 * len(word) + 4:
            return title[len(word) :]
    return title


_OFFICIAL_TITLE = re.compile(r"关于|印发|转发|批转|联合|公告|通告|令")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _phrase_break(prev: str, token: str) -> bool:
    # a news headline sets its phrases one space apart (李强在新疆调研时强调 彰显特色优势 …),
    # and a column name off the headline by a spaced bar (书记市长这一周 | …); a space at a
    # number and its unit (2007 年末) or around a one-character piece is a stray
    if prev.endswith(("|", "｜")) or token in ("|", "｜"):
        return True
    return min(len(prev), len(token)) >= 2 and not (prev[-1].isdigit() or token[0].isdigit())


def tidy_spaces(title: str) -> str:
    """The title's spaces as official titles write them: one space between the joint
    issuers it opens with (财政部 税务总局 民政部关于…), between Latin words and digits
    (COVID 19), and none elsewhere (a page's 调整2007　年末 is 调整2007年末). A headline
    that is no official title (no 关于/印发…, no document kind at its end) keeps the one
    space between its phrases."""
    tokens = " ".join(title.split()).split(" ")
    out = tokens[0]
    official = bool(_OFFICIAL_TITLE.search(title) or _TITLE_END.search(title))
    # still in the run of agency names that opens an official title (…关于…, …印发…)
    issuers = bool(_OFFICIAL_TITLE.search(title))
    phrase = tokens[0]  # the headline phrase the next token would follow
    for prev, token in zip(tokens, tokens[1:]):
        issuers = issuers and is_agency_name(prev) and not token.startswith("关于")
        if issuers or (_is_word_char(prev[-1]) and _is_word_char(token[0])):
            out += " " + token
            phrase = token
        elif not official and _phrase_break(phrase, token):
            out += " " + token
            phrase = token
        else:
            out += token
            phrase += token
    return out


def strip_leading_number(s: str) -> str:
    """Without the 文号 an aggregator puts before the title ("沈政发[2015]31号 沈阳市…",
    "财政部 税务总局 … 卫生健康委公告2019年第76号 财政部 …关于…的公告")."""
    tokens = s.split(" ")
    starts = [0]
    # a joint announcement's number opens with its issuers, one space apart
    k, pos = 0, 0
    while k < len(tokens) - 1 and is_agency_name(tokens[k]):
        pos += len(tokens[k]) + 1
        k += 1
        starts.append(pos)
    for start in starts:
        rest = s[start:]
        found = find_doc_numbers(rest)
        first = found[0] if found else None
        if first and first.start == 0 and not _IN_TITLE.search(rest[: first.end]) and rest[first.end :].strip():
            return rest[first.end :].strip()
    return s


def _strip_trailing_number(s: str) -> str:
    m = _TRAILING_BRACKETS.search(s)
    if m:
        inner = m.group("inner")
        found = find_doc_numbers(inner)
        if found and found[0].start == 0 and found[0].end == len(inner):
            return s[: m.start()].strip()
    return s


# page marks a CMS sets before the heading: （此件主动公开）, 【字体：大 中 小】, 打印, 分享
_LEADING_MARK = re.compile(
    r"^(?:[（(【\[]\s*(?:此件|本件)?\s*(?:主动|依申请|不予)?\s*公开(?:发布)?\s*[)）】\]]"
    r"|[【\[]?\s*字\s*[体号]\s*[:：]?\s*[【\[]?大[】\]]?\s*[【\[]?中[】\]]?\s*[【\[]?小\s*[】\]]?"
    r"|[【\[]?\s*(?:打印|分享|收藏|关闭)\s*[】\]]?(?=\s|[【\[（(]))\s*"
)


def strip_leading_marks(s: str) -> str:
    """Without the marks and tags a page sets before its heading (no part of the title)."""
    s = _strip_tags(without_zero_width(s))
    while True:
        m = _LEADING_MARK.match(s)
        if not m or m.end() >= len(s):
            return s
        s = _strip_tags(s[m.end() :].lstrip())


def is_mark_line(line: str) -> bool:
    """A line that is nothing but such a mark (never a title's first half)."""
    m = _LEADING_MARK.match(line.strip())
    return bool(m) and m.end() >= len(line.strip())


# what a portal appends to a heading: its date, 来源, 作者, a share bar, a font-size switch
_PORTAL_TAIL = re.compile(
    r"(?:\s+(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\s*(?:来源|信息来源|文章来源|发布时间|发布日期|作者|浏览次数|点击数|阅读次数)\s*[:：]"
    r"|\s*分享到|\s*[【\[]?\s*字\s*[体号]\s*[:：]).*$"
)
# an ad in brackets: 【税屋学堂火热报名中】, [推广]
_AD_BRACKET = re.compile(
    r"\s*[【\[][^】\]]{0,12}?(?:广告|推广|报名|课程|学堂|培训|咨询|抢购|优惠|热销)[^】\]]{0,12}[】\]]\s*"
)
_DASH_JOIN = re.compile(r"^\s*(?:——|－－|--)\s*$")
_MIN_SUBTITLE = 6


def _site_like(part: str) -> bool:
    return len(part) < _MIN_SUBTITLE or bool(ORG_NAME.match(part))


def _title_part(s: str, separators: re.Pattern = _SEPARATORS) -> str:
    """The title among a candidate's separated parts: the longest (site names, slogans and
    channels are shorter), with a subtitle it is joined to by —— (not a site name)."""
    tokens = separators.split(s)
    seps = [m.group() for m in separators.finditer(s)]
    parts = [(p.strip(), seps[i - 1] if i else "") for i, p in enumerate(tokens)]
    if len([p for p, _ in parts if p]) <= 1:
        return s
    best = max(range(len(parts)), key=lambda i: len(parts[i][0]))
    lo = hi = best
    while hi + 1 < len(parts) and _DASH_JOIN.match(parts[hi + 1][1]) and not _site_like(parts[hi + 1][0]):
        hi += 1
    while lo > 0 and _DASH_JOIN.match(parts[lo][1]) and not _site_like(parts[lo - 1][0]):
        lo -= 1
    return "——".join(parts[i][0] for i in range(lo, hi + 1))


# A tag a site sets before the heading: its column (【市级相关政策】), a topic (【贷款】), a
# validity mark ([已废止]). Short, no digits (〔2020〕 opens no title), closed before the title.
_TAG = re.compile(r"^\s*(?:【(?P<a>[^【】0-9]{1,12})】|[\[［](?P<b>[^\[\]［］0-9]{1,12})[\]］])\s*")
# A date in brackets a CMS appends to the heading: …的通知(2024年01月30日), （2024-01-30）.
_BRACKET_DATE = re.compile(
    r"\s*[(（]\s*(?:19|20)\d{2}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?\s*[)）]\s*$"
)
# What a page shows where a title belongs when it shows its column: 政策解读, 通知公告…
LABEL_TEXT = re.compile(
    r"^(?:政策|文件|图文|图片|图解|视频|新闻|专家|权威|热点)?(?:解读|问答|公告|通知|通知公告|公示|公示公告|动态|"
    r"正文|详情|文章|信息公开|政府信息公开|政策文件|文件通知|工作动态|阅读|内容|详细内容|正文内容)$"
)


# what closes the issuers that open a title: "X局等八部门", "…联合印发", "…印发"
_ISSUERS_END = re.compile(r"(?:等[一二三四五六七八九十两0-9]*个?(?:部门|单位|部委)(?:联合)?(?:印发|转发)?|联合印发|印发|转发)$")


def reads_as_issuers(prefix: str) -> bool:
    """Whether ``prefix`` is the issuers an official title opens with: one agency or several
    (民政部 财政部, 市民政局、市财政局), or "X局等八部门(印发)"."""
    p = prefix.strip()
    if not p:
        return False
    m = _ISSUERS_END.search(p)
    if m:
        p = p[: m.start()].strip()
        if not p:
            return False
    tokens = [t for t in re.split(r"[\s、，,]+", p) if t]
    return bool(tokens) and all(is_agency_name(t) for t in tokens)


def without_zero_width(s: str) -> str:
    return _ZERO_WIDTH.sub("", s)


def leading_tags(raw: str | None) -> list[str]:
    """The tags set before a heading, outermost first (【市级相关政策】[已废止]…)."""
    tags: list[str] = []
    s = without_zero_width(raw or "")
    while (m := _TAG.match(s)) and len(s) - m.end() >= MIN_TITLE:
        tags.append(m["a"] or m["b"])
        s = s[m.end() :]
    return tags


def _strip_tags(s: str) -> str:
    while (m := _TAG.match(s)) and len(s) - m.end() >= MIN_TITLE:
        s = s[m.end() :]
    return s


def strip_bracket_date(s: str) -> str:
    m = _BRACKET_DATE.search(s)
    return s[: m.start()].rstrip() if m and m.start() >= MIN_TITLE else s


def clean_candidate(raw: str | None, *, heading: bool = False) -> str | None:
    """A title candidate without site suffix, portal tail, ad, leading 文号, file extension
    or category prefix, tags before it, a date in brackets after it, characters that do
    not show. A ``heading`` (or a <title> read against one) keeps a column name its bar
    joins to the headline. A column label in the title's place (政策解读) is no title."""
    if not raw:
        return None
    s = strip_leading_marks(BLANKS.sub(" ", without_zero_width(raw)).strip())
    tail = _PORTAL_TAIL.search(s)
    if tail and tail.start() >= _MIN_BEFORE_HYPHEN:
        s = s[: tail.start()]
    s = _AD_BRACKET.sub(" ", s).strip()
    s = _title_part(s, _HEADING_SEPARATORS if heading else _SEPARATORS)
    s = _FILE_EXT.sub("", s).strip()
    m = _HYPHEN_SUFFIX.search(s)
    if m and m.start() >= _MIN_BEFORE_HYPHEN:
        s = s[: m.start()]
    s = strip_leading_number(s)
    s = _strip_trailing_number(s)
    s = tidy_spaces(s)
    s = _strip_category_prefix(s)
    s = strip_bracket_date(s.strip(" -_|"))
    if not (MIN_TITLE <= len(s) <= MAX_TITLE) or LABEL_TEXT.match(s):
        return None
    return s
