"""The 31 provincial-level divisions, and what a publisher is: named once for the registry,
the coverage grid and the fixture generator."""
from __future__ import annotations

NATIONAL = "全国"

# 省级行政区 in the order of the national division code (北京 11 … 新疆 65), each with the
# character its ICP filings carry (京ICP备…): mostly its 简称, but 蒙, 蜀, 滇 and 陇 are used
# where the 简称 is ambiguous or older.
PROVINCE_ICP = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙",
    "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁",
    "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂",
    "海南省": "琼", "重庆市": "渝", "四川省": "蜀", "贵州省": "黔", "云南省": "滇",
    "西藏自治区": "藏", "陕西省": "陕", "甘肃省": "陇", "青海省": "青", "宁夏回族自治区": "宁",
    "新疆维吾尔自治区": "新",
}
PROVINCES = tuple(PROVINCE_ICP)

# Who publishes: the provincial (and national) 卫健委, 民政, 医保局 and 中医药 publishers are
# the coverage grid's columns; disease control, other national bodies and aggregators are not.
PUBLISHER_GRID = ("wjw", "mz", "hsa", "tcm")
PUBLISHER_KINDS = (*PUBLISHER_GRID, "cdc", "national", "aggregator")
PUBLISHER_NAMES = {"wjw": "卫健委", "mz": "民政", "hsa": "医保", "tcm": "中医药", "cdc": "疾控",
                   "national": "其他国家机关", "aggregator": "聚合站"}

# How much we know of a source: a listing confirmed by public evidence, only its home page
# (the crawl finds the listings), or known to refuse a plain client.
EVIDENCE, DISCOVER, BLOCKED_STATE = "evidence", "discover", "blocked"
SOURCE_STATES = (EVIDENCE, DISCOVER, BLOCKED_STATE)
