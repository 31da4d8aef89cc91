"""Where Word's and Excel's "save as web page" files are read (sites serve them as .doc
or .xls); any other HTML page behind an attachment link (a login or error page) is no
document and has no text."""
from __future__ import annotations

import re

from lxml import etree

from crawler.extract.attachment.cleaning import CJK_CHAR, clean_text
from crawler.extract.attachment.limits import AttachmentError, one_line

# Word's "save as web page" files are served as .doc; a login or error page is not a document
_OFFICE_HTML = re.compile(
    rb"urn:schemas-microsoft-com:office:(word|excel)"
    rb"|<meta\s+name=\"?(ProgId|Generator)\"?\s+content=\"?(Word|Excel|Microsoft)",
    re.I,
)


def office_html_text(body: bytes) -> str:
    if not _OFFICE_HTML.search(body[:20000]):
        return ""
    from lxml import html as lxml_html

    from crawler.extract.decode import decode_html, xml_safe

    text, _ = decode_html(body, None)
    text = xml_safe(text)
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise AttachmentError(f"unreadable Office HTML: {one_line(exc)}") from None
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr"):
        if el.tag == "tr":
            blocks.append("\t".join(_inline(td.text_content()) for td in el.iter("td", "th")))
        elif not any(a.tag in ("td", "th") for a in el.iterancestors()):
            blocks.append(_inline(el.text_content()))
    return clean_text("\n".join(blocks))


def _inline(text: str) -> str:
    """An HTML block's text on one line: the source's line wraps become a space, or
    nothing between two Chinese characters (as a browser shows them)."""
    words = text.split()
    out = words[:1]
    for word in words[1:]:
        out.append(word if CJK_CHAR.match(out[-1][-1:]) and CJK_CHAR.match(word[:1]) else " " + word)
    return "".join(out)

