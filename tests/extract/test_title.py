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


# -- chrome before the heading, titles kept only in <meta> (layouts of Hanweb 信息公开 pages such as
# www.jiangxi.gov.cn/art/…/art_4975_*.html in the eval corpus: a "（此件主动公开）" line over the
# title, <title> "site column title", the CMS's <meta name="ArticleTitle">) ------------------------
from crawler.extract import extract_page  # noqa: E402
from crawler.extract.title_candidate import is_mark_line, strip_leading_marks  # noqa: E402

_BODY = "<p>各设区市人民政府，省政府各部门：</p><p>经省政府同意，现将有关事项通知如下，请认真贯彻执行。</p>"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("（此件主动公开）江西省人民政府关于废止有关规定的决定", "江西省人民政府关于废止有关规定的决定"),
        ("(此件公开发布) 关于做好养老服务工作的通知", "关于做好养老服务工作的通知"),
        ("【字体：大 中 小】关于做好养老服务工作的通知", "关于做好养老服务工作的通知"),
        ("【打印】 【分享】 关于做好养老服务工作的通知", "关于做好养老服务工作的通知"),
        ("打印本页关于", "打印本页关于"),  # a word, not a mark
        ("（此件主动公开）", "（此件主动公开）"),  # nothing after: left alone
    ],
)
def test_marks_before_the_heading_are_not_the_title(raw, expected):
    assert strip_leading_marks(raw) == expected


def test_mark_lines():
    assert is_mark_line("（此件主动公开）") and is_mark_line("【字体：大 中 小】")
    assert not is_mark_line("关于做好养老服务工作的通知")


@pytest.mark.parametrize(
    "page, expected",
    [
        pytest.param(
            "<html><head><title>省政府 领导干部任免 江西省人民政府关于袁某等同志任职的通知</title>"
            '<meta name="ArticleTitle" content="江西省人民政府关于袁某等同志任职的通知"></head><body>'
            "<h1>江西省人民政府关于袁某等同志任职的通知</h1><div id=zoom><p>各设区市人民政府，省政府各部门：</p>"
            "<p>经研究决定：任命袁某为省卫生健康委员会副主任；李某为省医疗保障局副局长。特此通知。</p>"
            "<p>2020年3月3日</p></div></body></html>",
            "江西省人民政府关于袁某等同志任职的通知",
            id="heading confirmed by ArticleTitle, body sharing few words with it",
        ),
        pytest.param(
            "<html><head><title>门户网站</title>"
            '<meta property="og:title" content="关于做好2023年老年人健康管理服务工作的通知"></head><body>'
            f"<div id=zoom>{_BODY}</div></body></html>",
            "关于做好2023年老年人健康管理服务工作的通知",
            id="heading only in og:title",
        ),
        pytest.param(
            "<html><head><title>新华视界｜河北遵化：数字农机服务助力农业生产-新华网</title></head><body>"
            "<h1>新华视界｜河北遵化：数字农机服务助力农业生产</h1><div id=zoom>"
            "<p>近日，河北省遵化市的农民在田间使用数字农机服务平台调度农机，开展春耕春播。"
            "数字农机服务平台让农机作业更高效，助力农业生产提质增效。</p></div></body></html>",
            "新华视界｜河北遵化：数字农机服务助力农业生产",
            id="a column name the heading joins with a bar stays",
        ),
        pytest.param(
            "<html><head><title>书记市长这一周 | 奋马扬鞭争春色，&ldquo;虎&rdquo;力全开向未来</title></head><body>"
            "<div class=\"tit2\">书记市长这一周 | 奋马扬鞭争春色，&ldquo;虎&rdquo;力全开向未来</div>"
            "<div class=\"box-text-time\"><span>2022-02-13 20:04:17</span></div><div id=zoom>"
            "<p>2月7日，春节后首个工作日，南京市委市政府召开全市深化作风建设优化营商环境大会，部署全年营商环境建设任务。</p>"
            "<p>同一日，苏州召开2021年度综合考核工作总结暨作风建设大会，表彰先进集体和个人。</p></div></body></html>",
            "书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来",
            id="a figurative headline its heading and <title> agree on, the text offering no title",
        ),
        pytest.param(
            "<html><head><title>关于废止有关规定的决定</title></head><body><div id=zoom>"
            "<p>（此件主动公开）</p><p>江西省人民政府关于废止有关规定的决定</p>"
            f"{_BODY}</div></body></html>",
            "江西省人民政府关于废止有关规定的决定",
            id="public-release mark on the line above the title",
        ),
    ],
)
def test_titles_from_real_layouts(page, expected):
    assert extract_page(page).title == expected


# -- portal headings: date, 来源, share bar appended; ads in brackets; subtitles and second headlines
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("关于做好养老服务工作的通知 2023-05-08 来源：市卫健委 分享到：", "关于做好养老服务工作的通知"),
        ("关于做好养老服务工作的通知 2023年05月08日 10:21", "关于做好养老服务工作的通知"),
        ("关于做好养老服务工作的通知来源：市卫健委", "关于做好养老服务工作的通知"),
        ("关于做好养老服务工作的通知 【字体：大 中 小】", "关于做好养老服务工作的通知"),
        ("【税屋学堂火热报名中】关于个人所得税专项附加扣除的公告", "关于个人所得税专项附加扣除的公告"),
        ("关于做好2019年12月31日前养老机构评估工作的通知", "关于做好2019年12月31日前养老机构评估工作的通知"),
        # a subtitle joined by —— stays; a site name after —— goes
        ("深化医改惠及民生——在全市卫生健康工作会议上的讲话_XX市卫生健康委员会", "深化医改惠及民生——在全市卫生健康工作会议上的讲话"),
        ("关于做好养老服务工作的通知——XX市人民政府", "关于做好养老服务工作的通知"),
        ("关于2019年度养老机构评估结果的公示_通知公告_XX市民政局", "关于2019年度养老机构评估结果的公示"),
    ],
)
def test_portal_headings_are_cut(raw, expected):
    assert clean_candidate(raw) == expected


def test_a_bar_cuts_a_title_record_but_not_a_heading():
    assert clean_candidate("新华视界｜河北遵化：数字农机服务助力农业生产") == "河北遵化：数字农机服务助力农业生产"
    assert clean_candidate("新华视界｜河北遵化：数字农机服务助力农业生产", heading=True) == "新华视界｜河北遵化：数字农机服务助力农业生产"
    assert clean_candidate("关于做好养老服务工作的通知_XX市民政局", heading=True) == "关于做好养老服务工作的通知"


_NEWS = (
    "<p>当地时间9月16日下午，山西品牌丝路行（南美站）活动在巴西圣保罗正式启动，并成功举办双向经贸投资推介会。"
    "举办丝路行活动是我省融入“一带一路”建设、构建对外开放新高地的具体举措。</p>"
)


@pytest.mark.parametrize(
    "page, expected",
    [
        # layout of www.shanxi.gov.cn news pages (eval corpus): a second headline under the
        # title inside the heading; <title> and ArticleTitle stop before it
        pytest.param(
            "<html><head><title>山西品牌丝路行（南美站）正式启动 - 山西省人民政府门户网站</title>"
            '<meta name="ArticleTitle" content="山西品牌丝路行（南美站）正式启动"></head><body>'
            "<h1>山西品牌丝路行（南美站）正式启动<br>成功举办中国（山西）－巴西双向经贸投资推介会</h1>"
            f"<div id=zoom>{_NEWS}</div></body></html>",
            "山西品牌丝路行（南美站）正式启动",
            id="second headline not in <title>",
        ),
        pytest.param(
            "<html><head><title>深化医改惠及民生——在全市卫生健康工作会议上的讲话_XX市卫生健康委员会</title></head><body>"
            "<h1>深化医改惠及民生<br>——在全市卫生健康工作会议上的讲话</h1><div id=zoom>"
            "<p>同志们：今天召开全市卫生健康工作会议，深化医改惠及民生，总结工作，部署任务。</p>"
            "<p>一年来，全市卫生健康系统在全市卫生健康工作中深化医改，惠及民生，取得了新的成效。</p></div></body></html>",
            "深化医改惠及民生——在全市卫生健康工作会议上的讲话",
            id="subtitle on the next heading line, carried by <title>",
        ),
    ],
)
def test_subtitles_and_second_headlines(page, expected):
    assert extract_page(page).title == expected


@pytest.mark.parametrize(
    "chrome",
    ["位置：首页 > 政务公开 > 通知公告", "当前位置 > 首页 > 通知公告", "首页 > 信息公开 > 卫生健康", "您是第12345位访问者",
     "您是本站第1,234位访客", "访问人次：20391"],
)
def test_breadcrumbs_and_visitor_counters_never_open_the_text(chrome):
    page = (
        f"<html><head><title>关于做好养老服务工作的通知</title></head><body><div id=zoom><p>{chrome}</p>"
        "<p>关于做好养老服务工作的通知</p><p>各区民政局：</p>"
        "<p>为做好养老服务工作，现将有关事项通知如下，请结合实际认真贯彻执行，并及时报送工作进展情况。</p></div></body></html>"
    )
    ex = extract_page(page)
    assert ex.text.splitlines()[0] == "关于做好养老服务工作的通知"
    assert chrome not in ex.text
