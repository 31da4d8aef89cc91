"""The family functions that read a site's structure: pure, table-driven."""
import json

import pytest

from spiders.gkmlpt import detail_content, leaf_categories, site_config
from spiders.hanweb import dataproxy_url, datastore_records, pager_state
from spiders.pages import numbered_page_url, page_total
from spiders.policy_api import dig, epoch_date, put


@pytest.mark.parametrize(
    "html, total",
    [
        ('<script>createPageHTML(7, 0, "index", "html");</script>', 7),
        ("<script>createPageHTML('page_div',38, 1,'list','shtml',562);</script>", 38),
        ("<div>共 3 页 当前第1页</div>", 3),
        ("var countPage = 12;", 12),
        ("<div>下一页</div>", None),
    ],
)
def test_page_total(html, total):
    assert page_total(html) == total


@pytest.mark.parametrize(
    "first, pattern, start, page_no, html, expected",
    [
        # nhc.gov.cn: list.shtml, list_2.shtml …
        ("https://www.nhc.gov.cn/wjw/gfxwjj/list.shtml", "list_{n}.shtml", 2, 0,
         "createPageHTML('page_div',3, 1,'list','shtml',60)", "https://www.nhc.gov.cn/wjw/gfxwjj/list_2.shtml"),
        ("https://www.nhc.gov.cn/wjw/gfxwjj/list.shtml", "list_{n}.shtml", 2, 1,
         "createPageHTML('page_div',3, 2,'list','shtml',60)", "https://www.nhc.gov.cn/wjw/gfxwjj/list_3.shtml"),
        ("https://www.nhc.gov.cn/wjw/gfxwjj/list.shtml", "list_{n}.shtml", 2, 2,
         "createPageHTML('page_div',3, 3,'list','shtml',60)", None),
        # TRS from 1, a directory start URL
        ("https://x.gov.cn/a/b/", "index_{n}.html", 1, 0, "", "https://x.gov.cn/a/b/index_1.html"),
        # natcm from 2, 博达 home_N.htm, numbered from 0
        ("http://www.natcm.gov.cn/a/zcwj/", "index_{n}.html", 2, 0, "共2页", "http://www.natcm.gov.cn/a/zcwj/index_2.html"),
        ("http://www.natcm.gov.cn/a/zcwj/", "index_{n}.html", 2, 1, "共2页", None),
        ("https://v.gov.cn/xxgk/home.htm", "home_{n}.htm", 0, 0, "", "https://v.gov.cn/xxgk/home_0.htm"),
    ],
)
def test_numbered_page_url(first, pattern, start, page_no, html, expected):
    assert numbered_page_url(html, first, pattern, start, page_no) == expected


_COLUMN = """<div id="404345"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=31&path=/&columnid=49491&unitid=404345&permissiontype=0"></a>]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/4/12/art_49491_1.html" title="A">A</a><span class="time">2024-04-12</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/4/11/art_49491_2.html" title="B">B</a></li>]]></record></recordset></datastore></script></div>
<script>$('#404345').jpage({ perPage: 15, totalRecord: 31 });</script>"""


def test_hanweb_records_and_pager():
    records = datastore_records(_COLUMN)
    assert [r.count("<li>") for r in records] == [1, 1] and "art_49491_2" in records[1]
    state = pager_state(_COLUMN)
    assert state == {"columnid": 49491, "unitid": 404345, "webid": 31, "total": 31, "perpage": 15}
    assert dataproxy_url("https://wjw.jiangsu.gov.cn/col/col49491/index.html", state, 16, 15) == (
        "https://wjw.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15"
        "&columnid=49491&unitid=404345&webid=31")


def test_hanweb_encrypted_ids_give_no_next_page():
    page = '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=Hq3L&columnid=XPn2&unitid=Cg7K"></a>]]></nextgroup>'
    assert dataproxy_url("https://www.nhsa.gov.cn/col/col104/index.html", pager_state(page), 46, 45) is None


def test_gkmlpt_config_and_detail():
    tree = [{"id": 1, "name": "政策", "children": [{"id": 11, "name": "规范性文件", "children": []},
                                                  {"id": 12, "name": "其他文件"}]},
            {"id": 2, "name": "机构", "jump_url": "/x"}, {"id": 3, "name": "通知公告"}]
    html = f"<script>window._CONFIG = {{ SID: '755021', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1 }};</script>"
    sid, got = site_config(html)
    assert sid == "755021" and got == tree
    assert leaf_categories(got) == [(11, "规范性文件"), (12, "其他文件"), (3, "通知公告")]
    assert leaf_categories(got, ("通知公告",)) == [(3, "通知公告")]
    detail = 'window._CONFIG = { SID: \'2\', DETAIL: {"title": "t", "content": "\\u003Cp\\u003E养老\\"服务\\"\\u003C/p\\u003E"} };'
    assert detail_content(detail) == '<p>养老"服务"</p>'
    assert detail_content("<html></html>") is None
    with pytest.raises(ValueError):
        site_config("<html>no config</html>")


@pytest.mark.parametrize(
    "value, unit, expected",
    [(1712889000, "s", "2024-04-12"), (1712889000000, "ms", "2024-04-12"), ("1712889000", "s", "2024-04-12"),
     (0, "s", None), ("", "s", None), (None, "ms", None)],
)
def test_epoch_dates_are_china_dates(value, unit, expected):
    assert epoch_date(value, unit) == expected


def test_json_paths():
    assert dig([{"a": 1}], "") == [{"a": 1}]  # the document itself is the item array
    assert dig({"searchVO": {"listVO": [1]}}, "searchVO.listVO") == [1]
    assert dig({"a": [{"b": 2}]}, "a.0.b") == 2 and dig({"a": 1}, "a.b") is None
    body = {"page": {"size": 10}}
    put(body, "page.current", 3)
    put(body, "keyWord", "养老")
    assert body == {"page": {"size": 10, "current": 3}, "keyWord": "养老"}
