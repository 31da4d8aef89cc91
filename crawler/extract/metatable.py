"""The 信息公开 metadata table (索引号 / 发布机构 / 文号 / 发布日期 …) of a government page.

Layouts vary (a <table>, <ul>/<li>, <dl>/<dt>/<dd>, <div>/<span> pairs, several pairs in one
row, "label：value" in one cell), so the page is flattened into a sequence of text cells and
read as label, value, label, value. A cell that is itself a label is never a value: an
empty 文号 cell must not swallow the next label ('来 源：').
"""
from __future__ import annotations

import re

from lxml import etree

from crawler.extract.htmltree import Html, parse_html

# Canonical key → labels (compared with all whitespace removed).
_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "信息索引号", "索取号"),
    "agency": ("发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "制发机关", "成文单位"),
    "signed_date": ("成文日期", "成文时间"),
    "published_date": ("发布日期", "公开日期", "发文日期", "发布时间", "公开时间"),
    "doc_number": ("文号", "发文字号", "文件编号", "发文文号", "文件字号"),
    "category": ("主题分类", "公开目录", "分类", "所属分类", "信息分类", "主题类别", "类别"),
    "title": ("标题", "名称", "文件名称", "信息名称", "文件标题"),
    "doc_kind": ("公文种类", "体裁分类", "文种", "体裁"),
    "validity": ("有效性", "时效", "时效性", "效力状态"),
}
# Labels of cells we do not keep; knowing them stops them being taken for a value.
_OTHER_LABELS = (
    "来源", "信息来源", "浏览量", "浏览次数", "访问量", "点击率", "点击数", "阅读数", "字号", "作者",
    "生效日期", "废止日期", "失效日期", "实施日期", "主题词", "关键词", "关键字", "内容概述", "摘要",
    "组配分类", "服务对象", "所属机构", "统一编号", "登记号", "责任部门", "公开方式", "公开范围",
    "公开时限", "信息格式", "载体类型", "语种", "备注", "更新时间", "更新日期", "日期", "时间", "打印",
    "关闭", "签发人", "公开形式", "主办单位", "所属主题", "信息有效性",
)
# Common words in any table (a body table's header row says 名称 / 类别): kept only near a
# label that only a metadata table uses.
_WEAK_LABELS = {"分类", "类别", "名称", "标题", "体裁", "文种", "时效"}
_WEAK_WINDOW = 12
_KEY_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_ALL_LABELS = sorted({*_KEY_OF, *_OTHER_LABELS}, key=len, reverse=True)

_WS = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
_BRACKETS = "【】[]〔〕"
_COLON = ":："
# A label written inside a cell, followed by a colon and (maybe) its value.
_INLINE_LABEL = re.compile(
    "(?:^|(?<=[\\s|｜;；,，]))[【\\[]?(?P<label>"
    + "|".join("[\\s\u3000\xa0]*".join(map(re.escape, label)) for label in _ALL_LABELS)
    + ")[】\\]]?[\\s\u3000\xa0]*[:：]"
)
# An unknown short "xxx：" cell is a label too (we just do not keep it).
_UNKNOWN_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]$")

_SKIP_TAGS = {"script", "style", "noscript", "select", "option", "template", "head", "title", "button"}
_LEAF_CELLS = {"td", "th", "dt", "dd"}
_BLOCKISH = {"table", "tr", "ul", "ol", "li", "dl", "div", "p", "td", "th", "dt", "dd", "section", "article"}


def _squash(s: str) -> str:
    # = _WS.sub("", s): str.split() drops what \s matches (\u3000 and \xa0 included)
    return "".join(s.split()).replace("\u200b", "").replace("\ufeff", "")


def _label_of(cell: str) -> str | None:
    """The label a whole cell names ('文\xa0\xa0号：' → '文号'), or None."""
    s = _squash(cell).strip(_BRACKETS).rstrip(_COLON).strip(_BRACKETS)
    if s in _KEY_OF or s in _OTHER_LABELS:
        return s
    if _UNKNOWN_LABEL.match(_squash(cell)):
        return s
    return None


def _clean_value(s: str) -> str:
    return _WS.sub(" ", s).strip(" :：|｜")


def _cells_from_tree(root) -> list[str]:
    """Text cells in document order: a table/list cell whole, other elements piece by piece."""
    cells: list[str] = []
    add = cells.append

    def walk(el) -> None:  # runs on every element of the page: kept lean
        tag = el.tag
        if not isinstance(tag, str):
            return
        tag = tag.lower()
        if tag in _SKIP_TAGS:
            return
        if tag in _LEAF_CELLS and not any(
            isinstance(c.tag, str) and c.tag.lower() in _BLOCKISH for c in el.iterdescendants()
        ):
            add(el.text_content())
            return
        if el.text:
            add(el.text)
        for child in el:
            walk(child)
            if child.tail:
                add(child.tail)

    walk(root)
    return [c for c in cells if c.strip(" \t\r\n\u3000\xa0")]


def _cells_from_text(text: str) -> list[str]:
    """Plain text (trafilatura's pipe table, '索引号 | … | 发布机构 | … |'): cells split on | and lines."""
    return [c for c in re.split(r"[|｜\n]", text) if c.strip(" \t\r\u3000\xa0")]


def _split_inline(cell: str) -> list[str]:
    """'索引号：X 发布机构：Y' → ['索引号：', 'X', '发布机构：', 'Y']; other cells unchanged."""
    if ":" not in cell and "：" not in cell:
        return [cell]  # every inline label ends with a colon: most cells of a page have none
    matches = list(_INLINE_LABEL.finditer(cell))
    if not matches:
        return [cell]
    parts: list[str] = []
    head = cell[: matches[0].start()]
    if head.strip():
        parts.append(head)
    for i, m in enumerate(matches):
        parts.append(m.group(0).strip())
        end = matches[i + 1].start() if i + 1 < len(matches) else len(cell)
        value = cell[m.end() : end]
        if value.strip(" \t\r\n\u3000\xa0"):
            parts.append(value)
    return parts


def is_markup(text: str) -> bool:
    """HTML, as opposed to plain text (read as cells split on | and lines)."""
    return "<" in text and re.search(r"<[a-zA-Z!/]", text) is not None


def parse_meta_table(html: Html) -> dict[str, str]:
    """Canonical metadata keys → raw values as written (stripped); the first occurrence wins.
    ``html`` is a page (text or its tree, read, never changed) or plain text."""
    if isinstance(html, etree._Element):
        raw_cells = _cells_from_tree(html)
    elif not html or not html.strip():
        return {}
    elif is_markup(html):
        root = parse_html(html)
        if root is None:
            return {}
        raw_cells = _cells_from_tree(root)
    else:
        raw_cells = _cells_from_text(html)
    cells = [part for cell in raw_cells for part in _split_inline(cell)]

    labels = [_label_of(c) for c in cells]
    strong = [i for i, lb in enumerate(labels) if lb in _KEY_OF and lb not in _WEAK_LABELS]
    result: dict[str, str] = {}
    i = 0
    while i < len(cells):
        label = labels[i]
        if label is None:
            i += 1
            continue
        if label in _WEAK_LABELS and not any(abs(i - j) <= _WEAK_WINDOW for j in strong):
            i += 1
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is None or labels[i + 1] is not None:
            i += 1  # an empty value: the next cell is another label
            continue
        key = _KEY_OF.get(label)
        value = _clean_value(nxt)
        if key and value and key not in result:
            result[key] = value
        i += 2
    return result
