"""Made-up health and eldercare notices: the data the fixture sites publish."""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

TITLES = (
    "关于进一步推进医养结合发展的指导意见",
    "关于开展老年健康服务体系建设试点工作的通知",
    "关于做好基本医疗保险跨省异地就医直接结算工作的通知",
    "关于加强养老机构服务质量监管的通知",
    "关于印发长期护理保险失能等级评估管理办法的通知",
    "关于提升基层医疗卫生机构中医药服务能力的通知",
    "关于做好老年人居家医疗服务工作的通知",
    "关于完善城乡居民基本医疗保险筹资政策的通知",
    "关于促进护理服务业改革与发展的指导意见",
    "关于加快发展农村养老服务的实施意见",
    "关于做好家庭医生签约服务工作的通知",
    "关于开展医疗机构药品集中带量采购工作的通知",
    "关于推进老年友善医疗机构建设的通知",
    "关于印发社区嵌入式养老服务设施建设规范的通知",
)
SENTENCES = (
    "为贯彻落实积极应对人口老龄化国家战略，{region}结合实际，制定本{kind}。",
    "各地要把{topic}纳入本地区经济社会发展规划，明确责任分工，确保{year}年底前取得阶段性成效。",
    "到{year2}年，{region}每个县（市、区）至少建成{n}个具备医养结合服务能力的机构。",
    "{agency}将会同有关部门加强督导，对工作推进不力的地区予以通报。",
    "基本医疗保险统筹地区应当按规定将符合条件的{topic}项目纳入支付范围，减轻群众负担。",
    "要加强老年人健康管理，65岁及以上老年人健康管理率达到{pct}%以上。",
    "鼓励社会力量举办护理院、康复医院，支持基层医疗卫生机构开展{topic}服务。",
    "各级卫生健康行政部门要建立工作台账，每季度向{agency}报送工作进展情况。",
    "本{kind}自印发之日起施行，有效期{n}年，此前规定与本{kind}不一致的，以本{kind}为准。",
    "对经济困难的高龄、失能老年人，按规定给予养老服务补贴和护理补贴，标准为每人每月{money}元。",
    "推动医疗卫生资源下沉社区，{region}二级以上综合医院设立老年医学科的比例达到{pct}%。",
    "请各单位高度重视，认真组织实施，执行中遇到的问题请及时反馈{agency}。",
)
TOPICS = ("医养结合", "居家养老", "长期护理", "老年健康", "中医药", "家庭医生", "康复护理", "安宁疗护")


@dataclass
class Notice:
    url: str
    title: str
    doc_number: str
    agency: str
    date: date
    index_number: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def make_notices(key: str, agency: str, region: str, prefix: str, count: int, url_for, start: date) -> list[Notice]:
    """``count`` notices of one site, newest first; ``url_for(i, day)`` gives each its real URL."""
    seed = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    out = []
    for i in range(count):
        day = start - timedelta(days=7 * i + rng.randrange(0, 5))
        title = TITLES[(seed + 5 * i) % len(TITLES)]
        number = f"{prefix}〔{day.year}〕{rng.randrange(2, 180)}号"
        topic = rng.choice(TOPICS)
        values = dict(region=region, agency=agency, topic=topic, year=day.year, year2=day.year + 3,
                      n=rng.randrange(2, 9), pct=rng.randrange(60, 96), money=rng.randrange(50, 400),
                      kind="通知" if title.endswith("通知") else "意见")
        picked = rng.sample(SENTENCES, 6)
        paragraphs = [s.format(**values) for s in picked]
        paragraphs.insert(1, f"{title.removeprefix('关于').removesuffix('的通知')}，是{region}{day.year}年"
                             f"{topic}工作的重点任务之一（{key}-{i}）。")
        index_number = f"{rng.randrange(10**8, 10**9)}/{day.year}-{rng.randrange(10000, 99999):05d}"
        out.append(Notice(url=url_for(i, day), title=title, doc_number=number, agency=agency, date=day,
                          index_number=index_number, paragraphs=paragraphs))
    return out


def body_html(n: Notice, tag: str = "p") -> str:
    return "\n".join(f"<{tag}>{p}</{tag}>" for p in n.paragraphs)
