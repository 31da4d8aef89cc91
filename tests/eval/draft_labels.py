"""Draft the labels of a saved page for corpus/labels.toml, to be read and corrected by hand.

``python tests/eval/draft_labels.py PAGE.html [--container XPATH] [--gold OUT.txt]``

Independent of ``crawler.extract`` on purpose (labels drafted by the extractor under test
would grade it on its own answers): plain lxml, the page's own 信息公开 table (label cell,
value cell) and its article container read one block per line. It prints a TOML stanza;
the gold body goes to ``--gold``. Nothing here decides a label: every draft is read
against the page before it is committed.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from lxml import html as lxml_html

# the 信息公开 table labels, as printed (padding removed), and the field each one fills
TABLE_LABELS = {
    "索引号": "index_number",
    "发文机关": "agency",
    "发布机构": "agency",
    "成文日期": "signed_date",
    "标题": "title",
    "名称": "title",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "published_date",
}
CONTAINERS = (
    '//*[@id="UCAP-CONTENT"]',
    '//*[@id="zoom"]',
    '//*[@id="vsb_content"]',
    '//*[contains(@class,"TRS_Editor")]',
    '//*[contains(@class,"TRS_UEDITOR")]',
    '//*[@id="ivs_content"]',
    '//*[contains(@class,"pages_content")]',
)
BLOCKS = ("p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "center", "section", "blockquote")
_PAD = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_DATE = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")


def decode(body: bytes) -> str:
    head = body[:4096].decode("ascii", "replace").lower()
    m = re.search(r"charset\s*=\s*[\"']?([a-z0-9_-]+)", head)
    declared = (m.group(1) if m else "utf-8").replace("gb2312", "gb18030").replace("gbk", "gb18030")
    for enc in (declared, "utf-8", "gb18030"):
        try:
            return body.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", "replace")


def tidy(text: str) -> str:
    return _PAD.sub(" ", text).strip()


def lines_of(el) -> list[str]:
    """The element's text, one block (paragraph, row, <br> line) per line."""
    el = lxml_html.fromstring(lxml_html.tostring(el, encoding="unicode"))
    for bad in el.xpath(".//script|.//style"):
        bad.drop_tree()
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in el.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
        if block.text:
            block.text = "\n" + block.text
        else:
            block.text = "\n"
    for cell in el.iter("td", "th"):
        cell.tail = " " + (cell.tail or "")
    return [t for t in (tidy(line) for line in el.text_content().split("\n")) if t]


def table_fields(root) -> dict[str, str]:
    found: dict[str, str] = {}
    for cell in root.iter("td", "th", "span", "li", "div", "b", "strong", "label"):
        label = _PAD.sub("", cell.text_content()).rstrip(":：")
        field = TABLE_LABELS.get(label)
        if not field or field in found:
            continue
        value = ""
        # the value may follow the label inside the same cell (<b>索引号:</b> 0145…)
        el = cell
        while not value and el is not None and el.tag in ("span", "b", "strong", "label"):
            value = tidy(el.tail or "")
            el = el.getparent()
        if not value:
            value_el = cell.getnext()
            if value_el is None and cell.getparent() is not None and cell.getparent().tag in ("b", "strong", "td"):
                value_el = cell.getparent().getnext()
            value = tidy(value_el.text_content()) if value_el is not None else ""
        if value:
            found[field] = value
    for name in ("signed_date", "published_date"):
        if name in found:
            m = _DATE.search(found[name])
            found[name] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else found[name]
    return found


def split_optional(lines: list[str], title: str | None, doc_number: str | None) -> tuple[list[str], list[str]]:
    """Leading lines that are pieces of the title, the 文号 or an order's heading."""
    squeeze = lambda s: unicodedata.normalize("NFKC", _PAD.sub("", s))  # noqa: E731
    t, d = squeeze(title or ""), squeeze(doc_number or "")
    optional = []
    for line in lines[:8]:
        s = squeeze(line)
        if (t and s in t) or (d and s == d) or s == "中华人民共和国国务院令" or re.fullmatch(r"第\d+号", s):
            optional.append(line)
            continue
        break
    return optional, lines[len(optional):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--container", help="XPath of the article container (default: the usual ones)")
    parser.add_argument("--gold", type=Path, help="write the gold body here")
    args = parser.parse_args(argv)

    text = decode(args.page.read_bytes())
    root = lxml_html.document_fromstring(text)
    fields = table_fields(root)
    if "title" not in fields:
        for xp in ('//meta[@name="ArticleTitle"]/@content', "//h1", "//title"):
            hit = root.xpath(xp)
            if hit:
                fields["title"] = tidy(hit[0] if isinstance(hit[0], str) else hit[0].text_content())
                break
    container = None
    for xp in [args.container] if args.container else CONTAINERS:
        hit = root.xpath(xp)
        if hit:
            container = hit[0]
            break
    lines = lines_of(container) if container is not None else []
    optional, gold = split_optional(lines, fields.get("title"), fields.get("doc_number"))
    if args.gold:
        args.gold.write_text("\n".join(gold) + "\n", "utf-8")
    out = sys.stdout
    for name in ("title", "doc_number", "agency", "signed_date", "published_date", "index_number"):
        if name in fields:
            value = fields[name]
            bare = name.endswith("_date") and re.fullmatch(r"\d{4}-\d\d-\d\d", value)
            out.write(f"{name} = {value}\n" if bare else f'{name} = "{value}"\n')
    out.write("optional = [" + ", ".join(f'"{line}"' for line in optional) + "]\n")
    out.write(f"# gold: {len(gold)} lines; first: {gold[:1]}; last: {gold[-1:]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
