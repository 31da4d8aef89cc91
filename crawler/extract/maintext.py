"""The notice's running text, one paragraph per line, via trafilatura.

Two things trafilatura gets wrong on Chinese government and aggregator pages are fixed
on the tree before it runs:

* layout tables (the whole article inside ``<table><tr><td>``, common on TRS, DedeCMS
  and old gov.cn pages) come out as one flattened pipe row, or not at all with
  ``include_tables=False``; they are turned into plain blocks first, so that only real
  data tables stay tables;
* the 信息公开 metadata block (索引号 / 发布机构 / 文号 …) is removed, whatever markup
  it uses, instead of dropping every table: data tables inside a notice are text.

When the page has a known body container (``#zoom``, ``.TRS_Editor`` … or the source's
own selector), only that subtree is handed to trafilatura: site chrome cannot leak in,
and a three-line 公告 is not outweighed by a sidebar of news. The title and header lines
(文号, 发布时间) between the title heading and the container are read plainly and put
on top, because the 文号 under the title is how a page names its own number.
"""
from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from crawler.extract.htmltree import Html, as_tree

# Body containers of the common Chinese government CMSs (TRS, Hanweb, UCAP), most
# specific first.
KNOWN_CONTAINERS = (
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".TRS_UEDITOR",
    ".trs_editor_view",
    ".pages_content",
    ".Custom_UnionStyle",
    "#zoom",
    "#Zoom",
    ".article-content",
    ".article_content",
    "#article-content",
)
# A container holding less than this is a stub (an empty div, a summary): ignore it.
_MIN_CONTAINER_CHARS = 40

META_LABELS = (
    "索引号", "发布机构", "发文机关", "发文单位", "成文日期", "发布日期", "发文日期", "文号",
    "发文字号", "主题分类", "公文种类", "公开方式", "公开范围", "有效性", "信息名称", "生效日期",
    "废止日期", "体裁分类", "组配分类", "服务对象",
)
_MAX_META_BLOCK_CHARS = 600
# text a wrapper of the metadata block may add (a 主题词 row, a caption) and still be part of it
_META_WRAPPER_SLACK = 60
_INNER_WS = re.compile(r"[ \t\r\f\v\u3000\xa0\u2002\u2003]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\ufeff]")

_BLOCK_TAGS = {
    "p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "blockquote", "pre", "form",
}
_LAYOUT_CELL_CHARS = 150

_TUNED = dict(
    output_format="txt",
    include_comments=False,
    include_tables=True,  # the metadata table is removed beforehand; data tables are text
    include_images=False,
    include_links=False,
    favor_recall=True,  # policy pages are short and list-like: precision mode drops clauses
    deduplicate=False,
)


def _squeezed(el: etree._Element) -> str:
    # str.split() drops exactly what \s matches, at twice the speed of a regex
    return "".join(el.text_content().split())


def meta_label_count(text: str) -> int:
    return sum(1 for label in META_LABELS if label in text)


def drop_meta_blocks(root: etree._Element) -> None:
    """Remove the 信息公开 metadata block(s), whatever markup they use.

    A block's core is the smallest element holding 3+ labels in little text; it grows to
    the ancestors that add little text of their own (a wrapper, a second table of the
    same block), never to one that also holds the notice: on a short notice the whole
    page wrapper can hold under 600 characters and 3+ labels.
    """
    blocks = [el for el in root.iter(*_BLOCK_CONTAINERS) if _is_meta_block(el)]
    holding = {anc for el in blocks for anc in el.iterancestors()}
    cores = [el for el in blocks if el not in holding]
    tops: list[etree._Element] = []
    for core in cores:
        top, size = core, len(_squeezed(core))
        for anc in core.iterancestors():
            if anc.tag in ("body", "html") or len(_squeezed(anc)) > size + _META_WRAPPER_SLACK:
                break
            top = anc
        if top not in tops:
            tops.append(top)
    for el in tops:
        if el.getparent() is not None and not any(anc in tops for anc in el.iterancestors()):
            el.drop_tree()


_BLOCK_CONTAINERS = ("table", "div", "ul", "dl", "section")


def _is_meta_block(el: etree._Element) -> bool:
    text = _squeezed(el)
    return len(text) <= _MAX_META_BLOCK_CHARS and meta_label_count(text) >= 3


def _own_cells(table: etree._Element) -> list[etree._Element]:
    """Cells of this table, not of tables nested in it."""
    return [c for c in table.iter("td", "th") if next(c.iterancestors("table")) is table]


def _is_layout_table(table: etree._Element) -> bool:
    for cell in _own_cells(table):
        blocks = [d for d in cell.iterdescendants() if isinstance(d.tag, str) and d.tag in _BLOCK_TAGS]
        # Word-exported data tables wrap each cell in one <p>; layout cells hold an article
        if len(blocks) >= 2 or any(b.tag != "p" for b in blocks):
            return True
        if len(_squeezed(cell)) > _LAYOUT_CELL_CHARS:
            return True
    return False


def unwrap_layout_tables(root: etree._Element) -> None:
    """Turn tables used for page layout into divs; data tables stay tables."""
    layout = [t for t in root.iter("table") if _is_layout_table(t)]
    renames: list[etree._Element] = []
    for table in layout:
        renames.append(table)
        renames.extend(
            el
            for el in table.iter("tbody", "thead", "tfoot", "tr", "td", "th", "caption")
            if next(el.iterancestors("table")) is table
        )
    for el in renames:
        el.tag = "div"
        for attr in ("colspan", "rowspan", "width", "valign", "align"):
            el.attrib.pop(attr, None)


@lru_cache(maxsize=256)
def _selector(css: str) -> CSSSelector | None:
    try:
        return CSSSelector(css)
    except Exception:  # a bad selector in the registry must not kill the page
        return None


# The known containers are plain #id and .class selectors: they are found from the page's
# id and class values, read in one walk of the tree (each selector's XPath walked it
# once more, the costliest step of the cleaning).
assert all(css[0] in "#." and css[1:].replace("-", "").replace("_", "").isalnum() for css in KNOWN_CONTAINERS)
_ID_OR_CLASS = etree.XPath("//@id|//@class")
_BY_ID = {css[1:]: css for css in KNOWN_CONTAINERS if css[0] == "#"}
_BY_CLASS = {css[1:]: css for css in KNOWN_CONTAINERS if css[0] == "."}
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits on, as CSS does


def _known_containers(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Elements matching each known container selector, in document order."""
    hits: dict[str, list[etree._Element]] = {}
    for value in _ID_OR_CLASS(root):
        if value.attrname == "id":
            names = [_BY_ID[value]] if value in _BY_ID else []
        elif any(name in value for name in _BY_CLASS):
            names = [_BY_CLASS[t] for t in dict.fromkeys(_XML_SPACE.split(value)) if t in _BY_CLASS]
        else:
            continue
        for css in names:
            el = value.getparent()
            found = hits.setdefault(css, [])
            if not found or found[-1] is not el:
                found.append(el)
    return hits


def _largest(matches: list[etree._Element]) -> etree._Element | None:
    """The match holding the most text (the first of equals), unless all are stubs."""
    best, best_len = None, _MIN_CONTAINER_CHARS - 1
    for m in matches:
        size = len(_squeezed(m))
        if size > best_len:
            best, best_len = m, size
    return best


def find_container(root: etree._Element, container: str | None = None) -> etree._Element | None:
    """The body container: the source's selector first, then the known CMS ones."""
    compiled = _selector(container) if container else None
    if compiled is not None and (found := _largest(compiled(root))) is not None:
        return found
    hits = _known_containers(root)
    for css in KNOWN_CONTAINERS if hits else ():
        if (found := _largest(hits.get(css, []))) is not None:
            return found
    return None


def _subtree_document(el: etree._Element) -> etree._Element:
    doc = lxml_html.document_fromstring("<html><body></body></html>")
    copy = deepcopy(el)
    copy.tail = None
    doc.find("body").append(copy)
    return doc


def _run(tree: etree._Element, url: str | None, **options) -> str:
    text = trafilatura.extract(tree, url=url, **options)
    return normalize_lines(text or "")


def normalize_lines(text: str) -> str:
    """One paragraph per line: runs of spaces (incl. \\u3000, \\xa0) become one, no empty lines."""
    lines = (_INNER_WS.sub(" ", line).strip() for line in _INVISIBLE.sub("", text).splitlines())
    return "\n".join(line for line in lines if line)


_HEADING = re.compile(r"^h[1-3]$")
_TITLE_CLASS = re.compile(r"title|biaoti|(?:^|[\s_-])bt(?:[\s_-]|$)", re.I)
_SCOPE_SLACK = 1500  # chars of title, header and chrome an article scope may add


def _is_heading(el: etree._Element) -> bool:
    if not isinstance(el.tag, str):
        return False
    if _HEADING.match(el.tag):
        return len(_squeezed(el)) >= 6
    cls = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(_TITLE_CLASS.search(cls)) and 6 <= len(_squeezed(el)) <= 120


def title_heading(container: etree._Element) -> etree._Element | None:
    """The title heading above the body container, when it sits in the same article:
    the nearest ancestor holding a heading before the container, unless that ancestor
    holds much more than a title and a header block."""
    budget = len(_squeezed(container)) + _SCOPE_SLACK
    for anc in container.iterancestors():
        if anc.tag in ("body", "html") or len(_squeezed(anc)) > budget:
            return None
        heading = None
        for el in anc.iter():
            if el is container:
                break
            if _is_heading(el):
                heading = el  # the last one before the body: nearest to it
        if heading is not None:
            return heading
    return None


_MAX_PREAMBLE_LINES = 8
_MAX_PREAMBLE_LINE = 200


def preamble_lines(container: etree._Element) -> list[str]:
    """The title and header lines (文号, dates) between the title heading and the body
    container: they sit outside the container but belong to the notice."""
    heading = title_heading(container)
    if heading is None:
        return []
    scope = next(a for a in heading.iterancestors() if container in a.iterdescendants())
    heading.set("data-pa-mark", "heading")
    container.set("data-pa-mark", "body")
    try:
        part = deepcopy(scope)
    finally:
        del heading.attrib["data-pa-mark"]
        del container.attrib["data-pa-mark"]
    head = part.xpath(".//*[@data-pa-mark='heading']")[0]
    body = part.xpath(".//*[@data-pa-mark='body']")[0]
    _cut(body, part, before=False)
    _cut(head, part, before=True)
    lines = normalize_lines(plain_lines(part)).splitlines()
    if len(lines) > _MAX_PREAMBLE_LINES or any(len(line) > _MAX_PREAMBLE_LINE for line in lines):
        return []  # not a title block: running text sits between heading and body
    return lines


def _cut(el: etree._Element, top: etree._Element, *, before: bool) -> None:
    """Remove everything of ``top`` before ``el`` (``before``) or from ``el`` on."""
    node = el
    while node is not top:
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=before)):
            parent.remove(sib)
        if before:
            parent.text = None
        node = parent
    if not before:
        el.getparent().remove(el)


def prepare_tree(html: Html, container: str | None = None) -> tuple[etree._Element | None, etree._Element | None]:
    """The cleaned page tree, and its body container if one was found. A tree passed in
    is cleaned in place (the caller has read what it needs from it first)."""
    root = as_tree(html)
    if root is None:
        return None, None
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()  # keeps the text that follows it
    drop_meta_blocks(root)
    unwrap_layout_tables(root)
    return root, find_container(root, container)


def main_text(html: Html, url: str | None = None, *, container: str | None = None) -> str:
    """The page's main text, paragraphs as lines, tuned for policy pages. A tree passed
    in is used up: cleaned in place, and handed to trafilatura, which prunes it."""
    root, found = prepare_tree(html, container)
    if root is None:
        return ""
    if found is None:
        return _run(root, url, **_TUNED)
    # fast: trafilatura's fallback extractors (jusText, readability) re-read the subtree to
    # second-guess its choice of the main block, and a body container is that block
    # already; a tenth of a page's extraction time, and no page of the eval changed.
    body = _run(_subtree_document(found), url, fast=True, **_TUNED)
    if not body:
        # trafilatura kept nothing of a known body container: read the container plainly
        body = normalize_lines(plain_lines(found))  # trafilatura had a copy: found is intact
    head = body.split("\n", 5)[:5]
    pre = [line for line in preamble_lines(found) if line not in head]
    return "\n".join([*pre, body]) if pre else body


def plain_lines(tree: etree._Element) -> str:
    """Every text block of a tree on its own line (``<br>`` and block ends break lines).
    Works on a copy: the caller's tree keeps its text."""
    tree = deepcopy(tree)
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in tree.iter(*_BLOCK_TAGS, "li", "tr", "dt", "dd"):
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    return tree.text_content()
