"""附件 links, read from the raw page before trafilatura drops their block.

trafilatura discards any block whose class or id says ``attachment``, which is where
government CMSs put 附件; and an attachment often carries the real text of a notice whose
page body is two lines. So they are collected from the whole page, here.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from crawler.extract.htmltree import Html, as_tree, document_roots
from crawler.extract.attachment.kinds import LINK_EXTENSIONS, kind_of_extension
from crawler.extract.model import AttachmentLink

_EXT = re.compile(r"\.(" + "|".join(LINK_EXTENSIONS) + r")$", re.I)
# a file name inside a query string: download.jsp?file=/upload/a.pdf&x=1
_EXT_IN_QUERY = re.compile(r"\.(" + "|".join(LINK_EXTENSIONS) + r")(?=$|[&#;])", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
_WS = re.compile(r"\s+")
_DOWNLOAD_URL = re.compile(r"down|attach|file|upload|fujian|/fj/|getfile|\.(jsp|do|aspx?|php)\?", re.I)


def _kind_of(url: str) -> str | None:
    parts = urlsplit(url)
    m = _EXT.search(unquote(parts.path))
    if m:
        return m.group(1).lower()
    m = _EXT_IN_QUERY.search(unquote(parts.query))
    return m.group(1).lower() if m else None


def _text_kind(text: str) -> str | None:
    m = _EXT.search(text.strip().rstrip(")）]】"))
    return m.group(1).lower() if m else None


_EXT_ANYWHERE = re.compile(r"\.(?:" + "|".join(LINK_EXTENSIONS) + r")", re.I)


# a dot or an ASCII letter written as a percent escape or a character reference: an
# extension could hide behind one
_ESCAPED = re.compile(r"%(?:2e|[4-7][0-9a-f])|&#0*46;|&#x0*2e;|&period;|&#0*(?:6[5-9]|[7-9][0-9]|1[01][0-9]|12[0-2]);"
                      r"|&#x0*[4-7][0-9a-f];", re.I)


def may_link_attachments(html: str) -> bool:
    """False when no link of the page can be an attachment: a link counts by a file
    extension in its href or its text, so a page that names none anywhere (not even
    behind an escape) links none, and needs no tree to know it."""
    return bool(_EXT_ANYWHERE.search(html) or _ESCAPED.search(html))


def _may_name_file(href: str) -> bool:
    """False when no URL joined from ``href`` can end in, or query, a file extension:
    it names none, and it has a path of its own (a bare "?…" keeps the base's path)."""
    if href[0] in "?;":
        return True
    return bool(_EXT_ANYWHERE.search(unquote(href) if "%" in href else href))


_QUERY_FILE = re.compile(r"([^=&/\\]+\.(?:" + "|".join(LINK_EXTENSIONS) + r"))(?=$|[&#;])", re.I)


def _name_from_url(url: str) -> str:
    """The file name a URL serves: its path's last part, or one named in its query."""
    parts = urlsplit(url)
    base = unquote(parts.path).rsplit("/", 1)[-1]
    if _EXT.search(base):
        return base
    m = _QUERY_FILE.search(unquote(parts.query))
    return m.group(1) if m else base


def attachment_links(html: Html, base_url: str | None, *, text: str | None = None) -> list[AttachmentLink]:
    """Links to attachment files (by the href's extension or the link text's), absolute,
    de-duplicated by URL, in page order. Embedded documents (iframe/embed/object) count.
    ``html`` is the decoded page or its tree (read, never changed); ``text``, the page's
    text when ``html`` is its tree. A page whose text names no file (may_link_attachments)
    is answered without parsing it or walking its links."""
    page_text = html if isinstance(html, str) else text
    if page_text is not None and not may_link_attachments(page_text):
        return []
    root = as_tree(html)
    if root is None:
        return []
    roots = document_roots(root)

    base = base_url or ""
    base_el = next((el for top in roots for el in top.iterfind(".//base[@href]")), None)
    if base_el is not None:
        base = urljoin(base, base_el.get("href").strip())

    found: dict[str, AttachmentLink] = {}
    for el in (el for top in roots for el in top.iter("a", "iframe", "embed", "object")):
        href = el.get("href") if el.tag == "a" else (el.get("src") or el.get("data"))
        if not href:
            continue
        href = href.strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            continue
        name = _WS.sub(" ", el.text_content() if el.tag == "a" else "").strip()
        title = (el.get("title") or "").strip()
        if not _may_name_file(href) and not (_text_kind(name) or _text_kind(title)):
            continue  # most links of a page: no file in sight, no URL to join
        url = urljoin(base, href) if base else href
        kind = _kind_of(url)
        if kind is None:
            # the link text names a file: only an attachment when the URL serves files
            # (a doc-sharing site's "相关资源" links to other pages end in .docx too)
            kind = _text_kind(name) or _text_kind(title)
            if kind is None or not (_DOWNLOAD_URL.search(url) or name.startswith("附件")):
                continue
        if not name or name.startswith(("附件", "下载")) and len(name) <= 4:
            # "附件2", "下载": the title attribute or the file name says more
            from_url = _name_from_url(url)
            meaningful = _EXT.search(from_url) and re.search(r"[\u4e00-\u9fff]", from_url)
            name = title or (from_url if meaningful else "") or name or from_url
        link = AttachmentLink(url=url, name=name or _name_from_url(url), kind=kind_of_extension(kind))
        known = found.get(url)
        if known is None:
            found[url] = link
        elif not known.name or known.name == _name_from_url(url):
            found[url] = AttachmentLink(url=url, name=link.name, kind=known.kind)
    return list(found.values())
