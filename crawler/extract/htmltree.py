"""Parse a decoded page into one lxml tree, whatever its markup got wrong.

Two faults of real pages lose the article with a plain ``document_fromstring``:

* an XML declaration in a ``str`` (re-saved XHTML pages): lxml refuses it, so the page
  is parsed again from UTF-8 bytes;
* a header template that closes ``</html>`` before the article (gov.cn 公报 pages
  include a whole header document): libxml2 puts everything after it into a second
  ``<html>`` root beside the first, which XPath and trafilatura never look at. Those
  stray roots are folded back into the first one's ``<body>``.

And one fault of hostile ones: libxml2 stops building the tree 256 elements deep (and
2,048 deep with ``huge_tree``), dropping everything below, so a page nested deeper gave
empty text without a word. Such a page is parsed again with the excess nesting taken out
(``flatten_nesting``): its text stays, in order.
"""
from __future__ import annotations

import re
import threading
from collections import Counter

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

from crawler.extract.decode import xml_safe

_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8")
# Each thread's own parser (lxml's default one, as ``document_fromstring`` uses, but whose
# error log only this thread's parses write): how a too-deep page is noticed.
_local = threading.local()
# Well under libxml2's 256: trafilatura and our own steps then see an ordinary tree.
FLAT_DEPTH = 200
_DEPTH_ERROR = "Excessive depth"

# A decoded page, or its tree when the caller already parsed it: every step of one page
# shares one parse (parsing is a fifth of bare trafilatura's time on a page).
Html = str | etree._Element


def as_tree(page: Html | None) -> etree._Element | None:
    """The page's tree: parsed from text, or the caller's own tree as it is."""
    if isinstance(page, etree._Element):
        return page
    return parse_html(page) if page else None


def document_roots(root: etree._Element) -> list[etree._Element]:
    """``root`` and the stray document-level roots beside it (none once ``parse_html``
    merged them; a tree parsed elsewhere, e.g. by Scrapy, may still have them)."""
    return [root, *(el for el in root.itersiblings() if isinstance(el.tag, str))]


def parse_html(html: str) -> etree._Element | None:
    """The page's root element, with stray roots after a premature ``</html>`` merged in;
    None for an empty or unparsable page."""
    if not html or not html.strip():
        return None
    html = xml_safe(html)
    root, too_deep = _parse(html)
    if too_deep:
        root, _ = _parse(flatten_nesting(html, FLAT_DEPTH))
    if root is not None:
        merge_stray_roots(root)
    return root


def _parse(html: str) -> tuple[etree._Element | None, bool]:
    """The tree, and whether libxml2 stopped at its depth limit on the way."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = lxml_html.HTMLParser()
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
        log = parser.error_log
    except (ParserError, ValueError):
        # lxml refuses str input that carries an XML encoding declaration
        try:
            root = lxml_html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER)
            log = _UTF8_PARSER.error_log
        except (ParserError, ValueError):
            return None, False
    return root, any(_DEPTH_ERROR in entry.message for entry in log)


def merge_stray_roots(root: etree._Element) -> None:
    """Move the content of ``<html>`` elements that follow ``root`` (siblings at the
    document level) into ``root``'s body, in order."""
    strays = [el for el in root.itersiblings() if isinstance(el.tag, str)]
    if not strays:
        return
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    head = root.find("head")
    for stray in strays:
        if stray.text and stray.text.strip():
            _append_text(body, stray.text)
        for child in list(stray):
            if child.tag == "head" and head is not None:
                head.extend(list(child))
            elif child.tag == "body":
                if child.text and child.text.strip():
                    _append_text(body, child.text)
                body.extend(list(child))
            else:
                body.append(child)  # the tail moves with the element
        # a document-level sibling cannot be removed from the tree: emptied, it is inert
        stray.attrib.clear()
        stray.text = None


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose bounds are the text's own (paragraphs, headings, tables): kept a little
# deeper than mere wrappers, so the flattened page keeps its paragraphs apart.
_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 li table tbody thead tr td th pre blockquote title".split())
_BLOCK_ROOM = 40


def flatten_nesting(html: str, limit: int) -> str:
    """The markup with every wrapper element that would open more than ``limit`` deep
    taken out (its start and end tags; its text and children stay where they were);
    paragraphs, headings and table parts go ``_BLOCK_ROOM`` deeper first. Counted from
    the tags as written, so a page of unclosed ``<p>`` may lose a few wrappers early:
    only for pages libxml2 could not read whole anyway."""
    kept: list[str] = []
    depth, dropped, at = 0, Counter[str](), 0
    for tag in _TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID or tag.group(0).endswith("/>"):
            continue
        if not closing:
            if depth < limit + (_BLOCK_ROOM if name in _BLOCKS else 0):
                depth += 1
                continue
            dropped[name] += 1
        elif dropped[name]:
            dropped[name] -= 1
        else:
            depth = max(0, depth - 1)
            continue
        kept.append(html[at:tag.start()])
        at = tag.end()
    kept.append(html[at:])
    return "".join(kept)
