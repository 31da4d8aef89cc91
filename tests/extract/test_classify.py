import pytest

from crawler.extract.classify import doc_status, doc_type, topics
from extract_fixtures import seed_text


@pytest.mark.parametrize(
    "title, expected",
    [
        ("沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知", "通知"),
        ("国务院办公厅关于推进医疗卫生与养老服务相结合的指导意见", "指导意见"),
        ("国务院关于促进健康服务业发展的若干意见（国发〔2013〕40号）", "意见"),
        ("关于贯彻落实XX的实施意见", "实施意见"),
        ("沈阳市促进健康服务业发展三年行动计划", "行动计划"),
        ("2019年卫生健康工作计划", "计划"),
        ("贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案（征求意见稿）", "实施方案"),
        ("XX市养老服务体系建设工作方案", "方案"),
        ("实施方案XX山市推进健康养老产业转型发展实施方案.docx", "实施方案"),
        ("“健康沈阳2030”行动规划", "规划"),
        ("XX省“十三五”卫生与健康规划（2016—2020年）", "规划"),
        ("XX市长期护理保险实施细则（试行）", "细则"),
        ("XX省基本医疗保险门诊特殊疾病管理暂行办法", "办法"),
        ("国务院关于修改部分行政法规的决定", "决定"),
        ("关于开展养老服务机构安全隐患排查整治的通告", "通告"),
        ("国家医疗保障局公告", "公告"),
        ("医疗机构管理条例", "条例"),
        ("XX省医疗机构管理规定", "规定"),
        ("关于同意设立XX医院的批复", "批复"),
        ("关于XX问题的复函", "函"),
        ("中华人民共和国国务院令第706号", "令"),
        ("关于2019年全省医疗机构检查情况的通报", "通报"),
        # not a notice type
        ("一图读懂：XX政策解读", None),
        ("市卫健委召开工作会议", None),
        ("", None),
        (None, None),
    ],
)
def test_doc_type(title, expected):
    assert doc_type(title) == expected


@pytest.mark.parametrize(
    "title, text, expected",
    [
        ("XX实施方案（征求意见稿）", "", "draft"),
        ("关于《XX办法（征求意见稿）》公开征求意见的公告", "", "draft"),
        ("关于XX条例（草案）的说明", "", "draft"),
        ("XX市长期护理保险实施细则（试行）", "", "trial"),
        ("关于印发《XX办法(试行)》的通知", "", "trial"),
        ("XX省基本医疗保险门诊特殊疾病管理暂行办法", "", "interim"),
        ("XX暂行办法（征求意见稿）", "", "draft"),
        ("关于印发XX方案的通知", "", None),
        (None, "", None),
        # the text: only a status line of its own near the top counts
        ("多样化医疗服务的实施方案", "贵州省关于…的实施方案\n\n(征求意见稿)\n\n为贯彻落实…", "draft"),
        ("XX办法", "XX办法\n（试行）\n第一条", "trial"),
        ("XX方案", "根据《XX管理暂行办法》和《XX（试行）》规定，制定本方案。", None),
        ("XX方案", "x" * 700 + "\n(征求意见稿)\n", None),
        # draft words the classifier learnt from the title finder's and draft linking's lists
        ("XX管理办法（讨论稿）", "", "draft"),
        ("XX实施细则（代拟稿）", "", "draft"),
        ("XX方案", "XX方案\n（ 修订稿 ）\n为贯彻落实…", "draft"),
        ("XX条例", "XX条例\n（修订）\n第一条", None),  # a revised edition in force is no draft
    ],
)
def test_doc_status(title, text, expected):
    assert doc_status(title, text) == expected


HEALTH_BODY = "推进医疗服务，提高医疗卫生水平，加强公共卫生体系，发展健康服务业，完善医保支付。" * 3
TAX_BODY = "根据有关规定，纳税人取得的收入免征增值税，税务机关应当按规定办理。" * 40 + "本公告所称医疗机构按规定执行。"
TRANSPORT_BODY = "做好春运期间道路运输保障，加强客运站安全管理，确保旅客平安出行。" * 30 + "车站设置医疗救护点。"


@pytest.mark.parametrize(
    "title, text, expected_topics",
    [
        ("关于印发沈阳市促进健康服务业发展三年行动计划的通知", "", {"health"}),
        ("关于推进医疗卫生与养老服务相结合的指导意见", "", {"health", "eldercare"}),
        ("关于开展长期护理保险制度试点的指导意见", "", {"eldercare"}),
        ("关于推进老年人居家适老化改造的通知", "", {"eldercare"}),
        ("关于印发XX实施方案的通知", HEALTH_BODY, {"health"}),
        # a term in passing does not make a notice about the topic
        ("关于延续实施支持文化企业发展增值税政策的公告", TAX_BODY, set()),
        ("关于做好2019年春运工作的通知", TRANSPORT_BODY, set()),
        # false friends: healthy development, pensions
        ("关于促进房地产市场平稳健康发展的通知", "促进房地产市场平稳健康发展。", set()),
        ("关于调整退休人员基本养老金的通知", "调整基本养老金，养老保险待遇。" * 10, set()),
        ("", "", set()),
    ],
)
def test_topics(title, text, expected_topics):
    assert set(topics(title, text)) == expected_topics


def test_topic_terms_listed_longest_match_first():
    found = topics("关于促进健康服务业发展的若干意见", "")
    assert found == {"health": ["健康服务业"]}


def test_body_hits_need_density():
    # a long unrelated text with exactly a few health words scattered is off-topic
    text = ("做好道路运输保障。" * 500) + "医疗" + "卫生" + "医院" + "健康" + "医保"
    assert topics("关于做好运输工作的通知", text) == {}


@pytest.mark.parametrize("n, status", [(0, None), (1, "draft"), (2, None), (3, None), (4, None)])
def test_seed_status_and_topics(n, status):
    text = seed_text(n)
    assert doc_status(None, text) == status
    assert "health" in topics(None, text)


def test_the_classifier_serves_exactly_the_output_topics():
    from crawler.extract.classify import TOPIC_TERMS
    from crawler.extract.model import TOPICS

    assert tuple(TOPIC_TERMS) == TOPICS
