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


# ---- the columns of a home page ----------------------------------------------------------
# What a government site calls the columns that list its policy notices, read from a home
# page's links (crawler/extract/homepage.py). Listing words name a column of notices;
# portal words name the 信息公开 section whose page links those columns (one level deeper).
LISTING_WORDS = (
    "政策文件", "规范性文件", "政府文件", "部门文件", "其他文件", "文件通知", "通知文件", "文件发布",
    "通知公告", "公告通知", "通知通告", "公示公告", "公告公示", "政府公告", "工作通知",
    "政策法规", "法律法规", "法规文件", "政策解读", "政策发布",
)
PORTAL_WORDS = (
    "政府信息公开", "信息公开目录", "信息公开", "法定主动公开内容", "主动公开", "政务公开",
)
# Columns that never list policy notices, though they sit beside those that do (and some
# of their names hold a listing or portal word: 政府信息公开指南, 政府信息公开年报).
UNRELATED_WORDS = (
    "新闻", "要闻", "动态", "图片", "视频", "领导", "机构", "互动", "办事", "服务", "留言", "信箱",
    "访谈", "指南", "年报", "年度报告", "依申请", "申请表", "制度", "网站地图", "联系我们", "专题",
    "招聘", "人事", "统计", "预决算", "问答", "地图",
)
# A "more" link under a block heading: the heading names the column.
MORE_WORDS = ("更多", "more", "MORE", "More", ">>", "»", "更多>>", "更多>")
