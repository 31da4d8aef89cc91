"""The page's head as a reader sees it: its <title>, its title <meta>s and published-time
<meta>, its title heading (joined when the page set it over two elements) and the lines
around that heading (where a 发布时间 sits outside the body). Read from the tree, which
is left as it was."""
from __future__ import annotations

import re

from lxml import etree

from crawler.extract.htmltree import Html, as_tree
from crawler.extract.maintext import normalize_lines, plain_lines
from crawler.extract.patterns import HEADER_LINES as _HEADER_LINES
from crawler.extract.patterns import TITLE_END
from crawler.extract.title_candidate import LABEL_TEXT, clean_candidate

# the CMS's own record of the article's title (Hanweb and TRS write ArticleTitle)
_TITLE_META = ("articletitle", "og:title", "dc.title", "twitter:title")
_PUBLISHED_META = ("firstpublishedtime", "pubdate", "publishdate", "publishtime", "dc.date", "article:published_time")


def _squeezed(el: etree._Element) -> str:
    return " ".join(el.text_content().split())  # = re.sub(r"\s+", " ", …).strip()


def page_head(html: Html) -> dict[str, str]:
    """The page's <title>, its title heading, its published-time <meta>, and the lines of
    the whole page around that heading (where a 发布时间 sits outside the body). A tree
    passed in is read and left as it was."""
    root = as_tree(html)
    if root is None:
        return {}
    # a heading's line break is a break, not nothing: spaces for the time of the reading
    breaks = [(br, br.tail) for br in root.iter("br")]
    for br, tail in breaks:
        br.tail = " " + (tail or "")
    try:
        return _read_head(root)
    finally:
        for br, tail in breaks:
            br.tail = tail


def _read_head(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    title_el = root.find(".//title")
    if title_el is not None and title_el.text_content().strip():
        out["html_title"] = _squeezed(title_el)
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _PUBLISHED_META and meta.get("content") and "published_meta" not in out:
            out["published_meta"] = meta.get("content").strip()
        if name in _TITLE_META and (meta.get("content") or "").strip() and "meta_title" not in out:
            out["meta_title"] = " ".join(meta.get("content").split())
    headings = [
        el
        for el in root.xpath("//h1|//h2|//h3|//*[contains(@class,'title') or contains(@id,'title') or contains(@class,'tit')]")
        if 6 <= len(_squeezed(el)) <= 150
    ]
    html_title = clean_candidate(out.get("meta_title")) or clean_candidate(out.get("html_title")) or ""
    matching = []
    for el in headings:
        cand = clean_candidate(_squeezed(el)) or ""
        if cand and html_title and (cand in html_title or html_title in cand):
            matching.append((len(cand), el))
    heading = max(matching, key=lambda m: m[0])[1] if matching else _first_heading(root)
    if heading is not None and len(_squeezed(heading)) >= 6:
        out["h1"] = _squeezed(heading)
        rest = _heading_rest(heading)
        if rest is not None:
            out["h1"] += _squeezed(rest)
            heading = rest
        out["around_heading"] = _lines_after(heading)
    return out


def _first_heading(root: etree._Element) -> etree._Element | None:
    """The first <h1>; where that is a column label (政策解读) or there is none, the first
    <h2> / <h3> that is not one."""
    for tag in ("h1", "h2", "h3"):
        for el in root.iter(tag):
            text = _squeezed(el)
            if not LABEL_TEXT.match(text) and (tag == "h1" or len(text) >= 6):
                return el
    return None


_SENTENCE = re.compile(r"[。；;！!？?，,：:]")
_MAX_HEADING = 150


def _heading_rest(heading: etree._Element) -> etree._Element | None:
    """The element holding the second half of a heading set over two elements
    (<h1>…关于进一步做好</h1><h2>养老服务工作的通知</h2>): the next element, when the
    heading does not end like a title, the next one does, and it is no sentence."""
    first = _squeezed(heading)
    if TITLE_END.search(first):
        return None
    nxt = heading.getnext()
    while nxt is not None and (not isinstance(nxt.tag, str) or nxt.tag in ("br", "script", "style")):
        nxt = nxt.getnext()
    if nxt is None or len(nxt):
        return None
    second = _squeezed(nxt)
    if not (2 <= len(second) and len(first) + len(second) <= _MAX_HEADING) or _SENTENCE.search(second):
        return None
    return nxt if TITLE_END.search(second) else None


def _lines_after(heading: etree._Element) -> str:
    """Text lines of the few blocks that follow the title heading in the page."""
    lines: list[str] = []
    node = heading
    while node is not None and len(lines) < _HEADER_LINES:
        sib = node.getnext()
        while sib is not None and len(lines) < _HEADER_LINES:
            if isinstance(sib.tag, str) and sib.tag not in ("script", "style"):
                lines.extend(line for line in normalize_lines(plain_lines(sib)).splitlines())
            sib = sib.getnext()
        if lines:
            break
        node = node.getparent()
    return "\n".join(lines[:_HEADER_LINES])
