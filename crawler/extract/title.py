"""The notice's real title, out of the page's candidates and its text.

Candidates (the 信息公开 table's title, the page heading, ``<title>``, the listing's link
text) are cleaned of site suffixes, a leading 文号 and doc-sharing noise, then checked
against the body: a candidate that shares few character pairs with the text is not this
notice's title (SEO copies put an unrelated question on top of a copied notice). Then
the title is taken from the text itself: its first title-like line, over two lines when
the page broke it.
"""
from __future__ import annotations

import re

from crawler.extract.agency import is_agency_name
from crawler.extract.docnumber import find_doc_numbers
from crawler.extract.patterns import DOC_TYPES as _DOC_TYPES
from crawler.extract.patterns import TITLE_END as _TITLE_END

_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|——|－－|--)\s*")
# on the page's own heading a bar joins a column name to the headline (新华视界｜…, 书记市长这一周 | …);
# site names are appended to <title>, not set in the heading
_HEADING_SEPARATORS = re.compile(r"\s*(?:_|\s[-–—]\s|——|－－|--)\s*")
_IN_TITLE = re.compile(r"关于|转发|印发|贯彻|落实|根据|执行|《|“")
# A 文号 in brackets after the title: "…的通知（国办发〔2019〕5号）"; the number itself is
# docnumber.py's grammar.
_TRAILING_BRACKETS = re.compile(r"\s*[(（]\s*(?P<inner>[^()（）]{4,40}?)\s*[)）]\s*$")
_FILE_EXT = re.compile(r"\.(?:docx?|pdf|pptx?|xlsx?|wps|txt|ofd)(?:_第\d+页)?$", re.I)
_ELLIPSIS = re.compile(r"(?:\.{3,}|…+)$")
_STATUS_LINE = re.compile(r"^[(（]\s*(?:征求意见稿|试行|暂行|草案|送审稿|修订稿|修订|讨论稿|代拟稿)\s*[)）]$")
_ORG_NAME = re.compile(
    r"^\S{2,24}(?:人民政府|人民政府办公室|人民政府办公厅|政府网|门户网站|网站|网|委员会|局|厅|委|办公室|中心)$"
)
_SENTENCE_PUNCT = re.compile(r"[。；;！!？?，,：:]")
# a CMS's column name after a bare hyphen: 中华人民共和国监察法-纪检 (VSB, some TRS sites)
_HYPHEN_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff》）)”])\s*[-－]\s*[\u4e00-\u9fff]{2,8}$")
_MIN_BEFORE_HYPHEN = 6
_NON_WORD = re.compile(r"[^\w]")
_WS = re.compile(r"\s+")
_BLANKS = re.compile(r"[\s\u3000\xa0]+")
_DATE_OR_NUMBER = re.compile(r"\d{4}\s*[年\-/.]|号$|[〔\[［【]")
_MIN_RELATED = 0.5
_MIN_TITLE = 4
_MAX_TITLE = 150
_TEXT_TITLE_LINES = 15


def _squeeze(s: str) -> str:
    return _NON_WORD.sub("", s)


def _bigrams(s: str) -> set[str]:
    s = _squeeze(s)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def relatedness(candidate: str, text: str) -> float:
    """Share of the candidate's character pairs found in the text, not counting the
    text's lines that are the candidate itself (an SEO title is repeated on top)."""
    grams = _bigrams(candidate)
    if not grams:
        return 0.0
    core = _squeeze(candidate)
    body = "\n".join(
        line for line in text.splitlines() if _squeeze(line) and _squeeze(line) not in core
    )
    return len(grams & _bigrams(body)) / len(grams)


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


def _strip_leading_number(s: str) -> str:
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
    """Without the marks a page sets before its heading (they are no part of the title)."""
    while True:
        m = _LEADING_MARK.match(s)
        if not m or m.end() >= len(s):
            return s
        s = s[m.end() :].lstrip()


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
    return len(part) < _MIN_SUBTITLE or bool(_ORG_NAME.match(part))


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


def clean_candidate(raw: str | None, *, heading: bool = False) -> str | None:
    """A title candidate without site suffix, portal tail, ad, leading 文号, file extension
    or category prefix. A ``heading`` (or a <title> read against one) keeps a column name
    its bar joins to the headline."""
    if not raw:
        return None
    s = strip_leading_marks(_BLANKS.sub(" ", raw).strip())
    tail = _PORTAL_TAIL.search(s)
    if tail and tail.start() >= _MIN_BEFORE_HYPHEN:
        s = s[: tail.start()]
    s = _AD_BRACKET.sub(" ", s).strip()
    s = _title_part(s, _HEADING_SEPARATORS if heading else _SEPARATORS)
    s = _FILE_EXT.sub("", s).strip()
    m = _HYPHEN_SUFFIX.search(s)
    if m and m.start() >= _MIN_BEFORE_HYPHEN:
        s = s[: m.start()]
    s = _strip_leading_number(s)
    s = _strip_trailing_number(s)
    s = tidy_spaces(s)
    s = _strip_category_prefix(s)
    s = s.strip(" -_|")
    if not (_MIN_TITLE <= len(s) <= _MAX_TITLE):
        return None
    return s


def _is_title_like(line: str) -> bool:
    if not (_MIN_TITLE <= len(line) <= _MAX_TITLE) or _SENTENCE_PUNCT.search(line):
        return False
    return bool(_TITLE_END.search(line) or line.startswith("关于"))


def _is_fragment(line: str) -> bool:
    """The first half of a title the page broke over two lines."""
    return (
        6 <= len(line) <= 40
        and not _SENTENCE_PUNCT.search(line)
        and not _TITLE_END.search(line)
        and not _ORG_NAME.match(line)
        and not _DATE_OR_NUMBER.search(line)
    )


def _orphan_head(lines: list[str], i: int, skip: set[str]) -> int | None:
    """Index of a 关于… first half a few lines below title-like line ``i`` that has no
    second half of its own (the next line is not title-like), if there is one."""
    if "关于" in lines[i]:
        return None
    for k in range(i + 1, min(i + 5, len(lines))):
        frag = lines[k]
        if frag in skip or not _is_fragment(frag) or "关于" not in frag:
            continue
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if _STATUS_LINE.match(nxt) or not _is_title_like(nxt):
            return k
    return None


def title_from_text(text: str, skip: set[str] = frozenset()) -> str | None:
    """The first title-like line near the top of the text (joined with the line above
    when the page broke the title, and with a status line such as (征求意见稿) below)."""
    found = _title_lines(text, skip)
    return tidy_spaces(_strip_leading_number(_WS.sub(" ", found))) if found else None


def _title_lines(text: str, skip: set[str]) -> str | None:
    lines = [strip_leading_marks(line.strip()) for line in text.splitlines() if line.strip() and not is_mark_line(line)]
    lines = lines[:_TEXT_TITLE_LINES]
    for i, line in enumerate(lines):
        if line in skip or not _is_title_like(line):
            continue
        title = line
        orphan = _orphan_head(lines, i, skip)
        if orphan is not None:
            # a doc-sharing page showed the title's second half first, and trafilatura
            # collapsed its repeat: 贵州省关于…多层次 / (征求意见稿) below, 多样化…方案 above
            title = lines[orphan] + line
            if orphan + 1 < len(lines) and _STATUS_LINE.match(lines[orphan + 1]):
                title += lines[orphan + 1]
            return title
        if i > 0 and _is_fragment(lines[i - 1]) and lines[i - 1] not in skip:
            prev = lines[i - 1]
            if "关于" in prev or not line.startswith("关于"):
                title = prev + title
        if i + 1 < len(lines) and _STATUS_LINE.match(lines[i + 1]):
            title += lines[i + 1]
        return title
    return None


def clean_title(
    *,
    html_title: str | None,
    h1: str | None,
    table_title: str | None,
    text: str,
    listing_title: str | None = None,
    meta_title: str | None = None,
) -> tuple[str | None, str]:
    """(title, source): source is "table", "h1", "meta", "html_title", "listing", "text"
    or "none". A heading the CMS's own title ``<meta>`` (ArticleTitle, og:title) confirms
    is taken without judging it by the body (a personnel notice or a scan shares few words
    with its title); with no heading, that ``<meta>`` is the title."""
    text = text or ""
    judge = len(_squeeze(text)) >= 50  # too little text to tell a spam title from a real one
    rejected: set[str] = set()
    confirmed = _squeeze(clean_candidate(meta_title) or "")
    titled = _squeeze(clean_candidate(html_title, heading=True) or "")
    candidates = [
        ("table", table_title), ("h1", h1), ("meta", meta_title), ("html_title", html_title), ("listing", listing_title),
    ]
    chosen: tuple[str, str] | None = None
    for source, raw in candidates:
        cand = clean_candidate(raw, heading=source == "h1")
        if cand is None:
            continue
        truncated = bool(_ELLIPSIS.search(cand))
        cand = _ELLIPSIS.sub("", cand).strip()
        if source != "table" and _ORG_NAME.match(cand) and not _TITLE_END.search(cand) and "关于" not in cand:
            continue  # a site logo or an agency name in the heading
        # two of the page's own records agree: the heading or the <title> with the <meta>
        agreed = confirmed and _squeeze(cand) == confirmed and (source != "meta" or confirmed in _squeeze(html_title or ""))
        # …or the heading is the <title> without its site name, and the text has no title
        # line of its own (an SEO copy sets its bait question in both, over a notice's title)
        agreed = agreed or (source == "h1" and titled and _squeeze(cand) == titled and not title_from_text(text))
        trusted = source == "table" or agreed
        if not trusted and judge and relatedness(cand, text) < _MIN_RELATED:
            rejected.add(raw.strip())
            rejected.add(cand)
            continue
        if truncated:
            fuller = title_from_text(text, rejected)
            if fuller and fuller.startswith(cand):
                return fuller, "text"
        chosen = (cand, source)
        break

    if chosen is not None and chosen[1] == "h1":
        shorter = _without_second_headline(h1 or "", meta_title, html_title)
        if shorter:
            chosen = (shorter, "h1")

    from_text = title_from_text(text, rejected)
    if chosen is None:
        return (from_text, "text") if from_text else (None, "none")
    cand, source = chosen
    if from_text and source != "table" and from_text != cand:
        sq_cand, sq_text = _squeeze(cand), _squeeze(from_text)
        # the text has the whole title where the page had a truncated or prefixed one
        if sq_cand in sq_text and len(sq_text) > len(sq_cand):
            return from_text, "text"
        if sq_cand.endswith(sq_text) and len(sq_cand) - len(sq_text) <= 6 and "关于" not in cand[: len(cand) - len(from_text)]:
            return from_text, "text"
        # the same words, but the text kept the punctuation a file name or heading lost:
        # …实施方案（征求意见稿） over …实施方案征求意见稿
        if sq_cand == sq_text and _punctuation(from_text) > _punctuation(cand):
            return from_text, "text"
    return cand, source


def _without_second_headline(h1: str, *records: str | None) -> str | None:
    """The heading without its second line where the page's own title records (<meta>,
    <title>) stop before it: a second headline or a news lead set under the title.
    A subtitle the records carry stays (then nothing is cut)."""
    h1 = _BLANKS.sub(" ", h1).strip()
    for record in records:
        title = clean_candidate(record)
        if not title or len(title) < _MIN_TITLE or not h1.startswith(title):
            continue
        rest = h1[len(title) :]
        if rest[:1] not in (" ", "—", "-", "－") or not rest.strip(" —-－"):
            continue
        if _squeeze(rest) in "".join(_squeeze(r or "") for r in records):
            return None
        return title
    return None


def _punctuation(s: str) -> int:
    return sum(1 for ch in s if not ch.isspace() and _NON_WORD.match(ch))


# "现将《X》印发给你们": the letter part of a 印发 / 转发 notice names the document it carries
_COVER_LETTER = re.compile(r"现将《(?P<name>[^《》]{4,100})》(?:予以)?(?P<verb>印发|转发)")
# document kinds whose name keeps its 书名号 in a 印发 title (法规、规章名称加书名号)
_RULE_KINDS = re.compile(r"(条例|办法|规定|细则|规则|规程|章程|准则)(（试行）|（暂行）|\(试行\)|\(暂行\))?$")


def title_from_cover_letter(text: str, title: str, issuers: list[str], signed_at: int) -> str | None:
    """The notice's own title when a page shows only the document it carries.

    A copy that drops the notice's heading (SEO copies, document-sharing uploads) starts
    with the letter part ("现将《X》印发给你们…"), its 落款, then X's own title, which is
    all a title search finds. An official title is issuer + 关于 + what it does + kind
    (GB/T 9704): "A B关于印发X的通知". Only composed when X is ``title``, the letter and
    its signature stand before that title line, and the issuers are known.
    """
    if not issuers or not title:
        return None
    if signed_at <= 0:
        return None
    m = _COVER_LETTER.search(text, 0, signed_at)
    if not m or _squeeze(m["name"]) != _squeeze(title) or _squeeze(title) not in _squeeze(text[signed_at:]):
        return None
    name = m["name"].strip()
    if _RULE_KINDS.search(name):
        name = f"《{name}》"
    return f"{' '.join(issuers)}关于{m['verb']}{name}的通知"
