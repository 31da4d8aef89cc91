"""Titles on the long tail of government sites (issue 19), one table per miss class. The
pages are written here, as the templates of those classes set their headings."""
import pytest

from crawler.extract.classify import doc_status
from crawler.extract.page import extract_page, page_head
from crawler.extract.title import clean_title, title_from_text
from crawler.extract.title_candidate import clean_candidate, leading_tags, reads_as_issuers

TITLE = "沈阳市民政局关于进一步做好养老服务工作的通知"
BODY = (
    "<div class='content'><p>各区民政局：</p><p>为进一步做好全市养老服务工作，沈阳市民政局决定开展相关工作，"
    "关于进一步做好养老服务工作的要求如下，现将有关事项通知如下。</p>"
    "<p>一、加强居家养老服务。各区要完善居家养老服务网络，为老年人提供助餐、助浴、助洁等服务。</p></div>"
)


def page(html_title: str, heading: str, body: str = BODY) -> bytes:
    return f"<html><head><title>{html_title}</title></head><body>{heading}{body}</body></html>".encode()


def title_of(html: bytes) -> str | None:
    return extract_page(html, "http://example.org/a.html").title


# class: decorative tag before the heading (【…】, [...])
@pytest.mark.parametrize("heading", [
    f"<h1>【市级相关政策】{TITLE}</h1>",
    f"<div class='title'>【贷款】{TITLE}</div>",
    f"<h1>[已废止]{TITLE}</h1>",
    f"<h1>【政策文件】[已失效]{TITLE}</h1>",
    f"<h1>［转载］{TITLE}</h1>",
], ids=["column", "topic-in-text", "repealed", "two-tags", "full-width-square"])
def test_decorative_tag_before_the_heading(heading):
    assert title_of(page(TITLE, heading)) == TITLE


@pytest.mark.parametrize("raw", [
    "〔2020〕沈阳市养老服务的通知",  # a bracket with digits is no tag
    "【通知】",  # a tag with no title after it is what there is
])
def test_what_is_not_a_decorative_tag(raw):
    assert leading_tags(raw) == []
    assert clean_candidate(raw) == raw


@pytest.mark.parametrize("raw, tags, status", [
    (f"[已废止]{TITLE}", ["已废止"], "repealed"),
    (f"【市级相关政策】【失效】{TITLE}", ["市级相关政策", "失效"], "repealed"),
    (f"【市级相关政策】{TITLE}", ["市级相关政策"], None),
])
def test_a_validity_tag_becomes_the_status(raw, tags, status):
    assert leading_tags(raw) == tags
    assert doc_status(clean_candidate(raw), "", marks=leading_tags(raw)) == status


def test_repealed_page_keeps_the_fact():
    ex = extract_page(page(f"[已废止]{TITLE}", f"<h1>[已废止]{TITLE}</h1>"), "http://example.org/a.html")
    assert (ex.title, ex.status) == (TITLE, "repealed")


def test_table_validity_cell_is_a_status_fact():
    table = "<table><tr><td>索引号：</td><td>11210100/2020-00001</td><td>有效性：</td><td>失效</td></tr></table>"
    ex = extract_page(page(TITLE, table + f"<h1>{TITLE}</h1>"), "http://example.org/a.html")
    assert ex.status == "repealed"


def test_a_draft_stays_a_draft_when_tagged():
    assert doc_status("关于…办法（征求意见稿）", "", marks=["已废止"]) == "draft"


# class: zero-width characters kept
@pytest.mark.parametrize("heading", [
    "<h1>沈阳市民政局\u200b关于进一步做好养老服务工作的通知</h1>",
    "<h1>\ufeff沈阳市民政局关于进一步做好养老服务工作的通知</h1>",
    "<h1>沈阳市民政局关于进一步\u200c做好养老服务\u200d工作的通知\u200b</h1>",
], ids=["U+200B", "U+FEFF", "U+200C-U+200D"])
def test_zero_width_characters_removed(heading):
    assert title_of(page(TITLE, heading)) == TITLE


def test_zero_width_characters_removed_from_a_text_title():
    assert title_from_text("沈阳市民政局关于进一步做好\u200b养老服务工作的通知\n各区民政局：") == TITLE


# class: date in brackets appended
@pytest.mark.parametrize("heading", [
    f"<h1>{TITLE}(2024年01月30日)</h1>",
    f"<h1>{TITLE}（2024-01-30）</h1>",
    f"<h1>{TITLE} （2024.1.30）</h1>",
])
def test_date_in_brackets_appended(heading):
    assert title_of(page(TITLE, heading)) == TITLE


@pytest.mark.parametrize("raw", [
    "沈阳市养老服务体系建设规划（2021—2025年）",  # a plan's period is part of its title
    "中华人民共和国老年人权益保障法（2018年12月29日修正）",  # a law's edition too
])
def test_bracketed_period_or_edition_stays(raw):
    assert clean_candidate(raw) == raw


# class: heading split over two elements, one part read
@pytest.mark.parametrize("heading", [
    "<div class='title'><h1>沈阳市民政局关于进一步做好</h1><h2>养老服务工作的通知</h2></div>",
    "<h1 class='title'>沈阳市民政局关于进一步做好</h1><div class='subtitle'>养老服务工作的通知</div>",
    "<h1>沈阳市民政局关于进一步做好</h1>\n<h1>养老服务工作的通知</h1>",
])
def test_heading_split_over_two_elements(heading):
    assert title_of(page("沈阳市人民政府", heading)) == TITLE


def test_a_subtitle_under_a_whole_heading_is_not_joined():
    html = page("沈阳市人民政府", f"<h1>{TITLE}</h1><h2>市民政局 2024年1月30日</h2>")
    assert page_head(html.decode())["h1"] == TITLE


# class: issuer prefix dropped
LONG_TEXT = ("各区卫生健康局、民政局、财政局：\n为进一步做好养老服务工作，市卫健委、市民政局、市财政局等八部门研究制定了方案，"
             "现将有关事项通知如下。一、做好养老服务工作。二、加强居家养老服务保障，进一步做好服务。")


@pytest.mark.parametrize("h1, text_head", [
    ("民政部 财政部关于进一步做好养老服务工作的通知", "关于进一步做好养老服务工作的通知"),
    ("市民政局、市财政局关于进一步做好养老服务工作的通知", "关于进一步做好养老服务工作的通知"),
    ("市卫健委等八部门印发关于进一步做好养老服务工作的通知", "关于进一步做好养老服务工作的通知"),
])
def test_issuer_prefix_kept_over_a_text_line_without_it(h1, text_head):
    assert clean_title(html_title=None, h1=h1, table_title=None, text=text_head + "\n" + LONG_TEXT) == (h1, "h1")


@pytest.mark.parametrize("lines, expected", [
    ("市卫健委等八部门印发\n关于进一步做好养老服务工作的通知", "市卫健委等八部门印发关于进一步做好养老服务工作的通知"),
    ("市民政局 市财政局\n关于进一步做好养老服务工作的通知", "市民政局 市财政局关于进一步做好养老服务工作的通知"),
    # a site's name above the title is no issuer line of it
    ("沈阳市民政局\n关于进一步做好养老服务工作的通知", "关于进一步做好养老服务工作的通知"),
    ("政务公开专栏栏目\n关于进一步做好养老服务工作的通知", "关于进一步做好养老服务工作的通知"),
])
def test_issuer_line_above_a_text_title(lines, expected):
    assert title_from_text(lines + "\n" + LONG_TEXT) == expected


@pytest.mark.parametrize("prefix, expected", [
    ("民政部 财政部", True), ("市卫健委等八部门印发", True), ("市民政局、市财政局", True), ("省卫生健康委等部门", True),
    ("通知公告", False), ("沈阳市", False), ("印发", False), ("政策文件", False),
])
def test_reads_as_issuers(prefix, expected):
    assert reads_as_issuers(prefix) is expected


# class: label text read as the title (a 政策解读 page)
EXPLAINER_BODY = (
    "<div class='content'><p>《沈阳市养老服务条例》解读</p><p>一、出台背景。为规范养老服务，保障老年人合法权益，"
    "市人大常委会审议通过了《沈阳市养老服务条例》，现就条例的主要内容解读如下。</p>"
    "<p>二、主要内容。条例共七章，对养老服务设施规划、居家社区养老服务、机构养老服务作出规定。</p></div>"
)


@pytest.mark.parametrize("html_title, heading", [
    ("政策解读", "<div class='tit'>政策解读</div><h2>《沈阳市养老服务条例》解读</h2>"),
    ("政策解读_沈阳市人民政府", "<h1>政策解读</h1>"),
    ("图文解读", "<h1>解读</h1>"),
])
def test_label_text_is_not_the_title(html_title, heading):
    assert title_of(page(html_title, heading, EXPLAINER_BODY)) == "《沈阳市养老服务条例》解读"


@pytest.mark.parametrize("label", ["政策解读", "解读", "通知公告", "信息公开", "正文", "详细内容", "政策文件"])
def test_label_candidates_are_none(label):
    assert clean_candidate(label) is None
