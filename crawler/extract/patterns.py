"""Grammar shared by several extraction modules, written once: what ends a notice's title,
and the addressee line (主送机关) that opens a letter's body. Each module that needs
one imports it from here, so the bounds cannot drift apart."""
from __future__ import annotations

import re

from crawler.vocab.status import STATUS

# how many first lines of a page's text may hold its header facts (时间:, 文号, 索引号)
HEADER_LINES = 12

# blanks inside a line, as pages and converters write them
SP = r"[ \t\u3000\xa0]"

# The kinds of 公文 and plan a title names last (GB/T 9704: "…关于…的通知").
DOC_TYPES = (
    "实施方案", "工作方案", "行动方案", "方案", "实施意见", "指导意见", "意见", "通知", "办法", "规划",
    "计划", "纲要", "细则", "规定", "决定", "公告", "通告", "条例", "指南", "标准", "措施", "批复",
    "报告", "规则", "章程", "制度", "要点", "总结",
)
# A line that ends like a title: a document kind, a letter (函), or a status word.
TITLE_END = re.compile(rf"(?:{'|'.join(DOC_TYPES)}|函|复函|{STATUS})[)）]?$")

# The addressee line: "各县（市、区）人民政府，市直各委、办、局：" or one naming the organs
# ("市人民政府各部门、各直属机构："), a line of its own ending with a colon, no sentence in it.
ADDRESSEE = (
    r"(?:各[^\n。]{1,120}"
    r"|[^\n。]{2,60}(?:人民政府|各部门|各单位|委、办、局|管委会)[^\n。]{0,80})[:：]"
)
ADDRESSEE_LINE = re.compile(rf"^{SP}*{ADDRESSEE}{SP}*$", re.M)
