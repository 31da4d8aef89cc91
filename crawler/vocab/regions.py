"""The 31 provincial-level divisions, and what a publisher is: named once for the registry,
the coverage grid and the fixture generator."""
from __future__ import annotations

NATIONAL = "全国"

# 省级行政区 in the order of the national division code, each with its 简称 (the first
# character of its 文号) and its two-digit division code. ICP filings (京ICP备…) carry the 简称,
# except where an older or unambiguous one is used: 蒙, 蜀, 滇, 陇.
PROVINCE_TABLE = {
    "北京市": ("京", 11), "天津市": ("津", 12), "河北省": ("冀", 13), "山西省": ("晋", 14),
    "内蒙古自治区": ("内", 15), "辽宁省": ("辽", 21), "吉林省": ("吉", 22), "黑龙江省": ("黑", 23),
    "上海市": ("沪", 31), "江苏省": ("苏", 32), "浙江省": ("浙", 33), "安徽省": ("皖", 34),
    "福建省": ("闽", 35), "江西省": ("赣", 36), "山东省": ("鲁", 37), "河南省": ("豫", 41),
    "湖北省": ("鄂", 42), "湖南省": ("湘", 43), "广东省": ("粤", 44), "广西壮族自治区": ("桂", 45),
    "海南省": ("琼", 46), "重庆市": ("渝", 50), "四川省": ("川", 51), "贵州省": ("黔", 52),
    "云南省": ("云", 53), "西藏自治区": ("藏", 54), "陕西省": ("陕", 61), "甘肃省": ("甘", 62),
    "青海省": ("青", 63), "宁夏回族自治区": ("宁", 64), "新疆维吾尔自治区": ("新", 65),
}
PROVINCE_ICP = {name: short for name, (short, _) in PROVINCE_TABLE.items()} | {
    "内蒙古自治区": "蒙", "四川省": "蜀", "云南省": "滇", "甘肃省": "陇"}
PROVINCES = tuple(PROVINCE_TABLE)

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
