"""文号 forms of the long tail of government sites (issue 19), one table per miss class.
The examples are written here, in the forms those classes take; no site's page is read."""
import pytest

from crawler.extract.docnumber import find_doc_numbers, is_explainer, own_doc_number
from crawler.extract.page import extract_page
from crawler.vocab.docnumber import normalize_doc_number


def numbers(text):
    return [(n.raw, n.normalized) for n in find_doc_numbers(text)]


# class: 公告-style number (…公告2025年第17号), joint issuers included, and its siblings
@pytest.mark.parametrize("text, raw, normalized", [
    ("财政部 税务总局公告2025年第17号", "财政部 税务总局公告2025年第17号", "财政部税务总局公告2025年第17号"),
    ("财政部、税务总局公告2025年第17号", "财政部、税务总局公告2025年第17号", "财政部税务总局公告2025年第17号"),
    ("财政部　 税务总局公告2025年第17号", "财政部　 税务总局公告2025年第17号", "财政部税务总局公告2025年第17号"),
    ("文号：财政部 税务总局 民政部公告2025年第17号", "财政部 税务总局 民政部公告2025年第17号",
     "财政部税务总局民政部公告2025年第17号"),
    ("国家税务总局公告2018年31号", "国家税务总局公告2018年31号", "国家税务总局公告2018年第31号"),
    ("国家医疗保障局公告〔2025〕1号", "国家医疗保障局公告〔2025〕1号", "国家医疗保障局公告〔2025〕1号"),
    ("文号：国家医保局 财政部公告〔2025〕3号", "国家医保局 财政部公告〔2025〕3号", "国家医保局财政部公告〔2025〕3号"),
], ids=["joint-space", "joint-dun", "joint-wide-blanks", "three-issuers-labelled", "no-di", "bracket-form",
        "bracket-form-joint"])
def test_notice_style_numbers(text, raw, normalized):
    assert numbers(text) == [(raw, normalized)]


@pytest.mark.parametrize("text", [
    "关于…的公告〔2020〕1号",  # the document kind, not an issuer, before the brackets
    "2019年第3号公告",  # no issuer named
])
def test_notice_style_needs_an_issuer(text):
    assert not numbers(text)


def test_every_spelling_of_a_joint_notice_normalizes_alike():
    forms = ["财政部 税务总局公告2025年第17号", "财政部、税务总局公告2025年第17号", "财政部税务总局公告2025年第017号",
             "财政部 税务总局公告2025年17号", "财政部\u200b 税务总局公告2025年第17号"]
    assert {normalize_doc_number(f) for f in forms} == {"财政部税务总局公告2025年第17号"}


# class: 规范性文件 prefix with 规 / 中规, alone, labelled, beside a registration code
@pytest.mark.parametrize("text, expected", [
    ("昌政规〔2022〕6号", "昌政规〔2022〕6号"),
    ("杭公中规〔2026〕2号", "杭公中规〔2026〕2号"),
    ("浙政办规〔2022〕6号", "浙政办规〔2022〕6号"),
    ("粤医保规〔2022〕6号", "粤医保规〔2022〕6号"),
    ("市公积金中心规〔2024〕1号", "市公积金中心规〔2024〕1号"),
])
def test_normative_document_prefixes(text, expected):
    assert numbers(text) == [(text, expected)]


@pytest.mark.parametrize("header", [
    "昌政规〔2022〕6号",
    "文号：昌政规〔2022〕6号",
    "昌政规〔2022〕6号    统一编号：JXCD01-2022-0006",
    "JXCD01-2022-0006 昌政规〔2022〕6号",
    "杭公中规〔2026〕2号  2026年1月5日",
])
def test_normative_number_under_the_title_is_own(header):
    own, source = own_doc_number(table_value=None, header=header, title="关于印发住房公积金管理办法的通知", text="")
    assert source == "header"
    assert own.normalized in ("昌政规〔2022〕6号", "杭公中规〔2026〕2号")


# class: issuer prefix cut at its start (自然资发 read as 然资发): a one-character stop
# word opening the 代字
@pytest.mark.parametrize("text, expected", [
    ("自然资发〔2020〕5号", ["自然资发〔2020〕5号"]),
    ("（自然资规〔2020〕5号）", ["自然资规〔2020〕5号"]),
    ("根据自然资发〔2020〕5号文件精神", ["自然资发〔2020〕5号"]),
    ("文号：自然资办函〔2021〕12号", ["自然资办函〔2021〕12号"]),
    ("和政发〔2020〕5号", ["和政发〔2020〕5号"]),  # a number standing as a value keeps its first character
    ("| 和政发〔2020〕5号 |", ["和政发〔2020〕5号"]),
    # in a sentence the stop word is still a word
    ("按国办发〔2019〕5号文件要求", ["国办发〔2019〕5号"]),
    ("（见国发〔2019〕5号）", ["国发〔2019〕5号"]),
    ("（以下简称国办发〔2019〕5号）", ["国办发〔2019〕5号"]),
    ("自2020年起按沈政发〔2015〕31号执行", ["沈政发〔2015〕31号"]),
])
def test_issuer_prefix_kept_whole(text, expected):
    assert [n for _, n in numbers(text)] == expected


# class: 文号 printed only in the title line
@pytest.mark.parametrize("title, expected", [
    ("沈阳市人民政府关于加强养老服务的通知 沈政发〔2015〕31号", "沈政发〔2015〕31号"),
    ("沈阳市人民政府关于加强养老服务的通知（沈政发〔2015〕31号）", "沈政发〔2015〕31号"),
    ("沈政发〔2015〕31号 沈阳市人民政府关于加强养老服务的通知", "沈政发〔2015〕31号"),
    # a forwarded or quoted document's number closes the title: not ours
    ("转发《关于加强养老服务的通知》 国办发〔2019〕5号", None),
    # a 解读 is its own document: the number its title prints is the explained one's
    ("《沈阳市人民政府关于加强养老服务的通知》（沈政发〔2015〕31号）政策解读", None),
    ("政策解读：沈阳市人民政府关于加强养老服务的通知（沈政发〔2015〕31号）", None),
    ("一图读懂沈阳市人民政府关于加强养老服务的通知 沈政发〔2015〕31号", None),
])
def test_number_only_in_the_title_line(title, expected):
    own, _ = own_doc_number(table_value=None, header=None, title=title, text="")
    assert (own.normalized if own else None) == expected


def test_explainer_text_number_is_cited_not_own():
    text = "关于加强养老服务的通知\n沈政发〔2015〕31号\n一、出台背景\n为贯彻落实……"
    own, _ = own_doc_number(table_value=None, header="沈政发〔2015〕31号", title="关于加强养老服务的通知的政策解读", text=text)
    assert own is None
    assert is_explainer("《关于加强养老服务的通知》解读")


EXPLAINER_PAGE = """<html><head><title>政策解读：沈阳市人民政府关于加强养老服务的通知（沈政发〔2015〕31号）</title></head>
<body><h1>政策解读：沈阳市人民政府关于加强养老服务的通知（沈政发〔2015〕31号）</h1>
<div class="content"><p>一、出台背景。为应对人口老龄化，市政府出台了加强养老服务的通知，明确了今后一个时期的目标任务。</p>
<p>二、主要内容。通知从居家、社区、机构三个方面提出了具体措施，并明确了保障条件和责任分工。</p></div>
</body></html>"""


def test_explainer_page_cites_the_number_its_title_prints():
    ex = extract_page(EXPLAINER_PAGE.encode("utf-8"), "http://example.org/a.html")
    assert ex.doc_number is None
    assert "沈政发〔2015〕31号" in ex.cited_doc_numbers


# class: 文号 printed only in the name of the attached file
@pytest.mark.parametrize("names, title, expected", [
    (["沈政发〔2015〕31号.pdf"], "沈阳市人民政府关于加强养老服务的通知", "沈政发〔2015〕31号"),
    (["附件：沈政发〔2015〕31号 沈阳市人民政府关于加强养老服务的通知.pdf"], "关于加强养老服务的通知", "沈政发〔2015〕31号"),
    (["附件1：沈阳市人民政府关于加强养老服务的通知（沈政发〔2015〕31号）.doc", "附件2：名单.xls"],
     "关于加强养老服务的通知", "沈政发〔2015〕31号"),
    # two files with two numbers: which is ours is not known
    (["沈政发〔2015〕31号.pdf", "沈政发〔2015〕32号.pdf"], "关于加强养老服务的通知", None),
    # a forwarding notice attaches the forwarded document
    (["国办发〔2019〕5号.pdf"], "沈阳市人民政府办公室转发国务院办公厅关于加强养老服务的通知", None),
    # a 解读 attaches the document it explains
    (["沈政发〔2015〕31号.pdf"], "关于加强养老服务的通知政策解读", None),
    # a file whose name cites a number inside its words
    (["根据国办发〔2019〕5号制定的实施细则.pdf"], "关于加强养老服务的通知", None),
])
def test_number_only_in_the_attachment_name(names, title, expected):
    own, source = own_doc_number(table_value=None, header=None, title=title, text="各区人民政府：\n现将有关事项通知如下。",
                                 attachment_names=names)
    assert (own.normalized if own else None) == expected
    assert source == ("attachment" if expected else None)


COVER_PAGE = """<html><head><title>沈阳市人民政府关于加强养老服务的通知</title></head><body>
<h1>沈阳市人民政府关于加强养老服务的通知</h1>
<div class="content"><p>各区、县（市）人民政府，市政府各部门：</p><p>现将《关于加强养老服务的意见》印发给你们，请认真贯彻执行。</p>
<p>附件：<a href="/files/a.pdf">沈政发〔2015〕31号.pdf</a></p></div></body></html>"""


def test_page_takes_the_attachment_number_when_nothing_else_prints_one():
    ex = extract_page(COVER_PAGE.encode("utf-8"), "http://example.org/a.html")
    assert ex.doc_number == "沈政发〔2015〕31号"
    assert ex.provenance["doc_number"] == "attachment"


def test_bracket_form_announcement_names_its_issuer():
    from crawler.extract.agency import agency_from_doc_number
    assert agency_from_doc_number("国家医疗保障局公告〔2025〕1号") == "国家医疗保障局"
