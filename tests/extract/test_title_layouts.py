"""Titles on the page layouts real sites wrap them in: chrome and marks before the heading,
titles kept only in <meta>, portal headings with dates and share bars appended, subtitles
and second headlines, breadcrumbs. (tests/extract/test_title.py: the candidate rules.)"""
import pytest

from crawler.extract.title_candidate import clean_candidate


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
