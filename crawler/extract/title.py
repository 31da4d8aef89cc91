"""The notice's real title, out of the page's candidates and its text.

Candidates (the 信息公开 table's title, the page heading, ``<title>``, the listing's link
text) are cleaned of site suffixes, a leading 文号 and doc-sharing noise
(title_candidate.py), then checked
against the body: a candidate that shares few character pairs with the text is not this
notice's title (SEO copies put an unrelated question on top of a copied notice). Then
the title is taken from the text itself: its first title-like line, over two lines when
the page broke it.
"""
from __future__ import annotations

import re

from crawler.extract.patterns import TITLE_END as _TITLE_END
from crawler.extract.title_candidate import (
    BLANKS,
    MAX_TITLE,
    MIN_TITLE,
    ORG_NAME,
    clean_candidate,
    is_mark_line,
    reads_as_issuers,
    strip_bracket_date,
    strip_leading_marks,
    strip_leading_number,
    tidy_spaces,
)
from crawler.vocab.docnumber import NUMBER_OPEN
from crawler.vocab.status import STATUS_LINE

_ELLIPSIS = re.compile(r"(?:\.{3,}|…+)$")
_SENTENCE_PUNCT = re.compile(r"[。；;！!？?，,：:]")
_NON_WORD = re.compile(r"[^\w]")
_WS = re.compile(r"\s+")
_DATE_OR_NUMBER = re.compile(rf"\d{{4}}\s*[年\-/.]|号$|{NUMBER_OPEN}")
_MIN_RELATED = 0.5
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


# a 解读 page's own title ends with what it is, not with a document kind
_EXPLAINER_END = re.compile(r"(?:解读|答记者问|政策问答)[)）]?$")


def _is_title_like(line: str) -> bool:
    if not (MIN_TITLE <= len(line) <= MAX_TITLE) or _SENTENCE_PUNCT.search(line):
        return False
    return bool(_TITLE_END.search(line) or line.startswith("关于") or _EXPLAINER_END.search(line))


def _is_fragment(line: str) -> bool:
    """The first half of a title the page broke over two lines."""
    return (
        6 <= len(line) <= 40
        and not _SENTENCE_PUNCT.search(line)
        and not _TITLE_END.search(line)
        and not ORG_NAME.match(line)
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
        if STATUS_LINE.match(nxt) or not _is_title_like(nxt):
            return k
    return None


def title_from_text(text: str, skip: set[str] = frozenset()) -> str | None:
    """The first title-like line near the top of the text (joined with the line above
    when the page broke the title, and with a status line such as (征求意见稿) below)."""
    found = _title_lines(text, skip)
    return strip_bracket_date(tidy_spaces(strip_leading_number(_WS.sub(" ", found)))) if found else None


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
            if orphan + 1 < len(lines) and STATUS_LINE.match(lines[orphan + 1]):
                title += lines[orphan + 1]
            return title
        if i > 0 and _is_fragment(lines[i - 1]) and lines[i - 1] not in skip:
            prev = lines[i - 1]
            # a line above a 关于… title is no part of it, unless it names the issuers
            if "关于" in prev or not line.startswith("关于") or reads_as_issuers(prev):
                title = prev + title
        if i + 1 < len(lines) and STATUS_LINE.match(lines[i + 1]):
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
        if source != "table" and ORG_NAME.match(cand) and not _TITLE_END.search(cand) and "关于" not in cand:
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
        dropped = cand[: len(cand) - len(from_text)]
        # …but not where what the text lacks is the issuers the title opens with
        if sq_cand.endswith(sq_text) and len(sq_cand) - len(sq_text) <= 6 and "关于" not in dropped \
                and not reads_as_issuers(dropped):
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
    h1 = BLANKS.sub(" ", h1).strip()
    for record in records:
        title = clean_candidate(record)
        if not title or len(title) < MIN_TITLE or not h1.startswith(title):
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
