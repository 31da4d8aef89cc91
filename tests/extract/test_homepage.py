"""Which links of a home page lead to policy listings (crawler/extract/homepage.py): home
pages of the CMS families government sites run on, each with the links it must choose and
those it must not."""
import pytest

from crawler.extract.homepage import MAX_PER_PAGE, listing_candidates, registrable_domain, same_registrable
from crawler.samples.gen.bench import chrome


def home(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'><title>首页</title>{head}</head><body>{body}</body></html>"


TRS_PORTAL = home(
    '<div class="top"><a href="./wza/">无障碍</a><a href="javascript:void(0)">长者模式</a></div>'
    '<div class="nav"><ul><li><a href="./">首页</a></li><li><a href="./xwzx/">新闻中心</a>'
    '<ul><li><a href="./xwzx/gzdt/">工作动态</a></li><li><a href="./xwzx/tpxw/">图片新闻</a></li></ul></li>'
    '<li><a href="./zwgk/">政务公开</a><ul><li><a href="./zwgk/zcwj/">政策文件</a></li>'
    '<li><a href="./zwgk/zcjd/">政策解读</a></li><li><a href="./zwgk/zn/">政府信息公开指南</a></li></ul></li>'
    '<li><a href="./hdjl/">互动交流</a></li><li><a href="./bsfw/">办事服务</a></li></ul></div>'
    '<div class="main"><div class="gzdt"><ul>'
    '<li><a href="./xwzx/gzdt/202405/t20240507_123456.html">省卫生健康委召开全省医养结合工作推进会</a><span>2024-05-07</span></li>'
    '<li><a href="./zwgk/zcwj/202405/t20240506_123455.html">关于公布2023年度规范性文件清理结果的通知</a><span>2024-05-06</span></li>'
    "</ul></div></div>"
    '<div class="footer"><a href="./wzdt/">网站地图</a><a href="./lxwm/">联系我们</a></div>'
)
HANWEB = home(
    '<div id="menu"><a href="/index.html">首页</a><a href="/col/col1229000100/index.html">新闻动态</a>'
    '<a href="/col/col1229000200/index.html">信息公开</a></div>'
    '<div class="content"><div class="tzgg"><div class="title"><span>通知公告</span>'
    '<a href="/col/col1229000300/index.html" target="_blank">更多</a></div><ul>'
    '<li><a href="/art/2024/5/6/art_1229000300_59001.html" title="关于开展2024年老年健康宣传周活动的通知">关于开展2024年老年健康宣传周…</a></li>'
    '</ul></div><div class="zcwj"><a href="/col/col1229000400/index.html">政策文件</a></div>'
    '<div class="tpxw"><a href="/col/col1229000500/index.html">图片新闻</a></div></div>'
)
GKMLPT = home(
    '<div class="header"><a href="http://wsjkw.gd.gov.cn/">首页</a><a href="http://wsjkw.gd.gov.cn/xwzx/">新闻中心</a></div>'
    '<div class="xxgk_entry"><a href="http://wsjkw.gd.gov.cn/gkmlpt/index" target="_blank">'
    '<img src="/images/gkml.png" alt="" />广东省卫生健康委员会</a></div>'
)
ASP_TABLE = home(
    '<table width="980" border="0"><tr><td><a href="index.asp">网站首页</a></td>'
    '<td><a href="news.asp?classid=5">新闻动态</a></td><td><a href="news.asp?classid=3">通知公告</a></td>'
    '<td><a href="news.asp?classid=7">法规文件</a></td><td><a href="leader.asp">领导之窗</a></td></tr></table>'
    '<table><tr><td><a href="ShowArticle.asp?ArticleID=1201">关于做好2024年城乡居民医疗保障工作的通知</a></td>'
    "<td>2024-05-06</td></tr></table>"
    '<table class="bottom"><tr><td>版权所有：某某县医疗保障局 <a href="mailto:ybj@example.gov.cn">联系我们</a></td></tr></table>'
)
SUBDOMAIN = home(
    '<div class="navbar"><a href="/">首页</a><a href="http://xxgk.hbwjw.gov.cn/">政府信息公开</a>'
    '<a href="https://www.gov.cn/zhengce/">政策文件</a><a href="https://www.other.gov.cn/xxgk/">信息公开</a></div>'
)
# A district portal of the late 2010s (the shape of one saved in a public repository of
# home pages): block headings are tabs of links in an <h3>, each tab's notices below it,
# and the 政府信息公开 column lives on the city's platform, another registrable domain.
TABBED_DISTRICT = home(
    '<div id="zwgk"><div class="hdm5 con_bor z_left"><h3><a href="/affair/announcement/">政府公告</a>'
    '<a href="/affair/file/zcfb/">政策文件</a><a href="/affair/rsxx/">人事信息</a><a href="/affair/zfcg/">政府采购</a></h3>'
    '<div class="content"><ul><li><span>[03-06]</span>·<a href="/affair/announcement/ab12.html" title="关于征集区级民生实事项目意见建议的公告">关于征集区级民生实事项目…</a></li></ul></div>'
    '<div class="content" style="display:none"><ul><li><span>[02-22]</span>·<a href="/affair/file/zcfb/cd34.html" '
    'title="某政办发〔2018〕1号：关于做好养老服务设施建设工作的通知">某政办发〔2018〕1号：关于做好养老…</a></li></ul></div></div>'
    '<div class="hdm3 con_bor z_right_1"><h3><a href="http://zfxxgk.city.gov.cn/11E000/index.shtml">政府信息公开专栏</a></h3></div></div>'
)
NEWS_ONLY = home(
    '<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/tpxw/">图片新闻</a>'
    '<a href="/spxw/">视频新闻</a><a href="/ldxx/">领导信息</a><a href="/jgsz/">机构设置</a><a href="/hdjl/">互动交流</a></div>'
    '<ul><li><a href="/xwzx/202405/t20240507_1.html">全市卫生健康工作会议召开部署年度重点任务</a> 2024-05-07</li></ul>'
    '<div class="footer"><a href="/zcwj/">政策文件</a></div>'
)


@pytest.mark.parametrize("page, url, chosen, deeper", [
    (TRS_PORTAL, "http://wsjkw.example.gov.cn/",
     ["http://wsjkw.example.gov.cn/zwgk/zcwj/", "http://wsjkw.example.gov.cn/zwgk/zcjd/",
      "http://wsjkw.example.gov.cn/zwgk/"], {"http://wsjkw.example.gov.cn/zwgk/"}),
    (HANWEB, "http://ybj.example.gov.cn/index.html",
     ["http://ybj.example.gov.cn/col/col1229000300/index.html", "http://ybj.example.gov.cn/col/col1229000400/index.html",
      "http://ybj.example.gov.cn/col/col1229000200/index.html"], {"http://ybj.example.gov.cn/col/col1229000200/index.html"}),
    (GKMLPT, "http://wsjkw.gd.gov.cn/", ["http://wsjkw.gd.gov.cn/gkmlpt/index"], set()),
    (ASP_TABLE, "http://www.xxybj.gov.cn/index.asp",
     ["http://www.xxybj.gov.cn/news.asp?classid=3", "http://www.xxybj.gov.cn/news.asp?classid=7"], set()),
    (SUBDOMAIN, "http://www.hbwjw.gov.cn/", ["http://xxgk.hbwjw.gov.cn/"], {"http://xxgk.hbwjw.gov.cn/"}),
    (TABBED_DISTRICT, "http://www.district.gov.cn/",
     ["http://www.district.gov.cn/affair/announcement/", "http://www.district.gov.cn/affair/file/zcfb/"], set()),
    (NEWS_ONLY, "http://www.example.gov.cn/", [], set()),
], ids=["trs_portal", "hanweb_col", "gkmlpt", "asp_table", "xxgk_subdomain", "tabbed_district", "news_only"])
def test_the_listings_a_home_page_links(page, url, chosen, deeper):
    found = listing_candidates(page, url)
    assert [c.url for c in found] == chosen
    assert {c.url for c in found if c.deeper} == deeper


def test_the_marks_say_why():
    by_url = {c.url: c for c in listing_candidates(HANWEB, "http://ybj.example.gov.cn/index.html")}
    more = by_url["http://ybj.example.gov.cn/col/col1229000300/index.html"]
    assert more.label == "通知公告" and {"more", "url:hanweb_col", "word:通知公告"} <= set(more.marks)
    gk = listing_candidates(GKMLPT, "http://wsjkw.gd.gov.cn/")[0]
    assert "url:gkmlpt" in gk.marks and not gk.deeper


def test_a_headline_naming_a_column_is_a_notice_not_a_column():
    page = home('<div class="main"><a href="/tzgg/notice_1.html">关于公布2023年度规范性文件清理结果的通知</a></div>')
    assert listing_candidates(page, "http://a.gov.cn/") == []


def test_the_gkmlpt_index_is_chosen_by_its_url_and_its_notices_are_not():
    page = home('<div class="main"><a href="/gkmlpt/index">广东省卫生健康委员会政府信息公开目录管理平台</a>'
                '<a href="/gkmlpt/content/4/4123/post_4123456.html">政策文件</a></div>')
    assert [c.url for c in listing_candidates(page, "http://wsjkw.gd.gov.cn/")] == ["http://wsjkw.gd.gov.cn/gkmlpt/index"]


def test_an_image_button_is_named_by_its_alt_text():
    page = home('<div class="main"><a href="/zcfg/"><img src="/images/zcfg.png" alt="政策法规" /></a>'
                '<a href="/tpxw/"><img src="/images/tpxw.png" alt="图片新闻" /></a></div>')
    assert [c.url for c in listing_candidates(page, "http://a.gov.cn/")] == ["http://a.gov.cn/zcfg/"]


def test_the_same_words_in_the_footer_rank_below_the_page():
    page = home('<div class="footer"><a href="/a/">政策文件</a></div><div class="main"><a href="/b/">政策文件</a></div>')
    assert [c.url for c in listing_candidates(page, "http://a.gov.cn/")] == ["http://a.gov.cn/b/"]


def test_at_most_a_few_listings_a_page_and_none_already_chosen():
    words = ["政策文件", "规范性文件", "通知公告", "政策法规", "政策解读", "法规文件", "公示公告", "文件通知", "部门文件"]
    page = home("".join(f'<div class="main"><a href="/c{i}/">{w}</a></div>' for i, w in enumerate(words)))
    found = listing_candidates(page, "http://a.gov.cn/")
    assert len(found) == MAX_PER_PAGE
    again = listing_candidates(page, "http://a.gov.cn/", exclude={c.url for c in found})
    assert [c.url for c in again] == [f"http://a.gov.cn/c{i}/" for i in range(MAX_PER_PAGE, len(words))]


def test_the_generated_portal_chrome_leads_to_its_policy_columns():
    """The bench generator's portal menu (columns of a real TRS portal's shape): its policy
    sub-columns are chosen, its news, service and guide columns are not."""
    page = home(chrome.header("yl") + '<div class="main"></div>' + chrome.footer("yl"))
    labels = {c.label for c in listing_candidates(page, "http://127.0.0.1:8000/yl/index.html")}
    assert {"政策文件", "政策解读"} <= labels
    assert not labels & {"新闻中心", "图片新闻", "政务服务", "政府信息公开指南", "政府信息公开年报", "依申请公开"}


@pytest.mark.parametrize("host, domain", [
    ("wjw.hubei.gov.cn", "hubei.gov.cn"), ("xxgk.hubei.gov.cn", "hubei.gov.cn"), ("www.nhsa.gov.cn", "nhsa.gov.cn"),
    ("www.yanglaocn.com", "yanglaocn.com"), ("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"),
])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_a_link_may_move_to_another_host_of_the_site_only():
    assert same_registrable("http://xxgk.hubei.gov.cn/a", "http://wjw.hubei.gov.cn/")
    assert not same_registrable("http://www.henan.gov.cn/a", "http://wjw.hubei.gov.cn/")
    assert not same_registrable("http://127.0.0.2/a", "http://127.0.0.1/")
