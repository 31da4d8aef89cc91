"""Family knowledge that is pure functions: pagers, API paths, continuation pages."""
import pytest
from scrapy.http import HtmlResponse

from spiders.aggregator import continuation_urls
from spiders.gov_portal import trs_next_page
from spiders.policy_api import dig, listing_hints
from spiders.registry import ApiConfig


@pytest.mark.parametrize(
    "script, url, expected",
    [
        ('createPageHTML(3, 0, "index", "html");', "http://h/xxgk/index.html", "http://h/xxgk/index_1.html"),
        ("createPageHTML(3,1,'index','html')", "http://h/xxgk/index_1.html", "http://h/xxgk/index_2.html"),
        ('createPageHTML(3, 2, "index", "html");', "http://h/xxgk/index_2.html", None),
        ('createPageHTML(1, 0, "index", "shtml");', "http://h/a/index.shtml", None),
        ('createPageHTML(12, 4, "list", "shtml");', "http://h/a/list_4.shtml", "http://h/a/list_5.shtml"),
        ("no pager here", "http://h/a/index.html", None),
    ],
)
def test_trs_pager(script, url, expected):
    assert trs_next_page(f"<script>{script}</script>", url) == expected


def test_dig_follows_dotted_paths():
    data = {"searchVO": {"catMap": {"gongwen": {"listVO": [{"url": "/a"}], "totalpage": 3}}}}
    assert dig(data, "searchVO.catMap.gongwen.totalpage") == 3
    assert dig(data, "searchVO.catMap.gongwen.listVO.0.url") == "/a"
    assert dig(data, "searchVO.missing.x") is None
    assert dig(data, None) is None


def test_listing_hints_take_configured_fields_and_skip_empty():
    api = ApiConfig(page_url="x", items_path="l", date_field="pubtimeStr", doc_number_field="pcode", agency_field="puborg")
    hints = listing_hints({"title": " 通知 ", "pubtimeStr": "2019.03.29", "pcode": "", "puborg": "国务院办公厅"}, api)
    assert hints == {"title": "通知", "published_date": "2019.03.29", "agency": "国务院办公厅"}


def test_continuation_pages_in_page_order_without_known_ones():
    html = (
        '<div class="pagelist"><a href="12345.html">1</a><a href="12345_3.html">3</a>'
        '<a href="12345_2.html">2</a><a href="12345_2.html">下一页</a></div>'
    ).encode()
    response = HtmlResponse("http://h/article/12345.html", body=html, encoding="utf-8")
    assert continuation_urls(response, "div.pagelist a", [response.url]) == [
        "http://h/article/12345_2.html",
        "http://h/article/12345_3.html",
    ]
