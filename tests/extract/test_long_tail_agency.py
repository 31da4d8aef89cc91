"""The issuing agency on the long tail of government sites (issue 19), one table per miss
class. The letters and tables are written here in the forms those classes take."""
import pytest

from crawler.extract.agency import clean_agency
from crawler.extract.fieldchoice import agency_short, title_issuer
from crawler.extract.page import extract_page
from crawler.extract.signature import find_signature

LETTER = "各区人民政府，市政府各部门：\n为进一步做好医疗保障工作，现将有关事项通知如下，请认真贯彻执行。\n"


# class: issuer only in the signature block (no table cell), missed
@pytest.mark.parametrize("signature, agency", [
    ("沈阳市医疗保障局\n2024年1月30日", "沈阳市医疗保障局"),
    ("沈阳市医疗保障局2024年1月30日", "沈阳市医疗保障局"),  # agency and date run together
    ("沈阳市医疗保障局\n2024年1月30日（此件公开发布）", "沈阳市医疗保障局"),  # a release note after the date
    ("沈阳市医疗保障局\n（此件主动公开）\n2024年1月30日", "沈阳市医疗保障局"),  # …or between
    ("沈阳市医疗保障局\n2024-01-30", "沈阳市医疗保障局"),  # a date the CMS wrote, closing the text
    ("沈阳市卫生健康委员会    沈阳市民政局\n2024年1月30日", "沈阳市卫生健康委员会、沈阳市民政局"),
], ids=["lines", "glued", "note-after", "note-between", "iso-date-at-end", "joint"])
def test_issuer_only_in_the_signature_block(signature, agency):
    found = find_signature(LETTER + signature)
    assert found is not None and found.agency == agency


@pytest.mark.parametrize("text", [
    LETTER + "沈阳市医疗保障局办公室\n2024年1月30日印发",  # the 版记's printing line names the printer
    "沈阳市医疗保障局\n2024-01-30\n" + LETTER + "一、加强管理。\n二、做好服务。\n三、强化保障。\n四、其他事项。\n五、附则。",
    LETTER + "请于2024年1月30日前报送。",
], ids=["printing-line", "iso-date-in-a-header", "date-in-a-sentence"])
def test_what_is_no_signature(text):
    assert find_signature(text) is None


# class: 联席会议 / 管委会 issuer
@pytest.mark.parametrize("name", [
    "沈阳市养老服务体系建设联席会议",
    "沈阳市医疗保障工作联席会议办公室",
    "沈阳经济技术开发区管委会",
    "沈阳高新技术产业开发区管理委员会",
    "沈阳市疫情防控工作专班",
])
def test_joint_body_or_zone_committee_is_an_agency(name):
    assert clean_agency(name) == name
    assert find_signature(LETTER + name + "\n2024年1月30日").agency == name


def test_a_meeting_sentence_is_no_agency():
    assert clean_agency("各成员单位要按时参加联席会议。") is None


# class: short form given for the full issuer
def page(table_agency: str, title: str, signature: str | None) -> bytes:
    sig = f"<p>{signature}</p><p>2024年1月30日</p>" if signature else ""
    return (
        f"<html><head><title>{title}</title></head><body>"
        f"<table><tr><td>索引号：</td><td>11210100/2024-00001</td><td>发布机构：</td><td>{table_agency}</td></tr>"
        f"<tr><td>发布日期：</td><td>2024-01-31</td><td>文号：</td><td>沈住建发〔2024〕3号</td></tr></table>"
        f"<h1>{title}</h1><div class='content'><p>各区住房和城乡建设局：</p>"
        "<p>为进一步规范住房公积金缴存管理，保障职工合法权益，现将有关事项通知如下，请认真贯彻执行。</p>"
        f"<p>一、规范缴存基数。各单位应当按照职工上一年度月平均工资确定缴存基数。</p>{sig}</div></body></html>"
    ).encode()


@pytest.mark.parametrize("table_agency, title, signature, agency, short", [
    ("市住建局", "关于规范住房公积金缴存管理的通知", "沈阳市住房和城乡建设局", "沈阳市住房和城乡建设局", "市住建局"),
    ("市住建局", "沈阳市住房和城乡建设局关于规范住房公积金缴存管理的通知", None, "沈阳市住房和城乡建设局", "市住建局"),
    ("沈阳市住房和城乡建设局", "关于规范住房公积金缴存管理的通知", "市住建局", "沈阳市住房和城乡建设局", "市住建局"),
    ("沈阳市住房和城乡建设局", "关于规范住房公积金缴存管理的通知", "沈阳市住房和城乡建设局", "沈阳市住房和城乡建设局", None),
    # a table naming another body than the title's issuer is not its short form
    ("市财政局", "沈阳市住房和城乡建设局关于规范住房公积金缴存管理的通知", None, "市财政局", None),
], ids=["signature-full", "title-full", "table-full", "agree", "different-body"])
def test_short_form_given_for_the_full_issuer(table_agency, title, signature, agency, short):
    ex = extract_page(page(table_agency, title, signature), "http://example.org/a.html")
    assert (ex.agency, ex.agency_short) == (agency, short)


@pytest.mark.parametrize("title, issuer", [
    ("沈阳市住房和城乡建设局关于规范住房公积金缴存管理的通知", "沈阳市住房和城乡建设局"),
    ("民政部 财政部关于进一步做好养老服务工作的通知", "民政部、财政部"),
    ("关于规范住房公积金缴存管理的通知", None),
    ("《沈阳市养老服务条例》关于居家养老的规定", None),
])
def test_title_issuer(title, issuer):
    assert title_issuer(title) == issuer


def test_agency_short_needs_an_abbreviation():
    assert agency_short("沈阳市卫生健康委员会", "市卫健委") == "市卫健委"
    assert agency_short("沈阳市卫生健康委员会", "沈阳市民政局", None) is None


def test_extract_json_carries_the_short_form():
    from crawler.cli.output import extraction_dict
    ex = extract_page(page("市住建局", "关于规范住房公积金缴存管理的通知", "沈阳市住房和城乡建设局"), "http://example.org/a.html")
    assert extraction_dict(ex)["agency_short"] == "市住建局"
