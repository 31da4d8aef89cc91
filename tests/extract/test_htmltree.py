import pytest

from crawler.extract.htmltree import parse_html

ARTICLE = "<div id='UCAP-CONTENT'><p>全国人民代表大会常务委员会关于批准调整国债余额限额的决议</p><p>会议决定：批准。</p></div>"


@pytest.mark.parametrize(
    "html",
    [
        # a header template that closes the document before the article (gov.cn 公报 pages)
        f"<html><head><title>t</title></head><body><div class='header'>首页</div></body></html>\n{ARTICLE}</body></html>",
        f"<html><head><title>t</title></head><body><div class='header'>首页</div></html><!--end header-->{ARTICLE}</html>",
        f"<html><body><div class='header'>首页</div></body></html><html><body>{ARTICLE}</body></html>",
        # ordinary pages
        f"<html><head><title>t</title></head><body><div class='header'>首页</div>{ARTICLE}</body></html>",
        f"<div class='header'>首页</div>{ARTICLE}",
        # an XML declaration in a str
        f'<?xml version="1.0" encoding="utf-8"?><html><body><div class="header">首页</div>{ARTICLE}</body></html>',
    ],
)
def test_the_article_is_inside_the_one_tree(html):
    root = parse_html(html)
    (container,) = root.xpath("descendant-or-self::*[@id='UCAP-CONTENT']")
    assert container.getparent() is not None
    body = root.find("body")
    assert container in body.iterdescendants()
    text = body.text_content()
    assert text.index("首页") < text.index("会议决定")  # document order kept


def test_text_between_stray_elements_is_kept():
    root = parse_html("<html><body><p>页头</p></body></html>散落的文字<p>第二段。</p>")
    assert "散落的文字" in root.find("body").text_content()
    assert "第二段。" in root.find("body").text_content()


@pytest.mark.parametrize("html", ["", "   ", None])
def test_nothing_to_parse(html):
    assert parse_html(html) is None


# -- one tree per page: the steps that read the page share it ---------------------------
_NOTICE = (
    "<html><head><title>关于做好养老服务工作的通知_某市人民政府</title>"
    "<meta name='ArticleTitle' content='关于做好养老服务工作的通知'></head><body>"
    "<div class='header'>首页 &gt; 通知公告</div><h1>关于做好养老服务<br>工作的通知</h1>"
    "<p>发布时间：2021-03-05</p>"
    "<table><tr><td>索引号：</td><td>000014349/2021-00005</td><td>发布机构：</td><td>某市民政局</td></tr>"
    "<tr><td>文号：</td><td>某民发〔2021〕3号</td><td>成文日期：</td><td>2021-03-01</td></tr></table>"
    "<div id='zoom'><p>各区民政局：</p><p>为做好养老服务工作，现将有关事项通知如下。"
    "一、加强养老机构建设，提高服务质量，保障老年人合法权益。</p>"
    "<p>附件：<a href='/files/plan.docx'>实施方案</a></p><p>某市民政局</p><p>2021年3月1日</p></div>"
    "<script>var x = 1;</script></body></html>"
)


def _snapshot(root):
    from lxml import etree

    return etree.tostring(root, encoding="unicode")


def test_reading_steps_leave_the_shared_tree_as_it_was():
    from crawler.extract.attachments import attachment_links
    from crawler.extract.metatable import parse_meta_table
    from crawler.extract.page import page_head

    root = parse_html(_NOTICE)
    before = _snapshot(root)
    assert parse_meta_table(root) == parse_meta_table(_NOTICE)
    assert page_head(root) == page_head(_NOTICE)
    assert page_head(root)["h1"] == "关于做好养老服务 工作的通知"  # a <br> reads as a space
    assert attachment_links(root, "http://x.gov.cn/a.html") == attachment_links(_NOTICE, "http://x.gov.cn/a.html")
    assert _snapshot(root) == before


def test_extract_page_from_a_tree_as_from_text_or_bytes():
    from crawler.extract import extract_page

    url = "http://x.gov.cn/art/2021/3/5/a.html"
    from_bytes = extract_page(_NOTICE.encode("utf-8"), url)
    assert from_bytes.encoding == "utf-8"
    from_bytes.encoding = None  # text and a tree have no charset to report
    assert extract_page(_NOTICE, url) == from_bytes
    assert extract_page(parse_html(_NOTICE), url) == from_bytes
    assert from_bytes.doc_number == "某民发〔2021〕3号" and from_bytes.attachments


def test_links_after_a_premature_end_of_document_in_a_tree_parsed_elsewhere():
    """Scrapy's tree keeps the stray roots parse_html folds in: the scan reads them too."""
    from lxml import html as lxml_html

    from crawler.extract.attachments import attachment_links

    page = "<html><body><p>页头</p></body></html><html><body><a href='/f/a.pdf'>附件1 方案</a></body></html>"
    foreign = lxml_html.fromstring(page.encode(), parser=lxml_html.HTMLParser(encoding="utf-8")).getroottree().getroot()
    assert len(list(foreign.itersiblings())) == 1  # the second <html>, beside the first
    assert [a.url for a in attachment_links(foreign, "http://x.cn/")] == ["http://x.cn/f/a.pdf"]
    assert [a.url for a in attachment_links(page, "http://x.cn/")] == ["http://x.cn/f/a.pdf"]
