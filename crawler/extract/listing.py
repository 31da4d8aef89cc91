"""Zero-config listing discovery: the notice links and the next-page link of a listing
page, with no selectors. HTML and the page's URL in, links out; no Scrapy.

What a notice link looks like, across the families we crawl (the sample sites, and the
public evidence cited in the README's "Listing discovery" section: hulelan/china-governance's
``crawlers/govcms.py`` notes on the "t-date" list dialect, its ``crawlers/trs.py`` on
Hanweb/TRS ``<recordset>`` lists, and the listing markup recorded in ../shared/NOTES.md):

* a **title-like** anchor: its text (or ``title`` attribute, which holds the full title
  where the text is cut to ``…``) is a sentence, not a two-word menu item;
* with a **date nearby**: in its own row (``li`` / ``tr`` / ``dd`` / a ``div`` holding only
  this link), or in its URL (``t20220308_1.html``, ``/202203/``, ``/2022-03/01/``,
  ``/art/2022/3/8/``);
* on the **same site**, and not inside the header, menu, breadcrumb or footer.

The next page is the ``下一页`` link, else a link to the successor of this page's URL
under the pagination schemes sites use (``index_N``, ``list_N``, ``home_N``, ``?page=N``,
``pageNum=N``), else the page a TRS ``createPageHTML(total, current, stem, ext)`` script
would write.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from crawler.extract.htmltree import parse_html
from crawler.vocab.listing import LIST_DATE, TRS_PAGER, row_date

# A date as listings write it: 2022-03-08, 2022.03.08, 2022/3/8, 2022年3月8日, [2022-03-08].
# A month-day date (some lists print 03-08 under a year heading).
_SHORT_DATE = re.compile(r"(?<![\d-])(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])")
# A date inside a detail URL, the mark of the CMSs' article paths.
_URL_DATE = re.compile(
    r"(?:/|_|t)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?(?:[/_]|\d)"  # t20220308_, /202203/
    r"|/(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?:/|-)"  # /2022-03/01/
    r"|/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/"  # /art/2022/3/8/, /2022/03/08/
)
# Links that are never notices: scripts, anchors, mail, assets.
_NOT_A_PAGE = re.compile(r"^(?:javascript:|mailto:|tel:|#)|\.(?:jpe?g|png|gif|bmp|svg|ico|css|js|exe|apk)(?:$|\?)", re.I)
# Containers of site chrome, by class or id.
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navs|navbar|menu|menus|header|head|top|topbar|toolbar|footer|foot|bottom|"
    r"crumbs?|breadcrumbs?|position|location|weizhi|dqwz|friend|links|yqlj|share|tools?)(?:$|[\s_-])",
    re.I,
)
# Menu and pager words that can be long enough to look like titles.
_NAV_WORDS = re.compile(
    r"^(?:首页|上一?页|下一?页|尾页|末页|前页|后页|更多|more|返回|打印|关闭|登录|注册|网站地图|联系我们|"
    r"[\d\s.>»<«…]+)$",
    re.I,
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_MIN_TITLE_HAN = 6  # 政府信息公开指南 is a menu item at 8; titles are rarely under 8 either
_MIN_TITLE_CHARS = 10  # for titles with few Han characters (file names, Latin text)
_ROW_TAGS = {"li", "tr", "dd", "dt"}  # a <p>, <h3> or <td> inside a row is not yet the row
_MAX_ROW_TEXT = 400  # a row longer than this is a text block, not a list row


@dataclass
class NoticeLink:
    url: str
    title: str
    date: str | None = None  # ISO date found next to the link, if any


@dataclass
class Listing:
    links: list[NoticeLink] = field(default_factory=list)
    next_page: str | None = None


# ---- the page ---------------------------------------------------------------------------
_RECORD_CDATA = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def unwrap_records(html: str) -> str:
    """Hanweb / TRS JCMS listings keep their rows in ``<record><![CDATA[…]]></record>`` inside
    a ``<script type="text/xml">``: put those rows where an HTML parser sees them."""
    records = _RECORD_CDATA.findall(html)
    if not records:
        return html
    rows = "<div class=\"pa-records\">" + "".join(records) + "</div>"
    body_end = html.lower().rfind("</body>")
    return html[:body_end] + rows + html[body_end:] if body_end >= 0 else html + rows


def discover_listing(html: str, url: str) -> Listing:
    """Notice links and the next page of a listing page (see the module docstring)."""
    root = parse_html(unwrap_records(html))
    if root is None:
        return Listing()
    return Listing(links=notice_links(root, url), next_page=next_page(root, html, url))


# ---- notice links -----------------------------------------------------------------------
def _site(host: str) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, listing_url: str) -> bool:
    """Same host, or one a subdomain of the other (www.nhsa.gov.cn and nhsa.gov.cn)."""
    a, b = urlsplit(url), urlsplit(listing_url)
    if a.scheme not in ("http", "https"):
        return False
    ha, hb = _site(a.netloc), _site(b.netloc)
    return ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)


def _text(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _anchor_title(a: etree._Element) -> str:
    text = _text(a)
    attr = re.sub(r"\s+", " ", a.get("title") or "").strip()
    # The title attribute carries the full title where the text is cut (…/...).
    if attr and (len(attr) > len(text) or text.endswith(("...", "…", ".."))):
        return attr
    return text


def title_like(title: str) -> bool:
    """A sentence-long headline, not a menu item, pager word or bare number."""
    if not title or _NAV_WORDS.match(title):
        return False
    han = len(_HAN.findall(title))
    return han >= _MIN_TITLE_HAN or (han >= 2 and len(title) >= _MIN_TITLE_CHARS)


def _in_chrome(a: etree._Element) -> bool:
    for el in a.iterancestors():
        if el.tag in ("header", "nav", "footer"):
            return True
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if marks.strip() and _CHROME.search(marks):
            return True
    return False


def _row_of(a: etree._Element, titled: set) -> etree._Element | None:
    """The list row holding this link: the nearest ancestor that holds no other titled link
    (climbing stops at the list container, which holds them all)."""
    row = None
    for el in a.iterancestors():
        if el.tag in ("body", "html", "ul", "ol", "table", "tbody", "dl"):
            break
        others = [x for x in el.iter("a") if x is not a and id(x) in titled]
        if others:
            break
        row = el
        if el.tag in _ROW_TAGS:
            break
    return row


def _link_date(row: etree._Element | None, a: etree._Element) -> str | None:
    if row is None:
        # a link straight in its list container: the date is its tail text
        return row_date(a.tail or "")
    text = _text(row)
    return row_date(text) if len(text) <= _MAX_ROW_TEXT else None


def url_has_date(url: str) -> bool:
    return bool(_URL_DATE.search(urlsplit(url).path))


def _is_listing_url(url: str, listing_url: str) -> bool:
    """The listing itself or one of its pages (a link back to page 1 is not a notice)."""
    u, l = urlsplit(url), urlsplit(listing_url)
    if (u.netloc, u.path, u.query) == (l.netloc, l.path, l.query):
        return True
    return _page_number(url) is not None and _strip_page(url) == _strip_page(listing_url)


def notice_links(root: etree._Element, url: str) -> list[NoticeLink]:
    anchors = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or _NOT_A_PAGE.search(href):
            continue
        target = urldefrag(urljoin(url, html_lib.unescape(href)))[0]
        if not same_site(target, url) or _is_listing_url(target, url):
            continue
        title = _anchor_title(a)
        if title_like(title):
            anchors.append((a, target, title))
    titled = {id(a) for a, _, _ in anchors}
    found: dict[str, NoticeLink] = {}
    for a, target, title in anchors:
        if _in_chrome(a):
            continue
        date = _link_date(_row_of(a, titled), a)
        if date is None and not url_has_date(target):
            continue
        title = LIST_DATE.sub("", title).strip(" []【】()（）") or title
        if target not in found:
            found[target] = NoticeLink(url=target, title=title, date=date)
    return list(found.values())


# ---- the next page ----------------------------------------------------------------------
_NEXT_WORDS = re.compile(r"^(?:下一页|下页|后一页|后页|next|next page|›|»|>|>>)$", re.I)
_PAGE_QUERY_KEYS = ("pageNum", "pageNo", "pageno", "pageIndex", "page", "curPage", "currentPage", "p", "pn")
_PATH_PAGE = re.compile(r"^(?P<stem>.*/[\w-]*?)_(?P<n>\d+)\.(?P<ext>s?html?|jhtml)$")
_PATH_FIRST = re.compile(r"^(?P<stem>.*/[\w-]+)\.(?P<ext>s?html?|jhtml)$")


def trs_next_page(html: str, current_url: str) -> str | None:
    """The next listing URL from a TRS ``createPageHTML`` call, or None on the last page.

    Two forms are written: ``createPageHTML(total, current, "index", "html")`` (pages
    ``index.html``, ``index_1.html`` …, current counted from 0) and nhc.gov.cn's
    ``createPageHTML('page_div', total, current, 'list', 'shtml', count)`` (current from 1,
    pages ``list.shtml``, ``list_2.shtml`` …).
    """
    m = TRS_PAGER.search(html)
    if not m:
        return None
    total, current, stem, ext = int(m["total"]), int(m["current"]), m["stem"], m["ext"]
    one_based = m[0].split("(", 1)[1].lstrip().startswith(("'", '"'))
    directory = current_url.split("?", 1)[0].rsplit("/", 1)[0]
    if one_based:
        return f"{directory}/{stem}_{current + 1}.{ext}" if current < total else None
    return f"{directory}/{stem}_{current + 1}.{ext}" if current + 1 < total else None


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for key in _PAGE_QUERY_KEYS:
        if key in query and query[key].isdigit():
            return int(query[key])
    m = _PATH_PAGE.match(parts.path)
    return int(m["n"]) if m else None


def _strip_page(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _PAGE_QUERY_KEYS]
    path = parts.path
    m = _PATH_PAGE.match(path)
    if m:
        path = f"{m['stem']}.{m['ext']}"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def successor_urls(url: str) -> list[str]:
    """The URLs the page after this one may have, under the common pagination schemes."""
    parts = urlsplit(url)
    out: list[str] = []
    query = parse_qsl(parts.query)
    for key in _PAGE_QUERY_KEYS:
        for i, (k, v) in enumerate(query):
            if k == key and v.isdigit():
                q = list(query)
                q[i] = (k, str(int(v) + 1))
                out.append(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(q), "")))
    m = _PATH_PAGE.match(parts.path)
    if m:
        path = f"{m['stem']}_{int(m['n']) + 1}.{m['ext']}"
        out.append(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")))
    else:
        path = parts.path if not parts.path.endswith("/") else parts.path + "index.html"
        first = _PATH_FIRST.match(path)
        if first:
            # index.html -> index_1.html (TRS, 0-based) or index_2.html (list_N, 1-based)
            for n in (1, 2):
                out.append(urlunsplit((parts.scheme, parts.netloc, f"{first['stem']}_{n}.{first['ext']}", parts.query, "")))
    return out


def next_page(root: etree._Element, html: str, url: str) -> str | None:
    for a in root.iter("a"):
        words = (_text(a) or a.get("title") or "").strip()
        if _NEXT_WORDS.match(words) or _NEXT_WORDS.match((a.get("title") or "").strip()):
            href = (a.get("href") or "").strip()
            if href and not _NOT_A_PAGE.search(href):
                target = urldefrag(urljoin(url, html_lib.unescape(href)))[0]
                if target != url:
                    return target
    wanted = successor_urls(url)
    if wanted:
        links = {urldefrag(urljoin(url, html_lib.unescape(a.get("href") or "")))[0] for a in root.iter("a") if a.get("href")}
        for candidate in wanted:
            if candidate in links:
                return candidate
    return trs_next_page(html, url)
