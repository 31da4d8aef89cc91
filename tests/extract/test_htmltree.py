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
