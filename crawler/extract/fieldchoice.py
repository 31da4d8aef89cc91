"""Which of a page's sources gives a field its value, where they disagree: the
publication date (table, ``<meta>``, a labelled header line, an unlabelled stamp under
the heading, the listing) and the agency (table, 落款, 文号, adoption line, listing)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from crawler.extract.agency import agency_from_doc_number, clean_agency
from crawler.extract.dates import parse_cn_date
from crawler.extract.patterns import HEADER_LINES as _HEADER_LINES
from crawler.vocab.listing import DATE_TEXT

# 上传时间 (a doc-sharing upload), 更新时间, 访问时间 are not the notice's publication
_HEADER_DATE = re.compile(
    r"(?<!上传)(?<!更新)(?<!修改)(?<!访问)(?<!截止)(?<!成文)(?:发布时间|发布日期|发文日期|公开日期|时间|日期)\s*[:：]\s*"
    rf"({DATE_TEXT})"
)


def _header_date(lines: list[str]) -> date | None:
    for line in lines[:_HEADER_LINES]:
        m = _HEADER_DATE.search(line)
        if m:
            found = parse_cn_date(m.group(1))
            if found:
                return found
    return None


# an unlabelled publication stamp under a news heading: "本文来源于北京商报 2024-05-20 09:47:48"
_STAMP = re.compile(rf"({DATE_TEXT})\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?")
_STAMP_LINES = 4


def _stamp_date(lines: list[str]) -> date | None:
    """A date with its clock time in the first lines under the heading: the CMS's stamp
    of when it published the page (a notice's own dates carry no time of day)."""
    for line in lines[:_STAMP_LINES]:
        m = _STAMP.search(line)
        if m and len(line) <= 80:
            found = parse_cn_date(m.group(1))
            if found:
                return found
    return None


def published_date(
    table: Mapping[str, str], head: Mapping[str, str], raw_lines: list[str], listing: Mapping[str, str]
) -> tuple[date | None, str | None]:
    value = parse_cn_date(table.get("published_date", ""))
    if value:
        return value, "table"
    value = parse_cn_date(head.get("published_meta", ""))
    if value:
        return value, "meta"
    around = head.get("around_heading", "").splitlines()
    value = _header_date(raw_lines) or _header_date(around) or _stamp_date(around)
    if value:
        return value, "header"
    value = parse_cn_date(listing.get("published_date", ""))
    if value:
        return value, "listing"
    return None, None


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is ``full`` with characters left out (卫健委 of 卫生健康委员会, 江西省市场
    监管局 of 江西省市场监督管理局), ending as it ends: the same body's short name."""
    if len(short) < 3 or len(short) >= len(full):
        return False
    if short[-1] != full[-1] and not (short.endswith("委") and full.endswith("委员会")):
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


# the issuers an official title opens with, before 关于 (GB/T 9704: 发文机关 + 关于 + 事由 + 文种)
_TITLE_ISSUER = re.compile(r"^(?P<issuer>[^关《“\s][^《“]{1,38}?)关于")


def title_issuer(title: str | None) -> str | None:
    """The issuing agency a title opens with ("沈阳市住房和城乡建设局关于…"), or None."""
    m = _TITLE_ISSUER.match(title or "")
    return clean_agency(m["issuer"]) if m else None


def agency_short(agency: str | None, *others: str | None) -> str | None:
    """The short form of ``agency`` another source of the page gives (the table's 市住建局
    where the 落款 names 沈阳市住房和城乡建设局): a citing researcher uses the full name,
    and the short one is what the page shows."""
    if not agency:
        return None
    return next((o for o in others if o and o != agency and _abbreviates(o, agency)), None)


def choose_agency(
    table: Mapping[str, str],
    signature,
    doc_number: str | None,
    listing: Mapping[str, str],
    region_hint: str | None,
    adoption=None,
    title: str | None = None,
) -> tuple[str | None, str | None]:
    from_table = clean_agency(table.get("agency"))
    from_signature = signature.agency if signature else None
    from_title = title_issuer(title)
    if from_table and not from_signature and from_title and _abbreviates(from_table, from_title):
        # a short 发布机构 (市住建局) and no 落款: the title names the full issuer
        return from_title, "title"
    from_number = (
        agency_from_doc_number(doc_number, region=region_hint or from_signature or from_table) if doc_number else None
    )
    if from_table and from_signature and from_table != from_signature:
        # 发布机构 is often the office that posted the page (研究室, 信息中心), the 落款
        # is the issuer: the 文号's agency settles it, else the signature wins; but a
        # 落款 that only shortens the table's name (市场监管局 for 市场监督管理局) is the
        # same body, and the table has its full name.
        if from_number == from_table or _abbreviates(from_signature, from_table):
            return from_table, "table"
        return from_signature, "signature"
    if from_table:
        return from_table, "table"
    if from_signature:
        return from_signature, "signature"
    if from_number:
        return from_number, "doc_number"
    if adoption and adoption.agency:
        return adoption.agency, "adoption"
    from_listing = clean_agency(listing.get("agency"))
    if from_listing:
        return from_listing, "listing"
    return None, None
