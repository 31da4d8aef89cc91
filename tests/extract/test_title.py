import pytest

from crawler.extract.boilerplate import join_broken_lines, strip_boilerplate
from crawler.extract.title import clean_candidate, clean_title, relatedness, title_from_text
from extract_fixtures import seed_text


def seed_body(n: int) -> str:
    return join_broken_lines(strip_boilerplate(seed_text(n)))


@pytest.mark.parametrize(
    "raw, expected",
    [
        # site suffixes
        ("沈政发[2015]31号 沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知_税屋——第一时间传递财税政策法规！",
         "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知"),
        ("国务院办公厅关于推进医疗联合体建设和发展的指导意见_政府信息公开专栏_中国政府网", "国务院办公厅关于推进医疗联合体建设和发展的指导意见"),
        ("保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知 - 保山市人民政府",
         "保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知"),
        ("江城市卫健委|关于做好老年人健康管理服务的通知", "关于做好老年人健康管理服务的通知"),
        # leading / trailing 文号
        ("国家税务总局公告2023年第5号 关于进一步规范增值税发票领用管理有关事项的公告", "关于进一步规范增值税发票领用管理有关事项的公告"),
        ("关于印发健康江城行动方案的通知（江政发〔2020〕3号）", "关于印发健康江城行动方案的通知"),
        ("国令第706号 医疗保障基金使用监督管理条例", "医疗保障基金使用监督管理条例"),
        # a 文号 that is part of the title stays
        ("关于转发国发〔2013〕40号文件的通知", "关于转发国发〔2013〕40号文件的通知"),
        # doc-sharing noise
        ("实施方案XX山市推进健康养老产业转型发展实施方案.docx", "XX山市推进健康养老产业转型发展实施方案"),
        ("江城市养老服务体系建设规划.pdf", "江城市养老服务体系建设规划"),
        # hyphens and spaces inside a title
        ("2021-2025年江城市养老服务体系建设规划", "2021-2025年江城市养老服务体系建设规划"),
        ("关于 印发 江城市 医养结合 实施方案的通知", "关于印发江城市医养结合实施方案的通知"),
        # nothing usable
        ("", None),
        (None, None),
        ("首页", None),
    ],
)
def test_clean_candidate(raw, expected):
    assert clean_candidate(raw) == expected


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知"),
        (1, "贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案(征求意见稿)"),  # over three lines
        (2, "保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知"),
        (3, "“健康沈阳2030”行动规划"),  # the spam question on top is no title
        (4, "XX山市推进健康养老产业转型发展实施方案"),
    ],
)
def test_title_from_seed_text(n, expected):
    assert title_from_text(seed_body(n), {"智慧米童教育综合体是做什么的?"}) == expected


def test_spam_title_is_rejected_for_the_heading_in_the_body():
    spam = "智慧米童教育综合体是做什么的?"
    title, source = clean_title(html_title=f"{spam}_百科问答", h1=spam, table_title=None, text=seed_body(3))
    assert (title, source) == ("“健康沈阳2030”行动规划", "text")


def test_relatedness_separates_a_spam_title_from_a_real_one():
    body = seed_body(3)
    assert relatedness("智慧米童教育综合体是做什么的?", body) < 0.5
    assert relatedness("沈阳市人民政府关于印发“健康沈阳2030”行动规划的通知", body) > 0.7


@pytest.mark.parametrize(
    "kw, expected",
    [
        # the page heading, cleaned
        (dict(html_title="沈政发[2015]31号 沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知_税屋——第一时间传递财税政策法规！",
              h1=None, table_title=None, n=0),
         ("沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知", "html_title")),
        # the metadata table's title wins
        (dict(html_title="保山市人民政府", h1="保山市人民政府", table_title="关于印发保山市大健康产业发展工作实施方案的通知", n=2),
         ("关于印发保山市大健康产业发展工作实施方案的通知", "table")),
        # a site logo in <h1> is no title: <title> is used
        (dict(html_title="保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知 - 保山市人民政府", h1="保山市人民政府",
              table_title=None, n=2),
         ("保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知", "html_title")),
        # a truncated doc-sharing title is completed from the text
        (dict(html_title="多样化医疗服务的实施方案_合集下载", h1=None, table_title=None, n=1),
         ("贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案(征求意见稿)", "text")),
        (dict(html_title="贵州省关于支持社会力量提供多层次多样化...", h1=None, table_title=None, n=1),
         ("贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案(征求意见稿)", "text")),
        # doc-sharing category prefix
        (dict(html_title=None, h1="实施方案XX山市推进健康养老产业转型发展实施方案.docx", table_title=None, n=4),
         ("XX山市推进健康养老产业转型发展实施方案", "h1")),
        # nothing but the text
        (dict(html_title=None, h1=None, table_title=None, n=4), ("XX山市推进健康养老产业转型发展实施方案", "text")),
    ],
)
def test_clean_title(kw, expected):
    n = kw.pop("n")
    assert clean_title(text=seed_body(n), **kw) == expected


def test_listing_title_is_the_last_candidate():
    text = "各区县民政局：\n现将养老机构名单予以公布，请各单位做好养老机构备案管理工作，加强服务质量监督。\n江城市民政局\n2023年3月1日"
    assert clean_title(html_title=None, h1=None, table_title=None, text=text, listing_title="关于公布养老机构名单的公告") == (
        "关于公布养老机构名单的公告",
        "listing",
    )


def test_short_text_cannot_judge_so_the_candidate_stands():
    assert clean_title(html_title="关于公布养老机构名单的公告", h1=None, table_title=None, text="见附件。") == (
        "关于公布养老机构名单的公告",
        "html_title",
    )


def test_no_title_anywhere():
    assert clean_title(html_title=None, h1=None, table_title=None, text="") == (None, "none")
