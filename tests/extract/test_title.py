import pytest

from crawler.extract.boilerplate import join_broken_lines, strip_boilerplate
from crawler.extract.title import clean_title, relatedness, title_from_cover_letter, title_from_text
from crawler.extract.title_candidate import clean_candidate, tidy_spaces
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
        # joint issuers keep one space between them; the site suffix still goes
        ("国家医保局 财政部关于扩大长期护理保险制度试点的指导意见_国务院政策文件库",
         "国家医保局 财政部关于扩大长期护理保险制度试点的指导意见"),
        ("保山市医疗保障局　保山市财政局　国家税务总局保山市税务局关于做好2021年度城乡居民基本医疗保险参保缴费工作的通知",
         "保山市医疗保障局 保山市财政局 国家税务总局保山市税务局关于做好2021年度城乡居民基本医疗保险参保缴费工作的通知"),
        ("中共沈阳市委  沈阳市人民政府关于印发《“健康沈阳2030”行动规划》的通知",
         "中共沈阳市委 沈阳市人民政府关于印发《“健康沈阳2030”行动规划》的通知"),
        # a joint announcement's number before the title, issuers and all
        ("财政部 税务总局 发展改革委 民政部 商务部 卫生健康委公告2019年第76号 财政部 税务总局 发展改革委 民政部 商务部 "
         "卫生健康委关于养老、托育、家政等社区家庭服务业税费优惠政策的公告_税屋——第一时间传递财税政策法规！",
         "财政部 税务总局 发展改革委 民政部 商务部 卫生健康委关于养老、托育、家政等社区家庭服务业税费优惠政策的公告"),
        ("国家税务总局 江城市税务局公告2023年第5号 关于进一步规范增值税发票领用管理有关事项的公告",
         "关于进一步规范增值税发票领用管理有关事项的公告"),
        # a CMS's column name after a bare hyphen
        ("中华人民共和国监察法-纪检", "中华人民共和国监察法"),
        ("江城市养老服务条例－政策法规", "江城市养老服务条例"),
        ("关于印发《江城市“十四五”养老服务规划》-解读", "关于印发《江城市“十四五”养老服务规划》"),
        ("新冠-疫苗", "新冠-疫苗"),  # too short to be a title with a suffix
        # brackets stay
        ("贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案（征求意见稿）",
         "贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案（征求意见稿）"),
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


@pytest.mark.parametrize(
    "raw, expected",
    [
        # joint issuers opening the title: one space each
        ("财政部 税务总局关于养老服务税费优惠政策的公告", "财政部 税务总局关于养老服务税费优惠政策的公告"),
        ("财政部　　税务总局 民政部关于养老服务税费优惠政策的公告", "财政部 税务总局 民政部关于养老服务税费优惠政策的公告"),
        ("中共中央 国务院印发《“健康中国2030”规划纲要》", "中共中央 国务院印发《“健康中国2030”规划纲要》"),
        # no space before 关于, nor inside the rest of the title
        ("国家医保局 财政部 关于扩大长期护理保险制度试点的指导意见", "国家医保局 财政部关于扩大长期护理保险制度试点的指导意见"),
        ("全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007　年末国债余额限额的决议",
         "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007年末国债余额限额的决议"),
        ("关于 印发 江城市 医养结合 实施方案的通知", "关于印发江城市医养结合实施方案的通知"),
        ("江城市 2023年 养老服务 工作要点", "江城市2023年养老服务工作要点"),
        ("关于印发 《江城市养老服务条例》 的通知", "关于印发《江城市养老服务条例》的通知"),
        # a news headline is no official title: its phrases keep the one space between them
        ("第三届知道安全论坛鸟巢举办 知道创宇发布新版ZoomEye", "第三届知道安全论坛鸟巢举办 知道创宇发布新版ZoomEye"),
        ("李强在新疆调研时强调　彰显特色优势  提高开放水平", "李强在新疆调研时强调 彰显特色优势 提高开放水平"),
        ("2024年4月全国CPI同比上涨0.3% 食品价格下降2.7%", "2024年4月全国CPI同比上涨0.3% 食品价格下降2.7%"),
        ("书记市长这一周 | 奋马扬鞭争春色", "书记市长这一周 | 奋马扬鞭争春色"),
        # …but not a stray space at a number's unit or around a one-character piece
        ("全市养老床位达到2.3 万张 老年 人 满意度提升", "全市养老床位达到2.3万张 老年人 满意度提升"),
        # Latin words and numbers keep theirs
        ("关于做好 COVID 19 疫苗接种工作的通知", "关于做好COVID 19疫苗接种工作的通知"),
    ],
)
def test_tidy_spaces(raw, expected):
    assert tidy_spaces(raw) == expected


@pytest.mark.parametrize(
    "kw, expected",
    [
        # a file name lost the brackets the text keeps
        (dict(html_title=None, h1="江城市养老服务条例征求意见稿.docx", table_title=None,
              text="江城市养老服务条例（征求意见稿）\n第一条 为了规范江城市养老服务，保障老年人合法权益，根据有关法律法规，结合本市实际，制定本条例。现将条例征求意见稿公布，征求社会各界意见。"),
         ("江城市养老服务条例（征求意见稿）", "text")),
        # same words, same punctuation: the page's candidate stands
        (dict(html_title=None, h1="江城市养老服务条例（征求意见稿）", table_title=None,
              text="江城市养老服务条例（征求意见稿）\n第一条 为了规范江城市养老服务，保障老年人合法权益，根据有关法律法规，结合本市实际，制定本条例。现将条例征求意见稿公布，征求社会各界意见。"),
         ("江城市养老服务条例（征求意见稿）", "h1")),
        # a table title is never second-guessed
        (dict(html_title=None, h1=None, table_title="江城市养老服务条例征求意见稿",
              text="江城市养老服务条例（征求意见稿）\n第一条 为了规范江城市养老服务，保障老年人合法权益，根据有关法律法规，结合本市实际，制定本条例。现将条例征求意见稿公布，征求社会各界意见。"),
         ("江城市养老服务条例征求意见稿", "table")),
    ],
)
def test_clean_title_prefers_the_punctuated_form(kw, expected):
    assert clean_title(**kw) == expected


_LETTER = (
    "保卫健发〔2019〕66号\n各县（市、区）卫生健康局，委属各单位：\n"
    "现将《{name}》{verb}给你们，请结合实际认真组织实施。\n{signature}\n2019年6月10日\n{name}\n为推动家庭医生签约服务，制定本方案。"
)


@pytest.mark.parametrize(
    "name, verb, issuers, expected",
    [
        ("保山市推进家庭医生签约服务高质量发展实施方案", "印发", ["保山市卫生健康委员会"],
         "保山市卫生健康委员会关于印发保山市推进家庭医生签约服务高质量发展实施方案的通知"),
        ("保山市推进家庭医生签约服务高质量发展实施方案", "转发", ["保山市卫生健康委员会"],
         "保山市卫生健康委员会关于转发保山市推进家庭医生签约服务高质量发展实施方案的通知"),
        # joint issuers, one space apart
        ("保山市推进家庭医生签约服务高质量发展实施方案", "印发", ["保山市卫生健康委员会", "保山市医疗保障局"],
         "保山市卫生健康委员会 保山市医疗保障局关于印发保山市推进家庭医生签约服务高质量发展实施方案的通知"),
        # a regulation's name keeps its 书名号
        ("保山市家庭医生签约服务管理办法（试行）", "印发", ["保山市卫生健康委员会"],
         "保山市卫生健康委员会关于印发《保山市家庭医生签约服务管理办法（试行）》的通知"),
        ("保山市长期护理保险制度试点实施细则", "印发", ["保山市医疗保障局"],
         "保山市医疗保障局关于印发《保山市长期护理保险制度试点实施细则》的通知"),
    ],
)
def test_title_from_cover_letter(name, verb, issuers, expected):
    text = _LETTER.format(name=name, verb=verb, signature=" ".join(issuers))
    signed_at = text.index(issuers[0])
    assert title_from_cover_letter(text, name, issuers, signed_at) == expected


@pytest.mark.parametrize(
    "text, title, issuers",
    [
        # the letter names another document than the title found
        (_LETTER.format(name="保山市推进家庭医生签约服务高质量发展实施方案", verb="印发", signature="保山市卫生健康委员会"),
         "保山市慢性病综合防控示范区建设工作方案", ["保山市卫生健康委员会"]),
        # no issuers known
        (_LETTER.format(name="保山市推进家庭医生签约服务高质量发展实施方案", verb="印发", signature="保山市卫生健康委员会"),
         "保山市推进家庭医生签约服务高质量发展实施方案", []),
        # no letter part at all: the page is the plan itself
        ("保山市推进家庭医生签约服务高质量发展实施方案\n为推动家庭医生签约服务，制定本方案。\n保山市卫生健康委员会\n2019年6月10日",
         "保山市推进家庭医生签约服务高质量发展实施方案", ["保山市卫生健康委员会"]),
    ],
)
def test_no_title_from_cover_letter(text, title, issuers):
    signed_at = text.find("保山市卫生健康委员会\n2019")
    assert title_from_cover_letter(text, title, issuers, signed_at) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # an aggregator's "文号 title" line: the title without its number
        ("沈政发[2015]31号 沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知\n来源:税屋 时间:2015-07-12",
         "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知"),
        ("财政部 税务总局 民政部公告2019年第76号 财政部 税务总局 民政部关于养老服务税费优惠政策的公告\n为支持养老服务发展，现公告如下：",
         "财政部 税务总局 民政部关于养老服务税费优惠政策的公告"),
        # joint issuers in the text's title line keep their spaces, nothing else does
        ("国家医保局　财政部关于扩大长期护理保险制度试点的指导意见\n各省、自治区、直辖市医疗保障局、财政厅（局）：",
         "国家医保局 财政部关于扩大长期护理保险制度试点的指导意见"),
        ("关于 2019年 部分节假日安排的通知\n各省、自治区、直辖市人民政府：", "关于2019年部分节假日安排的通知"),
    ],
)
def test_title_from_text_forms(text, expected):
    assert title_from_text(text) == expected
