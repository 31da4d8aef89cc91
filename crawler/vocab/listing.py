"""How list pages and header lines write dates, and how TRS list pages write their pager:
read once for the family spiders, listing discovery and field choice."""
from __future__ import annotations

import re

# A numeric date as pages write it: 2019-10-28, 2019.10.28, 2019/10/28, 2019年10月28日.
# Years from 1900 on only: a listing's other numbers (counts, ids) are not dates.
DATE_YEAR = r"(?:19|20)\d{2}"
DATE_TEXT = rf"{DATE_YEAR}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?"
# The same, captured (year, month, day), and not a piece of a longer number.
LIST_DATE = re.compile(rf"(?<!\d)({DATE_YEAR})\s*[-./年]\s*(\d{{1,2}})\s*[-./月]\s*(\d{{1,2}})(?!\d)")


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def row_date(text: str, *, sole: bool = False) -> str | None:
    """The date (ISO) in the text of a listing row: its first date, or with ``sole`` only
    when it holds a single one (a block of several links gives no one link its date)."""
    if sole:
        found = list(LIST_DATE.finditer(text))
        return _iso(found[0]) if len(found) == 1 else None
    m = LIST_DATE.search(text)
    return _iso(m) if m else None


# A TRS list page's pager script: createPageHTML(total, current, "index", "html"), or
# nhc.gov.cn's createPageHTML('page_div', total, current, 'list', 'shtml', count).
TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(?:['\"][\w-]+['\"]\s*,\s*)?(?P<total>\d+)\s*,\s*(?P<current>\d+)\s*,"
    r"\s*['\"](?P<stem>[\w-]+)['\"]\s*,\s*['\"](?P<ext>\w+)['\"]"
)
