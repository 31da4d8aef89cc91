import pytest
from lxml import html as lxml_html

from crawler.extract.decode import decode_html
from crawler.extract.maintext import (
    drop_meta_blocks,
    find_container,
    main_text,
    normalize_lines,
    unwrap_layout_tables,
)
from extract_fixtures import fixture_bytes


def page_text(name: str, **kw) -> list[str]:
    html, _ = decode_html(fixture_bytes(name))
    return main_text(html, **kw).splitlines()


# (fixture, lines that must start a line, fragments no line may contain)
CASES = [
    (
        "gov_baoshan_gbk.html",
        ["保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知", "各县(市、区)人民政府,各园区管委会",
         "保山市人民政府办公室", "2018年12月19日", "(此件公开发布)", "19.市场退出机制"],
        ["索引号", "当前位置", "主办单位", "上一篇", "分享到", "ICP备", "相关链接", "政务动态", "浏览量"],
    ),
    (
        "govcn_short_layout.html",
        ["江城市民政局关于开展养老服务机构安全隐患排查整治的通知", "江民发〔2019〕12号", "各区县民政局，各养老服务机构：",
         "二、工作要求", "江城市民政局", "2019年10月25日"],
        ["首页", "ICP备", "版权所有", "互动"],
    ),
    (
        "gov_short_sidebar.html",
        ["关于公布2023年第一批备案养老机构名单的公告", "根据《养老机构管理办法》有关规定", "附件：", "江城市民政局", "2023年3月1日"],
        ["新闻一", "新闻四", "工作动态", "ICP备"],
    ),
    (
        "tax_notice_gbk.html",
        ["国家税务总局江城市税务局公告2023年第5号", "一、纳税人首次申领增值税发票的", "特此公告。", "2023年5月20日"],
        ["您现在的位置", "网站标识码"],
    ),
    (
        # the article sits in a layout table: without unwrapping it comes out as one line
        "shuiwu_shenyang_p1.html",
        ["沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知", "沈政发[2015]31号", "各区、县(市)人民政府",
         "现将《沈阳市促进健康服务业发展三年行动计划》", "沈阳市人民政府", "2015年7月12日", "(三)积极发展健康保险。",
         "2.发展多样化保险服务"],
        ["排行", "主办单位", "ICP备", "财税法规"],
    ),
    (
        "docshare_bdocx.html",
        ["XX山市推进健康养老产业转型发展实施方案", "一、总体要求", "(四)强化督导考核", "开展健康养老产业转型发展和政策落实情况"],
        ["冰豆网网站版权所有", "猜你喜欢", "登录"],
    ),
]


@pytest.mark.parametrize("name, required, junk", CASES, ids=[c[0] for c in CASES])
def test_main_text_keeps_the_notice_and_leaves_the_chrome(name, required, junk):
    lines = page_text(name)
    for start in required:
        assert any(line.startswith(start) for line in lines), start
    for fragment in junk:
        assert not any(fragment in line for line in lines), fragment


def test_known_container_beats_a_longer_sidebar():
    lines = page_text("gov_short_sidebar.html")
    assert lines[:2] == ["关于公布2023年第一批备案养老机构名单的公告", "发布日期：2023-03-01 来源：江城市民政局"]
    assert lines[-1] == "2023年3月1日"


def test_source_selector_narrows_to_its_container():
    lines = page_text("docshare_bdocx.html", container=".doc-text")
    assert lines[0] == "实施方案XX山市推进健康养老产业转型发展实施方案"
    assert not any("上传人" in line or "由会员分享" in line for line in lines)


@pytest.mark.parametrize("selector", ["div[", "#no-such-id", "", None])
def test_bad_or_missing_source_selector_falls_back(selector):
    lines = page_text("gov_baoshan_gbk.html", container=selector)
    assert any(line.startswith("19.市场退出机制") for line in lines)


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><body></body></html>"])
def test_empty_pages(html):
    assert main_text(html) == ""


def test_xml_declaration_in_str_is_accepted():
    html = '<?xml version="1.0" encoding="gb2312"?><html><body><div id="zoom"><p>' + "养老服务机构名单公布。" * 8 + "</p></div></body></html>"
    assert main_text(html).startswith("养老服务机构名单公布。")


@pytest.mark.parametrize(
    "markup, gone, kept",
    [
        # table form
        ("<table><tr><td>索 引 号</td><td>000014349/2019-00005</td><td>发布机构</td><td>国务院办公厅</td></tr>"
         "<tr><td>文　　号</td><td>国办发〔2019〕4号</td><td>发布日期</td><td>2019-01-24</td></tr></table>",
         "000014349/2019-00005", None),
        # list form
        ("<ul class='xxgk'><li>索引号：000014349/2019-00005</li><li>发文机关：国务院办公厅</li><li>成文日期：2019年01月24日</li></ul>",
         "000014349/2019-00005", None),
        # a header line with one label is not a metadata block
        ("<div class='info'>发布日期：2019-01-24 来源：国务院办公厅</div>", None, "发布日期：2019-01-24"),
    ],
)
def test_drop_meta_blocks(markup, gone, kept):
    root = lxml_html.document_fromstring(f"<html><body>{markup}<div id='body'><p>{'正文内容。' * 200}</p></div></body></html>")
    drop_meta_blocks(root)
    text = root.text_content()
    assert "正文内容" in text
    if gone:
        assert gone not in text
    if kept:
        assert kept in text


_META_TABLE = (
    "<table class='bd1'><tr><td>索 引 号：</td><td>000014349/2018-00213</td><td>主题分类：</td><td>综合政务</td></tr>"
    "<tr><td>发文机关：</td><td>国务院办公厅</td><td>成文日期：</td><td>2018年12月04日</td></tr>"
    "<tr><td>发文字号：</td><td>国办发明电〔2018〕15号</td><td>发布日期：</td><td>2018年12月06日</td></tr></table>"
)
_SHORT_NOTICE = (
    "<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p><p>经国务院批准，现将2019年节假日安排通知如下。</p>"
    "<p>一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。</p><p>国务院办公厅</p><p>2018年12月4日</p>"
)


@pytest.mark.parametrize(
    "markup",
    [
        # a short notice and its metadata table in one wrapper under 600 characters
        f"<div class='wrap'>{_META_TABLE}<div id='UCAP-CONTENT'>{_SHORT_NOTICE}</div></div>",
        # the same in a layout table, the metadata block in two tables (a 主题词 row apart)
        f"<div class='wrap'><table><tr><td>{_META_TABLE}<table><tr><td>主 题 词：</td><td></td></tr></table></td></tr></table>"
        f"<table><tr><td><table><tr><td id='UCAP-CONTENT'>{_SHORT_NOTICE}</td></tr></table></td></tr></table></div>",
        # a list-form block beside the body in a small wrapper
        "<div class='wrap'><ul><li>索引号：000014349/2018-00213</li><li>发文机关：国务院办公厅</li><li>发布日期：2018-12-06</li></ul>"
        f"<div class='article'>{_SHORT_NOTICE}</div></div>",
    ],
)
def test_meta_block_goes_and_a_short_notice_beside_it_stays(markup):
    root = lxml_html.document_fromstring(f"<html><body>{markup}</body></html>")
    drop_meta_blocks(root)
    text = root.text_content()
    assert "000014349/2018-00213" not in text
    assert "经国务院批准" in text and "2018年12月4日" in text


def test_short_notice_with_its_metadata_table_has_a_body():
    html = f"<html><body><div class='wrap'>{_META_TABLE}<div id='UCAP-CONTENT'>{_SHORT_NOTICE}</div></div></body></html>"
    lines = main_text(html).splitlines()
    assert "经国务院批准，现将2019年节假日安排通知如下。" in lines
    assert not any("索 引 号" in line or "000014349" in line for line in lines)


@pytest.mark.parametrize(
    "inline",
    ["<script>var a = 1;</script>", "<style>p {color: red}</style>", "<noscript>请启用脚本</noscript>"],
)
def test_text_after_a_script_is_kept(inline):
    html = f"<html><body><div id='zoom'><p>各区县民政局：{inline}现将养老机构名单予以公布，请各单位做好备案管理工作。</p></div></body></html>"
    assert "现将养老机构名单予以公布" in main_text(html)


def test_article_after_a_premature_end_of_document():
    html = (
        "<html><head><title>决议</title></head><body><div class='nav'>首页 | 国务院公报</div></html>"
        "<div class='pages_content' id='UCAP-CONTENT'><p>全国人民代表大会常务委员会关于批准调整国债余额限额的决议</p>"
        "<p>会议同意国务院提出的议案，同意全国人民代表大会财政经济委员会在议案审查报告中提出的建议。</p></div></body></html>"
    )
    assert "会议同意国务院提出的议案" in main_text(html)
    assert "首页" not in main_text(html)


def test_unwrap_layout_tables_keeps_data_tables():
    root = lxml_html.document_fromstring(
        "<html><body><table><tr><td><p>第一段。</p><p>第二段。</p>"
        "<table><tr><td><p>序号</p></td><td><p>机构名称</p></td></tr><tr><td>1</td><td>江城市第一养老院</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    unwrap_layout_tables(root)
    tables = root.xpath("//table")
    assert len(tables) == 1  # the layout table became divs, the data table stayed
    assert "江城市第一养老院" in tables[0].text_content()


def test_data_table_inside_a_notice_is_text():
    html = (
        "<html><body><div class='TRS_Editor'><p>各区县民政局：</p><p>现将有关指标公布如下。</p>"
        "<table><tr><td>指标</td><td>目标值</td></tr><tr><td>护理型床位占比</td><td>55%</td></tr></table>"
        "<p>江城市民政局</p></div></body></html>"
    )
    text = main_text(html)
    assert "护理型床位占比" in text and "55%" in text


@pytest.mark.parametrize(
    "selector, expected_id",
    [(None, "zoom"), ("#custom", "custom"), (".nothing-here", "zoom")],
)
def test_find_container(selector, expected_id):
    root = lxml_html.document_fromstring(
        "<html><body><div id='custom'>" + "自定义容器正文。" * 10 + "</div>"
        "<div id='zoom'>" + "正文内容在这里。" * 10 + "</div><div id='zoom2' class='TRS_Editor'></div></body></html>"
    )
    assert find_container(root, selector).get("id") == expected_id


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  第一段\u3000\u3000内容  \n\n\n第二段", "第一段 内容\n第二段"),
        ("文号：\xa0\xa0国办发〔2019〕4号", "文号： 国办发〔2019〕4号"),
        ("零宽\u200b空格", "零宽空格"),
        ("\n \n", ""),
    ],
)
def test_normalize_lines(raw, expected):
    assert normalize_lines(raw) == expected
