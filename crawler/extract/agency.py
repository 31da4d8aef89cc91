"""发文机关 (issuing agency): from a 文号's 机关代字, and cleaning of scraped agency strings.

The 机关代字 → agency tables are a best effort, and return None rather than guess:

* National prefixes (国发, 国办发, 国卫老龄发, 医保发, 民发 …) are listed below. 国卫 meant the
  国家卫生和计划生育委员会 until the 2018 reform and the 国家卫生健康委员会 from 2018 on; 卫X发
  before 2014 meant the 卫生部.
* Provinces write 简称 + 政/府 (+办) + 发/函/字…; each province uses one of 政 or 府 (沪府发,
  云政发), and that character tells a province's number from a city's with the same first
  character (云政发 is Yunnan province, 云府 is 云浮市).
* Prefecture cities mostly write their first character (沈政发, 保政办发). When several cities
  share that character (保山 / 保定, 长春 / 长沙 …) the answer needs a ``region`` hint (the
  source's region or any text naming the place); without one the answer is None.
* A government's general office is 办公厅 for provinces, provincial capitals and the cities
  with separate planning status (大连, 青岛, 宁波, 厦门, 深圳), and 办公室 for other cities:
  the common usage, though a few cities differ.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.extract.divisions import prefecture_cities
from crawler.vocab.docnumber import YEAR_CLOSE, YEAR_OPEN

# --- national ---------------------------------------------------------------------------

_NATIONAL_EXACT = {
    "国发": "国务院",
    "国函": "国务院",
    "国令": "国务院",
    "国发明电": "国务院",
    "国办发": "国务院办公厅",
    "国办函": "国务院办公厅",
    "国办发明电": "国务院办公厅",
    "国办明电": "国务院办公厅",
    "中发": "中共中央",
    "中办发": "中共中央办公厅",
}

# (prefix regex, agency) in order; a callable agency takes the year.
_NHC = "国家卫生健康委员会"
_NHFPC = "国家卫生和计划生育委员会"
_NATIONAL_PATTERNS: tuple[tuple[str, object], ...] = (
    (r"国卫办\w{0,4}", lambda y: (_NHC if y is None or y >= 2018 else _NHFPC) + "办公厅"),
    (r"国卫\w{0,4}", lambda y: _NHC if y is None or y >= 2018 else _NHFPC),
    (r"卫办\w{1,4}", lambda y: "卫生部办公厅" if y is not None and y <= 2013 else None),
    (r"卫\w{1,4}[发函字通]", lambda y: "卫生部" if y is not None and y <= 2013 else None),
    (r"医保办[发函]?", "国家医疗保障局办公室"),
    (r"医保[发函规]?", "国家医疗保障局"),
    (r"民办[发函]", "民政部办公厅"),
    (r"民[发函电规]|民明电", "民政部"),
    (r"财办\w{0,3}", "财政部办公厅"),
    (r"财(?:社|税|建|预|行|农|教|科|会|金|综|库|资环)[发函字]?", "财政部"),
    (r"人社厅\w{0,3}", "人力资源和社会保障部办公厅"),
    (r"人社部\w{0,3}", "人力资源和社会保障部"),
    (r"发改办\w{0,4}", "国家发展和改革委员会办公厅"),
    (r"发改\w{0,4}", "国家发展和改革委员会"),
    (r"工信厅\w{0,4}", "工业和信息化部办公厅"),
    (r"工信部\w{0,4}", "工业和信息化部"),
    (r"教\w{0,3}[发函厅字]", "教育部"),
    (r"国中医药办\w{0,4}", "国家中医药管理局办公室"),
    (r"国中医药\w{0,4}", "国家中医药管理局"),
    (r"国药监\w{0,4}", "国家药品监督管理局"),
    (r"国?食药监\w{0,4}", "国家食品药品监督管理总局"),
    (r"国市监\w{0,4}", "国家市场监督管理总局"),
    (r"全国老龄办\w{0,2}", "全国老龄工作委员会办公室"),
    (r"银保监办\w{0,2}", "中国银行保险监督管理委员会办公厅"),
    (r"银保监\w{0,2}", "中国银行保险监督管理委员会"),
    (r"税总\w{0,3}", "国家税务总局"),
    (r"国医改办\w{0,2}", "国务院深化医药卫生体制改革领导小组办公室"),
    (r"残联\w{0,2}", "中国残疾人联合会"),
)
_NATIONAL_COMPILED = tuple((re.compile(p), a) for p, a in _NATIONAL_PATTERNS)

# Short names used before 令 / 公告 in order and announcement numbers.
_SHORT_NAMES = {
    "国": "国务院",
    "国务院": "国务院",
    "国家医保局": "国家医疗保障局",
    "国家卫生健康委": "国家卫生健康委员会",
    "国家卫健委": "国家卫生健康委员会",
    "国家卫生计生委": "国家卫生和计划生育委员会",
    "国家发展改革委": "国家发展和改革委员会",
    "国家中医药局": "国家中医药管理局",
    "国家药监局": "国家药品监督管理局",
    "国家市场监管总局": "国家市场监督管理总局",
    "人力资源社会保障部": "人力资源和社会保障部",
    "人社部": "人力资源和社会保障部",
    "银保监会": "中国银行保险监督管理委员会",
    "中国银保监会": "中国银行保险监督管理委员会",
}

# --- provinces and cities -----------------------------------------------------------------

# 简称 → (province, the character its government writes: 政 or 府)
_PROVINCES = {
    "京": ("北京市", "政"), "津": ("天津市", "政"), "冀": ("河北省", "政"), "晋": ("山西省", "政"),
    "内": ("内蒙古自治区", "政"), "辽": ("辽宁省", "政"), "吉": ("吉林省", "政"),
    "黑": ("黑龙江省", "政"), "沪": ("上海市", "府"), "苏": ("江苏省", "政"), "浙": ("浙江省", "政"),
    "皖": ("安徽省", "政"), "闽": ("福建省", "政"), "赣": ("江西省", "府"), "鲁": ("山东省", "政"),
    "豫": ("河南省", "政"), "鄂": ("湖北省", "政"), "湘": ("湖南省", "政"), "粤": ("广东省", "府"),
    "桂": ("广西壮族自治区", "政"), "琼": ("海南省", "府"), "渝": ("重庆市", "府"),
    "川": ("四川省", "府"), "黔": ("贵州省", "府"), "云": ("云南省", "政"), "滇": ("云南省", "政"),
    "藏": ("西藏自治区", "政"), "陕": ("陕西省", "政"), "甘": ("甘肃省", "政"), "青": ("青海省", "政"),
    "宁": ("宁夏回族自治区", "政"), "新": ("新疆维吾尔自治区", "政"),
}
# 青政发 is also Qingdao's, 宁政发 also Nanjing's: these need a region hint.
_AMBIGUOUS_PROVINCE = {"青", "宁"}
# Cities whose 代字 is not their first character.
_CITY_ALIASES = {"穗": "广州市", "榕": "福州市", "洪": "南昌市", "筑": "贵阳市", "甬": "宁波市"}
# Provincial capitals and cities with separate planning status: their office is a 办公厅.
_OFFICE_HALL_CITIES = frozenset(
    "石家庄市 太原市 呼和浩特市 沈阳市 长春市 哈尔滨市 南京市 杭州市 合肥市 福州市 南昌市 济南市 "
    "郑州市 武汉市 长沙市 广州市 南宁市 海口市 成都市 贵阳市 昆明市 拉萨市 西安市 兰州市 西宁市 "
    "银川市 乌鲁木齐市 大连市 青岛市 宁波市 厦门市 深圳市".split()
)

_TAIL = r"(?:发明电|明电|发电|发|字|函|文|规|电|通|令)?"
_LOCAL_GOV = re.compile(rf"^(?P<abbr>[\u4e00-\u9fff]{{1,3}}?)(?P<shi>市)?(?P<gov>[政府])(?P<office>[办厅])?{_TAIL}$")
_LOCAL_PARTY = re.compile(rf"^(?P<abbr>[\u4e00-\u9fff])委(?P<office>办|厅)?{_TAIL}$")
_SICHUAN_OFFICE = re.compile(rf"^川办{_TAIL}$")

# on the identity form (normalize_doc_number), whose year stands in 〔〕
_YEAR = re.compile(rf"{YEAR_OPEN}([0-9]{{4}}){YEAR_CLOSE}|公告([0-9]{{4}})年|通告([0-9]{{4}})年")


def _prefix_and_year(normalized: str) -> tuple[str, int | None]:
    m = _YEAR.search(normalized)
    year = int(next(g for g in m.groups() if g)) if m else None
    for sep in (YEAR_OPEN, "令第", "公告", "通告"):
        i = normalized.find(sep)
        if i > 0:
            return normalized[: i + (1 if sep == "令第" else 0)], year
    return normalized, year


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, str], ...]:
    """(prefecture-level city, its province) pairs from the bundled divisions table."""
    return tuple(prefecture_cities())


def _city_candidates(abbr: str) -> list[tuple[str, str]]:
    if abbr in _CITY_ALIASES:
        name = _CITY_ALIASES[abbr]
        return [c for c in _cities() if c[0] == name]
    return [c for c in _cities() if c[0].startswith(abbr) and c[0].endswith("市")]


def _pick(candidates: list[tuple[str, str]], region: str | None) -> tuple[str, str] | None:
    """One (place, province) out of candidates, using the region hint when there are several."""
    if region:
        hinted = [c for c in candidates if c[0] in region or c[0].rstrip("市") in region]
        if len(hinted) == 1:
            return hinted[0]
        by_province = [c for c in candidates if c[1] in region]
        if len(by_province) == 1:
            return by_province[0]
        if hinted or by_province:
            return None
    return candidates[0] if len(candidates) == 1 else None


def _local_agency(prefix: str, region: str | None) -> str | None:
    if _SICHUAN_OFFICE.match(prefix):
        return "四川省人民政府办公厅"
    m = _LOCAL_PARTY.match(prefix)
    if m and m["abbr"] in _PROVINCES and m["abbr"] not in _AMBIGUOUS_PROVINCE:
        province = _PROVINCES[m["abbr"]][0]
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", province)
        party = f"中共{short}{'市' if province.endswith('市') else '省' if province.endswith('省') else '自治区'}委"
        return party + ("办公厅" if m["office"] else "")
    m = _LOCAL_GOV.match(prefix)
    if not m:
        return None
    abbr, office = m["abbr"], bool(m["office"])
    cities = _city_candidates(abbr)
    province = None
    if len(abbr) == 1 and not m["shi"] and abbr in _PROVINCES and _PROVINCES[abbr][1] == m["gov"]:
        province = _PROVINCES[abbr][0]
    if province:
        hinted_city = _pick(cities, region) if region else None
        if region and province in region:
            return f"{province}人民政府" + ("办公厅" if office else "")
        if hinted_city and (hinted_city[0] in region or hinted_city[0].rstrip("市") in region):
            return _city_agency(hinted_city[0], office)
        if abbr in _AMBIGUOUS_PROVINCE:
            return None
        return f"{province}人民政府" + ("办公厅" if office else "")
    chosen = _pick(cities, region)
    return _city_agency(chosen[0], office) if chosen else None


def _city_agency(city: str, office: bool) -> str:
    if not office:
        return f"{city}人民政府"
    return f"{city}人民政府" + ("办公厅" if city in _OFFICE_HALL_CITIES else "办公室")


def agency_from_doc_number(normalized: str, *, region: str | None = None) -> str | None:
    """The issuing agency a normalized 文号 names, or None when the 机关代字 is not known well.

    ``region`` is an optional hint ("云南省保山市", a source's region, or any text naming the
    place) used only to choose between places that share a 代字.
    """
    if not normalized:
        return None
    prefix, year = _prefix_and_year(normalize_prefix(normalized))
    if prefix.endswith("令"):
        return _named_agency(prefix[:-1])
    if prefix.endswith(("公告", "通告")):  # 国家医疗保障局公告〔2025〕1号
        return _named_agency(prefix[:-2])
    if re.search(r"(公告|通告)[0-9]{4}年", normalized):
        return _named_agency(prefix)
    if prefix in _NATIONAL_EXACT:
        return _NATIONAL_EXACT[prefix]
    for pattern, agency in _NATIONAL_COMPILED:
        if pattern.fullmatch(prefix):
            return agency(year) if callable(agency) else agency
    return _local_agency(prefix, region)


def normalize_prefix(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _named_agency(name: str) -> str | None:
    name = re.sub(r"^中华人民共和国", "", name)
    if name in _SHORT_NAMES:
        return _SHORT_NAMES[name]
    return clean_agency(name)


# --- cleaning ----------------------------------------------------------------------------

_LABELS = (
    "发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "制发机关", "成文单位", "信息来源",
    "来源", "作者", "主办单位", "责任单位", "落款",
)
_LABEL_RE = re.compile(
    r"^[\s【\[]*(?:" + "|".join("\\s*".join(label) for label in _LABELS) + r")[\s】\]]*[:：]?\s*"
)
_SEAL_RE = re.compile(r"[（(][^()（）]{0,4}(?:印章|盖章|章)[)）]")
_EDGE = " \t\r\n\u3000\xa0:：,，.。;；|｜【】[]()（）\"'“”‘’<>《》-—_*·"
_AGENCY_SUFFIXES = (
    "政府", "办公室", "办公厅", "委员会", "委", "局", "厅", "部", "院", "署", "办", "会", "中心",
    "室", "处", "司", "所", "站", "党委", "省委", "市委", "县委", "区委", "中央", "总局", "银行",
    "联合会", "管委会", "工委", "政协", "法院", "检察院", "小组",
    # bodies set up across agencies issue in their own name (…工作联席会议, …工作专班)
    "联席会议", "专班",
    # people's organisations by their usual short names (中国残联, 全国妇联, 中国科协)
    "残联", "妇联", "侨联", "文联", "工商联", "科协",
)
_NOT_AGENCY = re.compile(r"[0-9０-９，。；！？!?、/@]|https?|www|本网|本站|网站|编辑|转载|点击|浏览")


def is_agency_name(name: str) -> bool:
    """Whether ``name`` alone reads as one agency's name (国家医保局, 中共沈阳市委, 财政部)."""
    return _is_agency(name)


# events end like bodies (…会), verbs like offices (…办), but neither is an agency: a press
# conference's title over its date, a headline "…论坛举办"
_EVENT_END = (
    "发布会", "座谈会", "研讨会", "推介会", "交流会", "见面会", "博览会", "展览会", "运动会", "晚会", "茶话会", "报告会",
    "举办", "主办", "承办", "协办", "开办", "创办", "停办", "申办",
)


# "…要按时参加联席会议": a meeting or a task force a sentence talks about is no issuer
_MEETING_VERBS = re.compile(r"参加|召开|举行|建立|组建|成立|通过|提交|报送|要|由|经|的|向")


def _is_agency(name: str) -> bool:
    if not (3 <= len(name) <= 40) or _NOT_AGENCY.search(name) or name.endswith(_EVENT_END):
        return False
    if name.endswith(("联席会议", "专班")) and _MEETING_VERBS.search(name):
        return False
    if not re.fullmatch(r"[\u4e00-\u9fff（）()]+", name):
        return False
    return name in _SHORT_NAMES.values() or name in _SHORT_NAMES or name.endswith(_AGENCY_SUFFIXES)


def clean_agency(s: str | None) -> str | None:
    """An agency name out of a scraped string ('发布机构：保山市人民政府研究室'), or None.

    Labels, seals, whitespace and edge punctuation go; joint agencies separated by spaces
    or 、 come back joined with '、'; anything that does not end like an agency name (a site
    name, a date, an empty '来 源：' cell) gives None.
    """
    if not s:
        return None
    s = unicodedata.normalize("NFKC", s).replace("\xa0", " ")
    s = _LABEL_RE.sub("", s)
    s = _SEAL_RE.sub("", s)
    s = s.strip(_EDGE)
    if not s:
        return None
    parts = [p.strip(_EDGE) for p in re.split(r"[\s、,，]+", s) if p.strip(_EDGE)]
    if len(parts) > 1 and all(_is_agency(p) for p in parts):
        return "、".join(parts)
    joined = "".join(re.split(r"\s+", s))
    return joined if _is_agency(joined) else None
