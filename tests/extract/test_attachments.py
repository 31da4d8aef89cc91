import pytest

from crawler.extract.attachments import attachment_links
from crawler.extract.decode import decode_html
from crawler.extract.model import AttachmentLink
from extract_fixtures import fixture_bytes

BASE = "http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/t20181224_1.html"


def links(body: str, base: str | None = BASE) -> list[tuple[str, str, str]]:
    return [(a.url, a.name, a.kind) for a in attachment_links(f"<html><body>{body}</body></html>", base)]


@pytest.mark.parametrize(
    "body, expected",
    [
        # relative href, by extension, every kind
        ('<a href="./P020181224.pdf">实施方案.pdf</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/P020181224.pdf", "实施方案.pdf", "pdf")]),
        ('<a href="/upload/a.DOC">附件1</a>', [("http://www.baoshan.gov.cn/upload/a.DOC", "附件1", "doc")]),
        ('<a href="a.docx">名单</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.docx", "名单", "docx")]),
        ('<a href="a.wps">表</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.wps", "表", "wps")]),
        ('<a href="a.xls">表</a><a href="b.xlsx">表2</a>',
         [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.xls", "表", "xls"),
          ("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/b.xlsx", "表2", "xlsx")]),
        ('<a href="a.ofd">版式文件</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.ofd", "版式文件", "ofd")]),
        ('<a href="a.zip">打包下载</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.zip", "打包下载", "zip")]),
        # the file name in a query string
        ('<a href="/module/download/downfile.jsp?filename=abc.pdf&classid=0">附件</a>',
         [("http://www.baoshan.gov.cn/module/download/downfile.jsp?filename=abc.pdf&classid=0", "附件", "pdf")]),
        # a bare "附件" link named by the file name its URL carries
        ('<a href="/module/download/downfile.jsp?filename=%E5%90%8D%E5%8D%95.pdf">附件</a>',
         [("http://www.baoshan.gov.cn/module/download/downfile.jsp?filename=%E5%90%8D%E5%8D%95.pdf", "名单.pdf", "pdf")]),
        # by link text, when the URL serves files
        ('<a href="/attach/download?id=123">附件1：养老机构名单.xlsx</a>',
         [("http://www.baoshan.gov.cn/attach/download?id=123", "附件1：养老机构名单.xlsx", "xlsx")]),
        # a bare "附件2" link named by its title attribute
        ('<a href="b.doc" title="重点项目表">附件2</a>', [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/b.doc", "重点项目表", "doc")]),
        # no name at all: the file name
        ('<a href="/up/%E5%90%8D%E5%8D%95.pdf"></a>', [("http://www.baoshan.gov.cn/up/%E5%90%8D%E5%8D%95.pdf", "名单.pdf", "pdf")]),
        # embedded viewers
        ('<iframe src="/pdfjs/viewer/a.pdf"></iframe>', [("http://www.baoshan.gov.cn/pdfjs/viewer/a.pdf", "a.pdf", "pdf")]),
        # de-duplicated, the named link wins
        ('<a href="a.pdf"></a><a href="a.pdf">实施方案</a><a href="./a.pdf">又一次</a>',
         [("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/a.pdf", "实施方案", "pdf")]),
        # not attachments
        ('<a href="/n/t1.html">关于印发方案的通知</a><a href="javascript:void(0)">附件.pdf</a><a href="mailto:a@b.cn">邮件</a>', []),
        ('<a href="/d/12345">养老服务实施方案范文.docx</a>', []),  # a doc-sharing "related" page, not a file
        ('<a href="/p/a.pdf.html">看全文</a>', []),
    ],
)
def test_attachment_links(body, expected):
    assert links(body) == expected


def test_base_element_and_no_base_url():
    assert links('<base href="http://files.example.cn/x/"><a href="a.pdf">A</a>', None) == [("http://files.example.cn/x/a.pdf", "A", "pdf")]
    assert links('<a href="a.pdf">A</a>', None) == [("a.pdf", "A", "pdf")]


def test_attachment_block_that_trafilatura_drops():
    html, _ = decode_html(fixture_bytes("gov_baoshan_gbk.html"))
    base = "http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/t20181224_1.html"
    assert attachment_links(html, base) == [
        AttachmentLink("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/P020181224563389216787.pdf", "保山市大健康产业发展工作实施方案.pdf", "pdf"),
        AttachmentLink("http://www.baoshan.gov.cn/zfxxgk/szfbgswj/201812/P020181224563389216788.doc", "重点项目表", "doc"),
    ]


@pytest.mark.parametrize("html", ["", "  ", "<html></html>"])
def test_empty(html):
    assert attachment_links(html, BASE) == []


# --- the spider's shortcut: a page that names no file extension links no attachment ---

def _repo_pages():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for folder in ("crawler/samples/www", "spiders/fixtures", "tests/extract/fixtures"):
        yield from sorted((root / folder).rglob("*.htm*"))


@pytest.mark.parametrize("path", list(_repo_pages()), ids=lambda p: p.name)
def test_a_page_with_attachment_links_is_never_skipped(path):
    from crawler.extract.attachments import may_link_attachments

    text = decode_html(path.read_bytes())[0]
    if attachment_links(text, BASE):
        assert may_link_attachments(text)


@pytest.mark.parametrize(
    "body",
    [
        '<a href="a.pdf">附件</a>',
        '<a href="/down?id=1">附件1.DOCX</a>',
        '<a href="/a%2Epdf">附件</a>',
        '<a href="/a.p%64f">附件</a>',
        '<a href="/get">附件&#46;pdf</a>',
        '<a href="/get">附件&#x2E;pdf</a>',
        '<a href="/get">附件&period;pdf</a>',
        '<a href="/get">附件.&#112;df</a>',
        '<iframe src="/a.ofd"></iframe>',
    ],
)
def test_every_way_of_naming_a_file_keeps_the_page(body):
    from crawler.extract.attachments import may_link_attachments

    html = f"<html><body>{body}</body></html>"
    assert attachment_links(html, BASE)
    assert may_link_attachments(html)


def test_a_page_naming_no_file_is_skipped():
    from crawler.extract.attachments import may_link_attachments

    html = '<html><body><a href="/xxgk/t1.html">通知</a><a href="?page=2">下一页</a> 各县（市、区）%E5%8D%97</body></html>'
    assert not attachment_links(html, BASE)
    assert not may_link_attachments(html)


def test_a_page_naming_no_file_is_answered_without_a_parse(monkeypatch):
    import crawler.extract.htmltree as htmltree
    from crawler.extract.attachments import attachment_links

    def no_parse(html):
        raise AssertionError("parsed a page that names no file")

    monkeypatch.setattr(htmltree, "parse_html", no_parse)
    page = '<html><body><a href="/zwgk/2024/t1.html">关于做好养老服务工作的通知</a></body></html>'
    assert attachment_links(page, "http://gov.test/") == []
    assert attachment_links(object(), "http://gov.test/", text=page) == []  # a tree is not even read
