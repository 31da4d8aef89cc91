from datetime import date

import pytest
import trafilatura

import crawler.extract.maintext as maintext
from crawler.extract import Extraction, decode_html, extract_page
from crawler.extract.model import AttachmentLink
from extract_fixtures import fixture_bytes, seed_page

# seed → what the page must yield (None: must be empty)
SEEDS = {
    0: dict(doc_number="沈政发〔2015〕31号", agency="沈阳市人民政府", signed_date=date(2015, 7, 12),
            title="沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知", region="辽宁省沈阳市"),
    1: dict(doc_number=None, title="贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案(征求意见稿)", status="draft"),
    2: dict(doc_number="保政办发〔2018〕66号", agency="保山市人民政府办公室", signed_date=date(2018, 12, 19),
            published_date=date(2018, 12, 24), index_number="58735799-9-/2018-1224003", region="云南省保山市",
            title="保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知"),
    3: dict(doc_number=None, title="“健康沈阳2030”行动规划"),
    4: dict(doc_number=None, title="XX山市推进健康养老产业转型发展实施方案"),
}


@pytest.mark.parametrize("n", sorted(SEEDS))
def test_seed_pages(n):
    result = extract_page(seed_page(n))
    assert isinstance(result, Extraction)
    for field, expected in SEEDS[n].items():
        assert getattr(result, field) == expected, field
    assert result.on_topic
    assert result.doc_number not in result.cited_doc_numbers


@pytest.mark.parametrize(
    "n, cited",
    [
        (0, ["国发〔2013〕40号"]),
        (1, ["国办发〔2017〕44号"]),
        (3, ["辽委发〔2016〕51号", "国发〔2016〕31号", "国办发〔2016〕47号"]),
        (4, ["豫政办〔2017〕108号", "平发〔2017〕13号"]),
    ],
)
def test_cited_numbers_are_not_the_pages_own(n, cited):
    assert extract_page(seed_page(n)).cited_doc_numbers == cited


def test_seo_copy_with_a_spam_title():
    spam = "智慧米童教育综合体是做什么的?"
    result = extract_page(seed_page(3, title=spam))
    assert result.title == "“健康沈阳2030”行动规划"
    assert not result.text.startswith(spam)
    assert result.text.startswith("各区、县(市)党委和人民政府")
    for junk in ("欢迎来到", "我要回帖", "点击添加站长微信"):
        assert junk not in result.text


def test_government_page_in_gbk():
    url = "http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/t20181224_1.html"
    result = extract_page(fixture_bytes("gov_baoshan_gbk.html"), url)
    assert result.encoding == "gb18030"
    assert result.title == "保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知"
    assert (result.doc_number, result.doc_number_raw) == ("保政办发〔2018〕66号", "保政办发〔2018〕66号")
    assert result.agency == "保山市人民政府办公室"  # the 落款, not the table's publishing office
    assert (result.signed_date, result.published_date) == (date(2018, 12, 19), date(2018, 12, 24))
    assert result.index_number == "58735799-9-/2018-1224003"
    assert result.category == "市政府办公室文件"
    assert result.doc_type == "通知"
    assert set(result.topics) == {"health", "eldercare"}
    assert result.attachments[0] == AttachmentLink(
        "http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/P020181224563389216787.pdf", "保山市大健康产业发展工作实施方案.pdf", "pdf"
    )
    assert result.provenance == {
        "title": "h1", "doc_number": "table", "signed_date": "signature", "published_date": "table",
        "agency": "signature", "index_number": "table", "region": "agency",
    }
    lines = result.text.splitlines()
    assert lines[0] == result.title
    assert lines[-1].startswith("19.市场退出机制")
    for junk in ("发布时间", "索引号", "分享到", "上一篇", "主办单位", "ICP备", "打印本页"):
        assert junk not in result.text


def test_declared_encoding_is_used_and_reported():
    result = extract_page(fixture_bytes("tax_notice_gbk.html"), declared_encoding="GBK")
    assert result.encoding == "gb18030"
    assert "增值税发票" in result.text


def test_aggregator_article_over_two_pages():
    result = extract_page(
        fixture_bytes("shuiwu_shenyang_p1.html"),
        "https://www.shui5.cn/article/30712.html",
        more_pages=[fixture_bytes("shuiwu_shenyang_p2.html")],
    )
    assert result.encoding == "utf-8"  # UTF-8 bytes behind <meta charset=gb2312>
    assert result.doc_number == "沈政发〔2015〕31号"
    assert result.published_date == date(2015, 7, 12) and result.provenance["published_date"] == "header"
    lines = result.text.splitlines()
    assert lines[0] == "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知"
    assert lines.count(lines[0]) == 1  # page 2 does not repeat the header
    page1_last = next(i for i, line in enumerate(lines) if line.startswith("2.发展多样化保险服务"))
    assert lines[page1_last + 1] == "(四)加快发展健康服务相关支撑产业。"
    assert lines[-1].startswith("(一)加强组织领导。")
    for junk in ("来源:税屋", "摘要", "本文章更多内容", "版权声明", "出于传递更多信息之目的", "排行", "ICP备"):
        assert junk not in result.text


def test_continuation_pages_as_text():
    p2, _ = decode_html(fixture_bytes("shuiwu_shenyang_p2.html"))
    result = extract_page(fixture_bytes("shuiwu_shenyang_p1.html"), more_pages=[p2])
    assert result.text.splitlines()[-1].startswith("(一)加强组织领导。")


def test_old_govcn_layout_with_header_line_and_meta_date():
    result = extract_page(fixture_bytes("govcn_short_layout.html"), "http://www.example.gov.cn/zhengce/content/t1.htm")
    assert result.title == "江城市民政局关于开展养老服务机构安全隐患排查整治的通知"
    assert (result.doc_number, result.provenance["doc_number"]) == ("江民发〔2019〕12号", "header")
    assert result.published_date == date(2019, 10, 28)
    assert result.signed_date == date(2019, 10, 25)
    assert result.agency == "江城市民政局"
    assert result.topics == ["eldercare"]


def test_off_topic_tax_notice():
    result = extract_page(fixture_bytes("tax_notice_gbk.html"))
    assert result.topics == [] and not result.on_topic
    assert result.title == "国家税务总局江城市税务局关于进一步规范增值税发票领用管理有关事项的公告"
    assert result.doc_number == "国家税务总局江城市税务局公告2023年第5号"
    assert result.signed_date == date(2023, 5, 20)
    assert (result.published_date, result.provenance["published_date"]) == (date(2023, 5, 22), "meta")


def test_listing_hints_fill_what_the_page_lacks():
    html = (
        "<html><body><div id='zoom'><p>各区县民政局：</p>"
        "<p>现将2023年第一批备案养老机构名单予以公布，请各区县民政局加强对养老机构的服务质量监督和安全管理。</p>"
        "<p>江城市民政局</p></div></body></html>"
    )
    listing = {"title": "关于公布2023年第一批备案养老机构名单的公告", "published_date": "2023-03-01",
               "doc_number": "江民函[2023]7号", "agency": "江城市民政局"}
    result = extract_page(html, listing=listing, region_hint="江苏省江城市")
    assert result.title == "关于公布2023年第一批备案养老机构名单的公告"
    assert result.published_date == date(2023, 3, 1)
    assert (result.doc_number, result.doc_number_raw) == ("江民函〔2023〕7号", "江民函[2023]7号")
    assert result.agency == "江城市民政局"
    assert result.region == "江苏省江城市"
    assert {k: result.provenance[k] for k in ("title", "published_date", "doc_number", "agency", "region")} == {
        "title": "listing", "published_date": "listing", "doc_number": "listing", "agency": "listing", "region": "source",
    }


def test_page_values_beat_listing_hints():
    listing = {"title": "列表页标题", "published_date": "2000-01-01", "doc_number": "某发〔2000〕1号"}
    result = extract_page(fixture_bytes("gov_baoshan_gbk.html"), listing=listing)
    assert result.doc_number == "保政办发〔2018〕66号"
    assert result.published_date == date(2018, 12, 24)
    assert result.title.startswith("保山市人民政府办公室")


def test_source_boilerplate_patterns():
    base = extract_page(fixture_bytes("gov_baoshan_gbk.html"))
    assert "(此件公开发布)" in base.text.splitlines()
    result = extract_page(fixture_bytes("gov_baoshan_gbk.html"), boilerplate=[r"^\(此件公开发布\)$"])
    assert "(此件公开发布)" not in result.text.splitlines()


def test_source_container_selector():
    result = extract_page(fixture_bytes("docshare_bdocx.html"), container=".doc-text")
    assert result.text.splitlines()[0] == "XX山市推进健康养老产业转型发展实施方案"
    assert result.title == "XX山市推进健康养老产业转型发展实施方案"


def test_str_body_has_no_encoding():
    assert extract_page(seed_page(2)).encoding is None


def test_trafilatura_runs_once_per_page_part(monkeypatch):
    calls = []
    real = trafilatura.extract

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(maintext.trafilatura, "extract", counting)
    extract_page(fixture_bytes("shuiwu_shenyang_p1.html"), more_pages=[fixture_bytes("shuiwu_shenyang_p2.html")])
    assert len(calls) == 2


@pytest.mark.parametrize("body", [b"", "", b"<html><body></body></html>", "not html at all"])
def test_empty_or_odd_pages_do_not_raise(body):
    result = extract_page(body)
    assert isinstance(result, Extraction)
    assert result.topics == []


PROVENANCE_SOURCES = {"table", "header", "signature", "title", "text", "meta", "listing", "url", "h1", "html_title",
                      "doc_number", "agency", "source", "adoption", "letter"}


@pytest.mark.parametrize("n", sorted(SEEDS))
def test_provenance_names_a_known_source_for_every_value(n):
    result = extract_page(seed_page(n))
    assert set(result.provenance.values()) <= PROVENANCE_SOURCES
    for field in ("title", "doc_number", "agency", "signed_date", "published_date", "index_number", "region"):
        assert (getattr(result, field) is not None) == (field in result.provenance), field
    assert result.to_dict()["text"] == result.text


def _page(title: str, h1: str, body_lines: list[str]) -> str:
    body = "".join(f"<p>{line}</p>" for line in body_lines)
    return (
        f"<html><head><title>{title}</title></head><body><div class='nav'>首页 | 新闻 | 问答</div>"
        f"<h1>{h1}</h1><div class='content'>{body}</div><div class='footer'>版权所有 某某网 苏ICP备05004413号</div></body></html>"
    )


_PLAN = [
    "一、工作目标",
    "2019年，全市常住人口家庭医生签约服务覆盖率达到35%以上，重点人群签约服务覆盖率达到65%以上，建档立卡贫困人口签约服务实现应签尽签。",
    "二、重点任务",
    "以乡镇卫生院、社区卫生服务中心为平台，由全科医生、乡村医生、护士和公共卫生人员组成签约服务团队，每个团队签约居民原则上不超过2000人。",
]


def test_copy_without_the_notice_heading_gets_the_title_its_letter_implies():
    spam = "智慧米童加盟费多少钱?智慧米童加盟条件"
    html = _page(spam, spam, [
        "保卫健发〔2019〕66号", "各县（市、区）卫生健康局，委属各单位：",
        "现将《保山市推进家庭医生签约服务高质量发展实施方案》印发给你们，请结合实际认真组织实施。",
        "保山市卫生健康委员会", "2019年6月10日", "保山市推进家庭医生签约服务高质量发展实施方案", *_PLAN,
    ])
    result = extract_page(html)
    assert result.title == "保山市卫生健康委员会关于印发保山市推进家庭医生签约服务高质量发展实施方案的通知"
    assert result.provenance["title"] == "letter"
    assert (result.doc_number, result.agency) == ("保卫健发〔2019〕66号", "保山市卫生健康委员会")


def test_a_page_showing_its_own_title_keeps_it_over_the_letter():
    title = "保山市卫生健康委员会关于印发保山市推进家庭医生签约服务高质量发展实施方案的通知"
    html = _page(title, title, [
        "各县（市、区）卫生健康局，委属各单位：",
        "现将《保山市推进家庭医生签约服务高质量发展实施方案》印发给你们，请结合实际认真组织实施。",
        "保山市卫生健康委员会", "2019年6月10日", "保山市推进家庭医生签约服务高质量发展实施方案", *_PLAN,
    ])
    result = extract_page(html)
    assert (result.title, result.provenance["title"]) == (title, "h1")


def test_law_takes_its_adopting_body_and_date_from_the_line_under_its_title():
    title = "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007年末国债余额限额的决议"
    html = _page(f"{title}_国务院公报_中国政府网", title, [
        "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）",
        "第十届全国人民代表大会常务委员会第二十八次会议，听取了财政部部长代表国务院对议案作的说明，并对议案进行了审议。"
        "会议同意国务院提出的议案，批准发行15500亿元特别国债购买外汇。",
    ])
    result = extract_page(html)
    assert (result.agency, result.signed_date) == ("全国人民代表大会常务委员会", date(2007, 6, 29))
    assert result.provenance["agency"] == result.provenance["signed_date"] == "adoption"


def test_joint_announcement_on_an_aggregator():
    issuers = "财政部 税务总局 发展改革委 民政部 商务部 卫生健康委"
    title = f"{issuers}关于养老、托育、家政等社区家庭服务业税费优惠政策的公告"
    html = _page(f"{issuers}公告2019年第76号 {title}_税屋", f"{issuers}公告2019年第76号 {title}", [
        f"{issuers}公告2019年第76号 2019-06-28",
        "为支持养老、托育、家政等社区家庭服务业发展，现就有关税费优惠政策公告如下：",
        "一、为社区提供养老、托育、家政等服务的机构，提供社区养老、托育、家政服务取得的收入，免征增值税。",
        "特此公告。", "财政部 税务总局 发展改革委", "民政部 商务部 卫生健康委", "2019年6月28日",
    ])
    result = extract_page(html)
    assert result.title == title
    assert result.doc_number == "财政部税务总局发展改革委民政部商务部卫生健康委公告2019年第76号"
    assert result.agency == "财政部、税务总局、发展改革委、民政部、商务部、卫生健康委"


# -- control bytes (issue 8): cleaned before any lxml step, so the page is still read ---------------
CONTROL_PAGE = (
    "<html><head><title>关于做好\x0c老年人健康\x1b管理工作的通知</title></head><body>"
    "<h1>关于做好\x0c老年人健康\x1b管理工作的通知</h1><div id=zoom><p>各区卫生健康局\x08：</p>"
    "<p>为做好老年人健康管理服务工作，\x0b现将有关事项通知如下：请各地认真组织实施，按时报送工作进展情况，确保服务质量。</p>"
    "<p>附件：<a href='/upload/a\x07.pdf'>名单.pdf</a></p></div></body></html>"
)


@pytest.mark.parametrize("page", [CONTROL_PAGE, CONTROL_PAGE.encode("utf-8"), CONTROL_PAGE.encode("gb18030")])
def test_control_characters_never_make_extraction_raise(page):
    ex = extract_page(page, "http://127.0.0.1/a.html")
    assert ex.title == "关于做好老年人健康管理工作的通知"
    assert not any(ch in ex.text for ch in "\x07\x08\x0b\x0c\x1b")
    assert "现将有关事项通知如下" in ex.text


@pytest.mark.parametrize(
    "short, full, same",
    [
        ("江西省市场监管局", "江西省市场监督管理局", True),
        ("市卫健委", "保山市卫生健康委员会", True),
        ("江西省人民政府", "江西省人民政府办公厅", False),  # the government is not its office
        ("保山市人民政府办公室", "保山市人民政府研究室", False),
        ("民政局", "民政局", False),
    ],
)
def test_short_names_of_the_same_body(short, full, same):
    from crawler.extract.fieldchoice import _abbreviates

    assert _abbreviates(short, full) is same


def test_a_signature_that_shortens_the_table_agency_gives_the_full_name():
    # layout of a Hanweb 信息公开 page (www.jiangxi.gov.cn, eval corpus): 发布机构 in the
    # table, the 落款 in the short form the bureau signs with
    page = (
        "<html><head><title>关于食品安全监督抽检情况的通告</title></head><body><table>"
        "<tr><td>发布机构：</td><td>江西省市场监督管理局</td><td>成文日期：</td><td>2020-02-20</td></tr></table>"
        "<div id=zoom><p>关于食品安全监督抽检情况的通告</p><p>近期，省市场监管局组织抽检了粮食加工品、食用油等食品，"
        "现将抽检结果通告如下，请各地依法做好不合格食品的核查处置工作。</p><p>特此通告。</p>"
        "<p>江西省市场监管局</p><p>2020年2月20日</p></div></body></html>"
    )
    ex = extract_page(page)
    assert (ex.agency, ex.provenance["agency"]) == ("江西省市场监督管理局", "table")


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("本文来源于北京商报 2024-05-20 09:47:48", date(2024, 5, 20)),  # caijing.com.cn layout (eval corpus)
        ("2019-09-26 10:56:28 证券时报网", date(2019, 9, 26)),  # hexun.com layout (eval corpus)
        ("2019年9月26日 10:56", date(2019, 9, 26)),
    ],
)
def test_an_unlabelled_publication_stamp_under_the_heading(stamp, expected):
    page = (
        "<html><head><title>交通运输部：着力打造区域综合立体交通网络</title></head><body>"
        f"<h1>交通运输部：着力打造区域综合立体交通网络</h1><div class=info>{stamp}</div>"
        "<div id=zoom><p>交通运输部新闻发言人表示，将着力打造区域综合立体交通网络，2018年1月1日起已经启动有关工作，"
        "推动区域交通一体化发展取得新进展。</p></div></body></html>"
    )
    assert extract_page(page).published_date == expected
