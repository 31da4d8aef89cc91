"""One page in, one Extraction out: the function the pipeline and the CLI call.

Order of work: decode and parse once; from that one tree, the steps that only read it on
the pristine page (metadata table, page head, attachment links: trafilatura drops their
blocks), then the one that consumes it (main text: cleaning, then trafilatura), per
page part;
header facts from the raw text (an aggregator's 时间: line is boilerplate afterwards);
boilerplate and broken lines; title; then the metadata, each value with where it came
from in ``provenance``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from lxml import etree

from crawler.extract.attachments import attachment_links
from crawler.extract.boilerplate import join_broken_lines, strip_boilerplate
from crawler.extract.classify import doc_status, doc_type, topics
from crawler.extract.dates import parse_cn_date
from crawler.extract.decode import decode_html, xml_safe
from crawler.extract.docnumber import (
    cited_doc_numbers,
    normalize_doc_number,
    own_doc_number,
)
from crawler.extract.agency import clean_agency
from crawler.extract.fieldchoice import agency_short, choose_agency, published_date
from crawler.extract.htmltree import Html, as_tree
from crawler.extract.maintext import main_text
from crawler.extract.metatable import is_markup, parse_meta_table
from crawler.extract.model import AttachmentLink, Extraction
from crawler.extract.pagehead import page_head
from crawler.extract.patterns import ADDRESSEE_LINE
from crawler.extract.patterns import HEADER_LINES as _HEADER_LINES
from crawler.extract.region import region_of
from crawler.extract.signature import find_adoption, find_signature
from crawler.extract.title import clean_title, relatedness, title_from_cover_letter
from crawler.extract.title_candidate import clean_candidate, leading_tags

_INDEX_NUMBER = re.compile(r"索\s*引\s*号\s*[:：|｜]?\s*([\w-]{4,24}/\d{4}-\d{3,8})")
_CONTINUATION_REPEAT = 6  # leading lines of a continuation page that may repeat page 1


def _as_text(page: bytes | Html, declared: str | None = None) -> tuple[Html, str | None]:
    """The page as text every lxml step accepts (a stray control byte in a heading must
    not make the page unreadable); a tree stays as it is."""
    if isinstance(page, etree._Element):
        return page, None
    if isinstance(page, bytes):
        text, encoding = decode_html(page, declared)
        return xml_safe(text), encoding
    return xml_safe(page), None


def _pipe_table(raw_lines: list[str]) -> dict[str, str]:
    """A metadata table trafilatura flattened into pipe rows at the top of the text."""
    rows = []
    for line in raw_lines[:8]:
        if line.count("|") + line.count("｜") >= 2:
            rows.append(line)
        elif rows:
            break
    return parse_meta_table("\n".join(rows)) if rows else {}


def header_block(lines: list[str], title: str | None) -> str:
    """The lines between the title and the addressee line (文号, dates): where a page
    puts its own 文号 under the title."""
    top = lines[:_HEADER_LINES]
    start = 0
    if title:
        squeezed = "".join(title.split())
        flat = ["".join(line.split()) for line in top]
        hits = [i for i, line in enumerate(flat) if line == squeezed]
        hits = hits or [i for i, line in enumerate(flat) if squeezed in line]
        if hits:
            start = hits[-1] + 1
    end = next((i for i in range(start, len(top)) if ADDRESSEE_LINE.match(top[i])), None)
    if end is None:
        end = min(start + 3, len(top))
    return "\n".join(top[start:end])


def _continuation_text(raw: str, repeats: set[str], boilerplate: Sequence[str]) -> str:
    """A continuation page's text without the header it repeats from page 1 (its title,
    in whatever form, and header lines)."""
    lines = strip_boilerplate(raw, boilerplate).splitlines()
    k = 0
    while k < min(len(lines), _CONTINUATION_REPEAT) and (lines[k] in repeats or clean_candidate(lines[k]) in repeats):
        k += 1
    return "\n".join(lines[k:])


def _merge_attachments(groups: Sequence[list[AttachmentLink]]) -> list[AttachmentLink]:
    seen: dict[str, AttachmentLink] = {}
    for group in groups:
        for link in group:
            seen.setdefault(link.url, link)
    return list(seen.values())


# A page body this short (characters, no spaces) is a cover note for its attachment.
_COVER_NOTE_CHARS = 300


def _is_cover_note(text: str) -> bool:
    return len("".join(text.split())) < _COVER_NOTE_CHARS


def extract_page(
    body: bytes | Html,
    url: str | None = None,
    *,
    declared_encoding: str | None = None,
    more_pages: Sequence[bytes | str] = (),
    listing: Mapping[str, str] | None = None,
    boilerplate: Sequence[str] = (),
    container: str | None = None,
    region_hint: str | None = None,
    attachment_texts: Mapping[str, str] | None = None,
) -> Extraction:
    """Everything one notice page tells us; ``more_pages`` are its continuation pages.
    ``body`` is the raw page, its decoded text, or its tree (which extraction uses up).

    ``attachment_texts`` ({url: text}) are the texts of the page's attachments: when the
    page body is only a cover note, the attachment is the document and its text is
    appended to the body before any metadata is read.
    """
    listing = {k: v for k, v in (listing or {}).items() if v}
    html, encoding = _as_text(body, declared_encoding)
    prov: dict[str, str] = {}

    root = as_tree(html)
    # a page without markup is read as text, as parse_meta_table reads text
    table = {} if root is None else parse_meta_table(html if isinstance(html, str) and not is_markup(html) else root)
    head = page_head(root)
    attachment_groups = [attachment_links(root, url, text=html if isinstance(html, str) else None)]
    raw = main_text(root, url, container=container)  # uses the tree up: last
    raw_lines = raw.splitlines()
    table = table or _pipe_table(raw_lines)

    text = strip_boilerplate(raw, boilerplate)
    repeats = set(raw_lines) | set(text.splitlines())
    for key in ("h1", "html_title"):
        if head.get(key):
            repeats |= {head[key], clean_candidate(head[key])}
    repeats.discard(None)
    parts = [text]
    for page in more_pages:
        more_html = _as_text(page)[0]
        more_root = as_tree(more_html)
        attachment_groups.append(attachment_links(more_root, url, text=more_html if isinstance(more_html, str) else None))
        cont = _continuation_text(main_text(more_root, url, container=container), repeats, boilerplate)
        if cont:
            parts.append(cont)
    text = join_broken_lines("\n".join(p for p in parts if p))
    if attachment_texts and _is_cover_note(text):
        extra = [t.strip() for t in attachment_texts.values() if t and t.strip()]
        if extra:
            text = "\n".join([text, *extra]).strip()
            prov["text"] = "attachment"

    title, title_source = clean_title(
        html_title=head.get("html_title"),
        h1=head.get("h1"),
        table_title=table.get("title"),
        text=text,
        listing_title=listing.get("title"),
        meta_title=head.get("meta_title"),
    )
    if title:
        prov["title"] = title_source
    text = _drop_spam_lead(text, head, title)
    lines = text.splitlines()

    # 文号: own first, then what the text cites
    raw_title = {
        "h1": head.get("h1"), "meta": head.get("meta_title"), "html_title": head.get("html_title"),
        "listing": listing.get("title"),
    }.get(
        title_source, title
    )
    own, own_source = own_doc_number(
        table_value=table.get("doc_number"),
        header=header_block(lines, title),
        title=raw_title or title,
        text=text,
        attachment_names=[a.name for group in attachment_groups for a in group],
    )
    doc_number = own.normalized if own else None
    doc_number_raw = own.raw if own else None
    if own:
        prov["doc_number"] = own_source or "text"
    elif listing.get("doc_number"):
        doc_number_raw = listing["doc_number"].strip()
        doc_number = normalize_doc_number(doc_number_raw)
        prov["doc_number"] = "listing"

    signature = find_signature(text)
    adoption = find_adoption(text)
    if title_source == "text" and signature and signature.agency:
        composed = title_from_cover_letter(text, title, signature.agency.split("、"), signature.start)
        if composed:
            title, prov["title"] = composed, "letter"

    signed = parse_cn_date(table.get("signed_date", ""))
    if signed:
        prov["signed_date"] = "table"
    elif signature and signature.signed:
        signed = signature.signed
        prov["signed_date"] = "signature"
    elif adoption and adoption.signed:
        signed = adoption.signed
        prov["signed_date"] = "adoption"

    published, published_source = published_date(table, head, raw_lines, listing)
    if published:
        prov["published_date"] = published_source

    agency, agency_source = choose_agency(table, signature, doc_number, listing, region_hint, adoption, title)
    short = agency_short(agency, clean_agency(table.get("agency")), signature.agency if signature else None,
                         clean_agency(listing.get("agency")))
    if agency:
        prov["agency"] = agency_source

    index_number = table.get("index_number")
    if index_number:
        prov["index_number"] = "table"
    else:
        m = next((m for line in raw_lines[:_HEADER_LINES] if (m := _INDEX_NUMBER.search(line))), None)
        if m:
            index_number = m.group(1)
            prov["index_number"] = "header"

    region = region_of(agency, doc_number, default=region_hint)
    if region:
        own_region = region_of(agency, doc_number) if region == region_hint else region
        prov["region"] = "agency" if own_region == region else "source"

    topic_terms = topics(title, text)
    return Extraction(
        title=title,
        text=text,
        doc_number=doc_number,
        doc_number_raw=doc_number_raw,
        agency=agency,
        agency_short=short,
        signed_date=signed,
        published_date=published,
        index_number=index_number,
        category=table.get("category"),
        region=region,
        doc_type=doc_type(title),
        status=doc_status(title, text, marks=_status_marks(table, head, listing)),
        topics=list(topic_terms),
        topic_terms=topic_terms,
        cited_doc_numbers=_cited(title, raw_title, text, doc_number),
        attachments=_merge_attachments(attachment_groups),
        encoding=encoding,
        provenance=prov,
    )


def _status_marks(table: Mapping[str, str], head: Mapping[str, str], listing: Mapping[str, str]) -> list[str]:
    """What the page says of the notice's validity besides its title: the tags set before
    each title record ([已废止], which the title drops) and the table's 有效性 cell."""
    records = (table.get("title"), head.get("h1"), head.get("meta_title"), head.get("html_title"), listing.get("title"))
    return [tag for raw in records for tag in leading_tags(raw)] + [table.get("validity") or ""]


def _cited(title: str | None, raw_title: str | None, text: str, own: str | None) -> list[str]:
    """The numbers the text cites, then those only the title prints (a 解读's title names
    the document it explains, which its text may not repeat)."""
    cited = cited_doc_numbers(text, own=own)
    for number in cited_doc_numbers(f"{raw_title or ''}\n{title or ''}", own=own):
        if number not in cited:
            cited.append(number)
    return cited


def _drop_spam_lead(text: str, head: Mapping[str, str], title: str | None) -> str:
    """An SEO copy's unrelated question heads the text as its "title": it is not the
    notice. Dropped when it is a heading the title choice rejected, or a question that
    shares little with the rest of the text."""
    lines = text.splitlines()
    if len(lines) < 2 or not title:
        return text
    first = lines[0]
    if title in first or first in title:
        return text
    for key in ("h1", "html_title"):
        raw = head.get(key)
        if raw and first in (raw, clean_candidate(raw)):
            return "\n".join(lines[1:])
    if first.endswith(("?", "？", "!", "！")) and len(first) <= 60 and relatedness(first, text) < 0.5:
        return "\n".join(lines[1:])
    return text
