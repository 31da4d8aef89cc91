import pytest

from crawler.extract.metatable import parse_meta_table
from extract_fixtures import seed_text


# A 信息公开 page laid out like seed 002's (保山市人民政府): several pairs per row, labels
# padded with &nbsp;, an empty 浏览量 cell at the end.
BAOSHAN = """<html><body><div class="xxgk_info"><table>
<tr><td class="label">索&nbsp;引&nbsp;号</td><td>58735799-9-/2018-1224003</td>
    <td class="label">发布机构</td><td>保山市人民政府研究室</td></tr>
<tr><td class="label">公开目录</td><td>市政府办公室文件</td><td class="label">发布日期</td><td>2018-12-24</td></tr>
<tr><td class="label">文&nbsp;&nbsp;&nbsp;&nbsp;号</td><td>保政办发〔2018〕66号</td>
    <td class="label">浏览量</td><td><span id="ViewCount"></span></td></tr>
</table></div><div id="zoom"><p>各县(市、区)人民政府:</p></div></body></html>"""

BAOSHAN_EXPECTED = {
    "index_number": "58735799-9-/2018-1224003",
    "agency": "保山市人民政府研究室",
    "category": "市政府办公室文件",
    "published_date": "2018-12-24",
    "doc_number": "保政办发〔2018〕66号",
}


@pytest.mark.parametrize(
    "html, expected",
    [
        (BAOSHAN, BAOSHAN_EXPECTED),
        # gov.cn style: label cells with colons and \u3000 padding, values next
        (
            "<table><tr><td><b>索\u3000引\u3000号：</b></td><td>000014349/2019-00005</td>"
            "<td><b>主题分类：</b></td><td>卫生、体育\\医药管理</td></tr>"
            "<tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2019年01月24日</td></tr>"
            "<tr><td><b>标\u3000\u3000题：</b></td><td colspan=3>国务院办公厅关于…的通知</td></tr>"
            "<tr><td><b>发文字号：</b></td><td>国办发〔2019〕4号</td><td><b>发布日期：</b></td><td>2019年01月30日</td></tr>"
            "</table>",
            {
                "index_number": "000014349/2019-00005",
                "category": "卫生、体育\\医药管理",
                "agency": "国务院办公厅",
                "signed_date": "2019年01月24日",
                "title": "国务院办公厅关于…的通知",
                "doc_number": "国办发〔2019〕4号",
                "published_date": "2019年01月30日",
            },
        ),
        # <ul>/<li> with <span> labels
        (
            "<ul class='info'><li><span>索引号：</span>11530500/2021-00123</li>"
            "<li><span>发文单位：</span>保山市卫生健康委员会</li><li><span>公文种类：</span>通知</li>"
            "<li><span>有效性：</span>有效</li></ul>",
            {"index_number": "11530500/2021-00123", "agency": "保山市卫生健康委员会", "doc_kind": "通知", "validity": "有效"},
        ),
        # <dl>/<dt>/<dd>
        (
            "<dl><dt>索引号</dt><dd>000014349/2019-00005</dd><dt>公开日期</dt><dd>2019-01-30</dd>"
            "<dt>体裁分类</dt><dd>意见</dd><dt>时效</dt><dd>现行有效</dd></dl>",
            {
                "index_number": "000014349/2019-00005",
                "published_date": "2019-01-30",
                "doc_kind": "意见",
                "validity": "现行有效",
            },
        ),
        # several "label：value" pairs inside one element
        (
            "<div>索引号：000014349/2019-00005　发布机构：国务院办公厅　发文字号：国办发〔2019〕5号</div>",
            {"index_number": "000014349/2019-00005", "agency": "国务院办公厅", "doc_number": "国办发〔2019〕5号"},
        ),
        # an empty 文号 cell must not swallow the next label
        (
            "<table><tr><td>文\xa0\xa0号：</td><td></td><td>来 源：</td><td>市卫健委</td></tr>"
            "<tr><td>索引号：</td><td>1/2019-1</td><td>发布日期：</td><td> </td></tr>"
            "<tr><td>成文日期：</td><td>2019-01-02</td></tr></table>",
            {"index_number": "1/2019-1", "signed_date": "2019-01-02"},
        ),
        # an unknown "xxx：" label is a label too, not a value
        (
            "<table><tr><td>发布机构：</td><td>信息类型：</td><td>文件</td></tr></table>",
            {},
        ),
        # a body table's header row (名称 | 类别) far from any metadata label is no metadata
        ("<table><tr><th>序号</th><th>名称</th><th>类别</th><th>目标值</th></tr></table>", {}),
        # scripts and styles are ignored
        ("<script>var 文号='x';</script><p>发布日期：2020-01-01</p>", {"published_date": "2020-01-01"}),
        ("", {}),
        ("<html></html>", {}),
    ],
)
def test_parse_meta_table(html, expected):
    assert parse_meta_table(html) == expected


def test_first_occurrence_wins():
    html = "<p>发布日期：2019-01-01</p><p>发布日期：2020-02-02</p>"
    assert parse_meta_table(html)["published_date"] == "2019-01-01"


def test_seed_002_pipe_table_text():
    meta = parse_meta_table(seed_text(2))
    assert meta["doc_number"] == "保政办发〔2018〕66号"
    assert meta["published_date"] == "2018-12-24"
    assert meta["index_number"] == "58735799-9-/2018-1224003"
    assert meta["agency"] == "保山市人民政府研究室"
