"""Which links of a publisher's home page lead to its policy listings. HTML and the page's
URL in, ranked candidates out; no Scrapy.

A government home page names its notice columns in words (政策文件, 规范性文件, 通知公告,
政策法规 …, crawler/vocab/listing.py) or reaches them through its 信息公开 section
(政府信息公开, 信息公开目录, 法定主动公开内容), whose own page names them: such a link is
marked ``deeper``. The platforms leave marks in the URL too: Guangdong's gkmlpt
(``/gkmlpt/``), Hanweb JCMS columns (``/col/colNNN/index.html``), 信息公开 paths and hosts
(``xxgk``, ``zwgk``, ``zfxxgk``), and a column's own index page (TRS ``…/index.html``,
whose later pages are ``index_N.html``). A mark ranks a link, but only a word chooses one
(the gkmlpt index excepted: its link often reads only as the site's name).

A link is left out when its words name an unrelated column (新闻, 图片, 视频, 领导, 机构, 互动,
办事 …, or 信息公开指南 / 年报, which hold a portal word), when its text is a headline (a
notice title may well contain 规范性文件), when its URL is dated (a notice) or leaves the
site: the home page's registrable domain (wsjkw.X.gov.cn may keep 信息公开 on xxgk.X.gov.cn),
a link to another host of it ranking a little lower. Footer links rank lower than the
same words in the page or its menu. At most ``limit`` links are chosen per page.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from tld import get_fld

from crawler.extract.htmltree import parse_html
from crawler.extract.listing import url_has_date
from crawler.vocab.listing import LISTING_WORDS, MORE_WORDS, PORTAL_WORDS, UNRELATED_WORDS

MAX_PER_PAGE = 6
MIN_SCORE = 2.0
MAX_LABEL = 12  # a column's name; a longer text is a headline

_NOT_A_PAGE = re.compile(
    r"^(?:javascript:|mailto:|tel:|#)|\.(?:jpe?g|png|gif|bmp|svg|ico|css|js|exe|apk|pdf|docx?|wps|xlsx?|ofd|zip|rar)(?:$|\?)",
    re.I)
# the platform's index, not its notices (/gkmlpt/content/…/post_N.html)
_GKMLPT = re.compile(r"/gkmlpt/?(?:(?:m?index)(?:\.html?)?)?$", re.I)
# a page of one notice by its name (gkmlpt post_N, Hanweb art_N_N, content_N …), dated or not
_NOTICE_PAGE = re.compile(r"/(?:post|art|content|article|detail)_\d{3,}[\w-]*\.\w+$", re.I)
_HANWEB_COL = re.compile(r"/col/col\d+/", re.I)
_XXGK = re.compile(r"(?:^|[/._-])(?:xxgk|zwgk|zfxxgk|gkml|xxgkml|zfxxgkml)(?:$|[/._-])", re.I)
_COLUMN_PATH = re.compile(r"(?:/|/(?:index|list|default)(?:_\d+)?\.(?:s?html?|jhtml|jsp|aspx?|php))$", re.I)
_FOOTER = re.compile(r"(?:^|[\s_-])(?:footer|foot|bottom|copyright|copy|yqlj|friend|links?)(?:$|[\s_-])", re.I)
_MENU = re.compile(r"(?:^|[\s_-])(?:header|head|top|topbar|nav|navs|navbar|menu|menus)(?:$|[\s_-])", re.I)
_SPACE = re.compile(r"\s+")
_MORE_TRIM = " >»›+→・·.。:：[]【】()（）"


@dataclass(frozen=True)
class ListingCandidate:
    url: str
    label: str  # the words that named it: its text, title, or the heading of its 更多 link
    score: float
    marks: tuple[str, ...]  # why it ranks where it does (word:…, portal:…, url:…, footer, …)
    deeper: bool = False  # a 信息公开 section: its own page names the listings


def registrable_domain(host: str) -> str:
    """The domain a site's hosts share (hubei.gov.cn for wjw.hubei.gov.cn); a bare host
    (an address, localhost) is its own."""
    host = (host or "").lower().split(":")[0]
    fld = get_fld(host, fix_protocol=True, fail_silently=True) if "." in host else None
    return fld or host.removeprefix("www.")


def same_registrable(url: str, home: str) -> bool:
    a, b = urlsplit(url), urlsplit(home)
    if a.scheme not in ("http", "https"):
        return False
    if a.hostname == b.hostname:
        return True
    return registrable_domain(a.hostname or "") == registrable_domain(b.hostname or "")


def _text(el: etree._Element) -> str:
    return _SPACE.sub("", "".join(el.itertext()))


def _marks_of(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _region(a: etree._Element) -> str:
    """Where on the page the link sits: footer, menu (header, nav) or body."""
    region = "body"
    for el in a.iterancestors():
        marks = _marks_of(el)
        if el.tag == "footer" or (marks and _FOOTER.search(marks)):
            return "footer"
        if el.tag in ("header", "nav") or (marks and _MENU.search(marks)):
            region = "menu"
    return region


def _more_heading(a: etree._Element) -> str | None:
    """The heading a 更多 link stands under: the short text of its nearest ancestor that
    holds more than the link."""
    own = _text(a)
    for el in list(a.iterancestors())[:4]:
        rest = _text(el).replace(own, "", 1).strip(_MORE_TRIM)
        if rest:
            return rest if len(rest) <= MAX_LABEL else None
    return None


def _label(a: etree._Element) -> tuple[str, bool]:
    """The link's name and whether it came from the heading of a 更多 link."""
    # an image button names its column in its alt text
    alts = "".join(img.get("alt") or "" for img in a.iter("img"))
    text = _text(a) or _SPACE.sub("", a.get("title") or "") or _SPACE.sub("", alts)
    if text.strip(_MORE_TRIM) in MORE_WORDS or text in MORE_WORDS or (text and not text.strip(_MORE_TRIM)):
        heading = _more_heading(a)
        return (heading, True) if heading else ("", False)
    return text, False


def _words(label: str) -> tuple[float, list[str], bool]:
    """Score, marks and ``deeper`` from the link's name."""
    listing = next((w for w in LISTING_WORDS if w in label), None)
    if listing:
        return 3.0, [f"word:{listing}"], False
    portal = next((w for w in PORTAL_WORDS if w in label), None)
    if portal:
        return 2.0, [f"portal:{portal}"], True
    return 0.0, [], False


def _url_marks(url: str, home: str) -> tuple[float, list[str]]:
    parts = urlsplit(url)
    score, marks = 0.0, []
    if _GKMLPT.search(parts.path):
        score, marks = score + 2.0, [*marks, "url:gkmlpt"]
    if _HANWEB_COL.search(parts.path):
        score, marks = score + 1.0, [*marks, "url:hanweb_col"]
    host_label = (parts.hostname or "").split(".")[0]
    if _XXGK.search(parts.path) or _XXGK.fullmatch(host_label):
        score, marks = score + 1.0, [*marks, "url:xxgk"]
    if parts.path not in ("", "/") and _COLUMN_PATH.search(parts.path):
        score, marks = score + 0.5, [*marks, "url:column"]
    if parts.hostname != urlsplit(home).hostname and not _XXGK.fullmatch(host_label):
        score, marks = score - 0.5, [*marks, "other_host"]
    return score, marks


def _candidate(a: etree._Element, target: str, home: str) -> ListingCandidate | None:
    label, from_more = _label(a)
    url_score, url_marks = _url_marks(target, home)
    gkmlpt = "url:gkmlpt" in url_marks  # its link may read as the whole platform's name
    if (len(label) > MAX_LABEL and not gkmlpt) or any(w in label for w in UNRELATED_WORDS):
        return None
    score, marks, deeper = _words(label)
    if not marks and not gkmlpt:
        return None  # a mark ranks a link; only words (or the gkmlpt index) choose one
    score += url_score
    marks += url_marks
    if from_more:
        marks.append("more")
    region = _region(a)
    if region == "footer":
        score, marks = score - 2.0, [*marks, "footer"]
    elif region == "body":
        score, marks = score + 0.5, [*marks, "body"]
    if score < MIN_SCORE:
        return None
    return ListingCandidate(url=target, label=label, score=score, marks=tuple(marks), deeper=deeper)


def listing_candidates(html: str, url: str, *, limit: int = MAX_PER_PAGE,
                       exclude: frozenset[str] | set[str] = frozenset()) -> list[ListingCandidate]:
    """The links of the page at ``url`` that lead to policy listings, best first (see the
    module docstring); ``exclude``: URLs already chosen elsewhere."""
    root = parse_html(html)
    if root is None:
        return []
    page = urldefrag(url)[0]
    best: dict[str, tuple[ListingCandidate, int]] = {}
    for order, a in enumerate(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or _NOT_A_PAGE.search(href):
            continue
        target = urldefrag(urljoin(url, html_lib.unescape(href)))[0]
        if (target == page or target in exclude or not same_registrable(target, url) or url_has_date(target)
                or _NOTICE_PAGE.search(urlsplit(target).path)):
            continue
        found = _candidate(a, target, url)
        if found is None:
            continue
        kept = best.get(target)
        if kept is None or found.score > kept[0].score:
            best[target] = (found, kept[1] if kept else order)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0].score, pair[1]))
    return [c for c, _ in ranked[:limit]]
