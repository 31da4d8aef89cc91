"""A generated archive of policy-like notices, for the search benchmark.

The text is made from a vocabulary of real health and eldercare policy terms and the
sentence frames such notices are written in (no real notice is copied), with Zipf-like
term frequencies so that common terms (养老, 医疗, 服务) match most documents and rare ones
few, as in a real archive. Deterministic for a seed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# Policy terms, most common first (the order sets their frequency).
TERMS = """
养老服务 医疗卫生 医疗保障 基本医疗保险 老年人 健康 医养结合 长期护理保险 养老机构 社区
居家养老 家庭医生 公共卫生 医保基金 分级诊疗 公立医院 医疗联合体 中医药 卫生健康 失能老年人
护理服务 基层医疗卫生机构 健康管理 慢性病 药品集中采购 医疗服务价格 异地就医 门诊统筹
城乡居民 职工医保 大病保险 医疗救助 老龄事业 养老服务体系 普惠养老 智慧养老 适老化改造
康复护理 安宁疗护 老年医学 健康教育 疾病预防控制 传染病防控 突发公共卫生事件 爱国卫生运动
健康城市 全民健身 妇幼保健 精神卫生 职业健康 食品安全 药品监管 医疗器械 互联网医疗 远程医疗
电子健康档案 医保支付方式 按病种付费 总额预算 定点医药机构 基金监管 欺诈骗保 价格治理
养老护理员 人才培养 床位 护理型床位 日间照料中心 老年食堂 助餐服务 上门服务 喘息服务
农村养老 特困人员 供养服务 民办养老机构 公建民营 社会力量 政府购买服务 彩票公益金
税费优惠 用地保障 金融支持 标准化建设 等级评定 质量安全 消防安全 应急管理 疫情防控
新冠肺炎 疫苗接种 核酸检测 发热门诊 县域医共体 紧密型城市医疗集团 薪酬制度改革 编制管理
绩效考核 信息化建设 数据共享 一网通办 放管服改革 营商环境 高质量发展 十四五规划
""".split()

AGENCIES = """
国务院办公厅 国家卫生健康委员会 民政部 国家医疗保障局 财政部 人力资源社会保障部 国家中医药管理局
全国老龄工作委员会办公室 国家发展改革委 市场监管总局 省人民政府办公厅 省卫生健康委员会 省民政厅
省医疗保障局 市人民政府 市卫生健康委员会 市民政局 市医疗保障局 县人民政府办公室
""".split()

REGIONS = """
全国 北京市 上海市 天津市 重庆市 河北省 山西省 辽宁省 辽宁省沈阳市 吉林省 黑龙江省 江苏省 浙江省
安徽省 福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 广东省深圳市 海南省 四川省 贵州省
云南省 云南省保山市 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区 内蒙古自治区 广西壮族自治区 西藏自治区
""".split()

DOC_TYPES = ["通知", "意见", "实施方案", "办法", "规划", "指导意见", "实施细则", "公告"]
CODES = ["国办发", "国发", "国卫老龄发", "民发", "医保发", "财社", "人社部发", "政办发", "卫健发", "医保局发", "民政发"]

FRAMES = [
    "为贯彻落实{a}有关要求，加快推进{b}，现就{c}工作通知如下。",
    "各地要把{a}摆在突出位置，健全{b}工作机制，推动{c}与{d}协同发展。",
    "到{y}年，{a}覆盖率达到百分之{n}以上，{b}能力明显提升，{c}体系基本建立。",
    "加强{a}建设，完善{b}政策措施，鼓励{c}参与{d}。",
    "各级{e}要按照职责分工，做好{a}和{b}工作，确保各项政策措施落到实处。",
    "支持{a}开展{b}服务，逐步扩大{c}范围，提高{d}水平。",
    "建立健全{a}制度，规范{b}管理，强化{c}监督检查。",
    "探索{a}新模式，推进{b}信息互联互通，提升{c}便利化水平。",
    "将{a}纳入{b}总体部署，统筹推进{c}、{d}等重点任务。",
    "对符合条件的{a}，按规定给予{b}支持，落实{c}相关政策。",
]

TITLE_FRAMES = [
    "关于推进{a}发展的{t}",
    "关于印发{r}{a}实施方案的{t}",
    "关于进一步做好{a}和{b}工作的{t}",
    "{r}关于加强{a}建设的{t}",
    "关于开展{a}试点工作的{t}",
]


@dataclass
class GenDoc:
    title: str
    doc_number: str | None
    agency: str | None
    region: str | None
    doc_type: str
    published: date
    topics: list[str]
    sentences: list[int]  # indices into Generator.sentences
    source_kind: str


class Generator:
    """Documents built from a pool of sentences grouped by theme (a notice is about a few
    things): a theme is a dozen terms, most documents draw their sentences from one or two
    themes, so a rare term is in few documents and a common one in most."""

    def __init__(self, seed: int = 11, themes: int = 300, per_theme: int = 100) -> None:
        self.rng = random.Random(seed)
        self.weights = [1 / (k + 1) ** 0.6 for k in range(len(TERMS))]  # Zipf-like
        self.serial = 0
        self.themes = [self._terms(12) for _ in range(themes)]
        self.sentences: list[str] = []
        self.by_theme: list[list[int]] = []
        for terms in self.themes:
            ids = []
            for _ in range(per_theme):
                ids.append(len(self.sentences))
                self.sentences.append(self._sentence(terms))
            self.by_theme.append(ids)

    def _terms(self, n: int) -> list[str]:
        return list(dict.fromkeys(self.rng.choices(TERMS, self.weights, k=n)))

    def _sentence(self, theme: list[str]) -> str:
        rng = self.rng
        pick = lambda: rng.choice(theme) if rng.random() < 0.97 else rng.choices(TERMS, self.weights)[0]  # noqa: E731
        return rng.choice(FRAMES).format(a=pick(), b=pick(), c=pick(), d=pick(), e=rng.choice(AGENCIES),
                                         y=rng.randint(2020, 2035), n=rng.randint(50, 99))

    def document(self) -> GenDoc:
        rng = self.rng
        self.serial += 1
        region = rng.choice(REGIONS)
        doc_type = rng.choice(DOC_TYPES)
        main, *others = rng.sample(range(len(self.themes)), rng.randint(1, 3))
        theme = self.themes[main]
        title = rng.choice(TITLE_FRAMES).format(a=rng.choice(theme), b=rng.choice(theme), t=doc_type,
                                                r="" if region == "全国" else region)
        published = date(2010, 1, 1) + timedelta(days=rng.randint(0, 16 * 365))
        # Realistic lengths: most notices 800-3000 characters (median ~1,500), a few long plans.
        n_chars = int(min(15000, max(300, rng.lognormvariate(7.3, 0.55))))
        pools = [self.by_theme[main]] * 3 + [self.by_theme[o] for o in others]
        sentences = [rng.choice(rng.choice(pools)) for _ in range(max(4, n_chars // 38))]
        spam = rng.random() < 0.05  # copies with no metadata, as aggregators and spam sites leave them
        numbered = not spam and rng.random() < 0.7
        eldercare = any(t in title for t in ("养老", "老年", "护理", "老龄", "照料", "助餐"))
        return GenDoc(
            title=title,
            doc_number=f"{rng.choice(CODES)}〔{published.year}〕{self.serial}号" if numbered else None,
            agency=None if spam else rng.choice(AGENCIES),
            region=None if spam else region,
            doc_type=doc_type,
            published=published,
            topics=["eldercare", "health"] if eldercare else ["health"],
            sentences=sentences,
            source_kind="aggregator" if spam else "gov",
        )

    def text(self, doc: GenDoc) -> str:
        """Paragraphs of three to five sentences."""
        lines, para = [], []
        for i in doc.sentences:
            para.append(self.sentences[i])
            if len(para) == 4:
                lines.append("".join(para))
                para = []
        if para:
            lines.append("".join(para))
        return "\n".join(lines)
