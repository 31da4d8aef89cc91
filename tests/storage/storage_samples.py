"""Notice texts and page builders for the storage tests.

The notices are written for these tests (no real page is copied): two unrelated
notices on the same topic that share the usual official phrasing, a revision, and a
draft with its final text. Copies are made the way sites make them: other line
breaks, full-width punctuation, ideographic-space indents, header and footer noise.
"""
from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta, timezone

from crawler.extract.model import Extraction
from storage.api import CapturedPart, PageRecord

NOTICE_A = """各县（市、区）人民政府，市政府各部门，各直属机构：
为贯彻落实《国务院办公厅转发卫生计生委等部门关于推进医疗卫生与养老服务相结合指导意见的通知》（国办发〔2015〕84号）精神，加快推进我市医养结合发展，满足老年人多层次、多样化的健康养老服务需求，经市政府同意，现就有关事项通知如下。
一、总体要求
以满足老年人健康养老服务需求为出发点，坚持政府引导、市场驱动、统筹发展、分类施策的原则，建立健全医疗卫生机构与养老机构合作机制，推动医疗卫生服务延伸至社区和家庭。到2020年，全市所有养老机构能够以不同形式为入住老年人提供医疗卫生服务，基层医疗卫生机构为居家老年人提供上门服务的能力明显提升。
二、重点任务
（一）建立医疗卫生机构与养老机构合作机制。鼓励养老机构与周边的医疗卫生机构开展多种形式的协议合作，医疗卫生机构为养老机构开通预约就诊绿色通道，为入住老年人提供医疗巡诊、健康管理、保健咨询、预约就诊、急诊急救、中医养生保健等服务。
（二）支持养老机构开展医疗服务。养老机构可根据服务需求和自身能力，按相关规定申请开办老年病医院、康复医院、护理院、中医医院、临终关怀机构等，也可内设医务室或护理站，提高养老机构提供基本医疗服务的能力。
（三）推动医疗卫生服务延伸至社区、家庭。充分依托社区各类服务和信息网络平台，实现基层医疗卫生机构与社区养老服务机构的无缝对接。发挥卫生计生系统服务网络优势，结合基本公共卫生服务的开展，为老年人建立健康档案，并为65周岁以上老年人提供健康管理服务。
三、保障措施
各地要将医养结合工作纳入经济社会发展规划，纳入深化医药卫生体制改革和促进养老服务业发展的总体部署，建立部门协调机制，明确职责分工，加强督促检查，确保各项政策措施落到实处。
市人民政府办公室
2016年3月8日"""

# The same notice, revised: the targets and one task were rewritten.
NOTICE_A_REVISED = NOTICE_A.replace(
    "到2020年，全市所有养老机构能够以不同形式为入住老年人提供医疗卫生服务，基层医疗卫生机构为居家老年人提供上门服务的能力明显提升。",
    "到2022年，全市所有养老机构能够以不同形式为入住老年人提供医疗卫生服务，护理型床位占比达到百分之五十，基层医疗卫生机构为居家失能老年人提供上门服务实现全覆盖。",
)

NOTICE_B = """各区、县人民政府，市直有关单位：
为积极应对人口老龄化，加快建设居家社区机构相协调、医养康养相结合的养老服务体系，根据《国务院办公厅关于推进养老服务发展的意见》（国办发〔2019〕5号），结合本市实际，现就推进养老服务高质量发展提出如下实施意见。
一、深化放管服改革
取消养老机构设立许可，依法做好登记和备案管理。各区县民政部门要在门户网站公开养老服务机构登记备案办事指南，优化审批流程，压缩办理时限，推行养老服务事项网上办理，为社会力量举办养老机构提供便利。
二、拓宽养老服务投融资渠道
推动解决养老服务机构融资问题，鼓励金融机构开发适合养老服务企业的信贷产品。各级政府用于社会福利事业的彩票公益金，到2022年要将不低于百分之五十五的资金用于支持发展养老服务。
三、扩大养老服务就业创业
建立完善养老护理员职业技能等级认定和教育培训制度，到2022年底前培养培训一批养老院院长、养老护理员、社会工作者。对在养老机构连续从业满五年的护理员给予一次性入职奖励，提高养老护理员的职业荣誉感。
四、扩大养老服务消费
建立健全长期照护服务体系，开展长期护理保险制度试点，探索建立多层次长期护理保障制度。鼓励商业保险公司开发老年人意外伤害保险，推动居家和社区养老服务消费升级。
五、促进养老服务高质量发展
开展养老院服务质量建设专项行动，到2020年底，基本消除全市养老机构的重大风险隐患，养老机构服务质量普遍达标，养老服务标准化水平明显提高。
市人民政府
2019年6月20日"""

DRAFT_C = """关于加快推进长期护理保险制度试点工作的实施方案（征求意见稿）
为积极应对人口老龄化，健全社会保障体系，解决长期失能人员的基本生活照料和医疗护理问题，根据国家医保局、财政部关于扩大长期护理保险制度试点的指导意见，结合本市实际，制定本方案。
一、参保范围
长期护理保险原则上覆盖全市职工基本医疗保险参保人员，随职工基本医疗保险同步参保、同步缴费，有条件的地区可逐步扩大到城乡居民基本医疗保险参保人员。
二、保障对象
重点解决经医疗机构或康复机构规范诊疗、失能状态持续六个月以上，经申请通过评估认定的重度失能人员的基本护理保障需求，优先保障符合条件的失能老年人、重度残疾人。
三、资金筹集
探索建立互助共济、责任共担的多渠道筹资机制，按照以收定支、收支平衡、略有结余的原则合理确定筹资标准，筹资标准暂按每人每年九十元执行，由单位和个人按同比例分担。
四、待遇支付
长期护理保险基金按比例支付护理服务机构和护理人员为参保人提供的符合规定的护理服务所发生的费用，对居家护理和机构护理分别确定支付标准，总体支付水平控制在百分之七十左右。
五、管理服务
探索引入社会力量参与长期护理保险经办服务，建立健全护理服务机构协议管理制度，加强对护理服务行为和基金使用的监督检查，防范和打击欺诈骗保行为。"""

# The final text: title without 征求意见稿, the funding standard and payment level settled.
FINAL_C = DRAFT_C.replace("（征求意见稿）", "").replace(
    "筹资标准暂按每人每年九十元执行", "筹资标准为每人每年一百元"
).replace("总体支付水平控制在百分之七十左右", "总体支付水平控制在百分之七十")

# What survives extraction of an aggregator's chrome, typically a line at each end.
HEADER_NOISE = "来源：某某政策法规网  点击数：1234\n"
FOOTER_NOISE = "\n【打印本页】【关闭窗口】\n"

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)


def site_copy(text: str, width: int = 31) -> str:
    """``text`` as another site shows it: re-wrapped, full-width, indented, with chrome."""
    flat = text.replace("\n", "")
    swapped = flat.replace("，", ",").replace("。", ".").replace("（", "(").replace("）", ")")
    body = "\n".join("\u3000\u3000" + line for line in textwrap.wrap(swapped, width))
    return HEADER_NOISE + body + FOOTER_NOISE


def page(
    source_id: str,
    kind: str,
    url: str,
    text: str,
    *,
    at: datetime = T0,
    body: bytes | None = None,
    extra_parts: int = 0,
    **fields,
) -> PageRecord:
    """A PageRecord as the pipeline would hand it over (extraction fields via ``fields``)."""
    raw = body if body is not None else f"<html><body><div id=zoom>{text}</div></body></html>".encode("utf-8")
    parts = [CapturedPart(url=url, final_url=url, status=200, body=raw, fetched_at=at, encoding="utf-8")]
    for n in range(2, extra_parts + 2):
        part_url = url.replace(".html", f"_{n}.html")
        parts.append(
            CapturedPart(url=part_url, final_url=part_url, status=200, body=raw + bytes([n]), fetched_at=at)
        )
    fields.setdefault("topics", ["养老"])
    return PageRecord(source_id, kind, parts, Extraction(text=text, **fields))


def later(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


__all__ = [
    "DRAFT_C",
    "FINAL_C",
    "NOTICE_A",
    "NOTICE_A_REVISED",
    "NOTICE_B",
    "T0",
    "date",
    "later",
    "page",
    "site_copy",
]
