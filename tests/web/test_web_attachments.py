"""A document's attachments on the web page (both backends): each with its kind, size and
extraction state, a page of its text (escaped) and a download of the raw file, byte for
byte, under a header no crawled name can break; and the same data as JSON and on the CLI.

The hostile case is crawled (the real crawl process, from a loopback site): a notice whose
attachment link's text and the DOCX's own text hold markup and header syntax, next to a
.pdf that is not one (its state: parse)."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote

import pytest

from crawler.samples.server import sample_root
from crawler.web.attachment_pages import content_disposition, download_name
from tests.extract.office_files import docx_bytes
from tests.test_cli import assert_one_line_error, cli
from tests.tiny_sites import crawl_one_notice
from test_web_escaping import LIVE
from test_web_search import cli_json
from web_client import client_for

# The link text as the page's source has it: entities, so the name holds the markup itself.
LINK_TEXT = "附件1：养老服务清单&quot;; filename=evil.exe &lt;script&gt;alert(7)&lt;/script&gt;.docx"
HOSTILE_TEXT = "第一条 养老服务补贴<script>alert(8)</script><img src=x onerror=alert(9)> javascript:alert(10)"
NOTICE = (
    "<html><head><title>关于做好养老服务补贴工作的通知</title></head><body><div id='zoom'>"
    "<p>各区县民政局：</p>"
    + "".join(f"<p>第{i}条 为做好老年人健康管理和养老服务工作，推进医养结合，提高老年人健康水平，现将有关事项通知如下。</p>"
              for i in range(12))
    + f"<p><a href='qingdan.docx'>{LINK_TEXT}</a></p><p><a href='broken.pdf'>附件2：统计表.pdf</a></p>"
    "<p>市民政局</p><p>2024年5月6日</p></div></body></html>"
)
DOCX = docx_bytes([("title", "养老服务补贴清单"), ("p", HOSTILE_TEXT), ("p", "第二条 本清单自印发之日起施行。")])
BROKEN_PDF = b"%PDF-1.4\nthis is not a PDF body at all\n" * 20


@pytest.fixture
def hostile(tmp_path, archive_url):
    doc = crawl_one_notice(tmp_path, archive_url, NOTICE, "医养结合", {"qingdan.docx": DOCX, "broken.pdf": BROKEN_PDF})
    by_kind = {a.kind: a for a in doc.attachments}
    # the hostile strings reached the archive as they are: what follows tests the serving
    assert "<script>alert(7)</script>" in by_kind["docx"].name and '"; filename=evil.exe' in by_kind["docx"].name
    return archive_url, doc, by_kind


def test_the_document_page_lists_each_attachment_with_its_state_escaped(hostile):
    url, doc, by_kind = hostile
    docx, pdf = by_kind["docx"], by_kind["pdf"]
    assert (docx.state, pdf.state) == ("ok", "parse") and pdf.error
    with client_for(url) as client:
        page = client.get(f"/documents/{doc.id}").text
        rows = re.findall(r'<tr class="state-(\w+)">(.*?)</tr>', page, re.S)
        assert [state for state, _ in rows] == ["ok", "parse"]
        for (state, row), a in zip(rows, (docx, pdf)):
            assert f'<a class="attachment" href="/attachments/{a.id}">' in row
            assert f'<a class="download" href="/attachments/{a.id}/raw" download>' in row
            assert f"<td>{a.kind}</td>" in row and f'<span class="state">{state}</span>' in row
        assert "&lt;script&gt;alert(7)&lt;/script&gt;" in page  # the name shown, as text
        assert f"{docx.text_chars} characters" in rows[0][1]
        for live in LIVE:
            assert not live.search(page), live.pattern


def test_an_attachments_text_page_shows_its_text_escaped(hostile):
    url, doc, by_kind = hostile
    docx, pdf = by_kind["docx"], by_kind["pdf"]
    with client_for(url) as client:
        page = client.get(f"/attachments/{docx.id}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in page.headers["content-security-policy"]
        for live in LIVE:
            assert not live.search(page.text), live.pattern
        assert "养老服务补贴&lt;script&gt;alert(8)&lt;/script&gt;&lt;img src=x onerror=alert(9)&gt;" in page.text
        assert "第二条 本清单自印发之日起施行。" in page.text
        assert f'href="/documents/{doc.id}"' in page.text and f'href="/attachments/{docx.id}/raw"' in page.text
        assert 'class="cut"' not in page.text
        broken = client.get(f"/attachments/{pdf.id}").text
        assert '<span class="state state-parse">parse</span>' in broken and 'class="notext"' in broken


def test_a_long_text_is_cut_on_its_page_and_whole_in_its_json(hostile, monkeypatch):
    from crawler.web import attachment_pages

    url, doc, by_kind = hostile
    docx = by_kind["docx"]
    monkeypatch.setattr(attachment_pages, "MAX_PAGE_TEXT_CHARS", 20)
    with client_for(url) as client:
        page = client.get(f"/attachments/{docx.id}").text
        assert f"the first 20 of {docx.text_chars} characters" in page
        assert "本清单自印发之日起施行" not in page  # past the cut
        assert "本清单自印发之日起施行" in client.get(f"/api/v1/attachments/{docx.id}").json()["text"]


def test_the_download_is_the_file_as_fetched_under_a_safe_name(hostile):
    url, _, by_kind = hostile
    docx, pdf = by_kind["docx"], by_kind["pdf"]
    with client_for(url) as client:
        for a, body, media in ((docx, DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                               (pdf, BROKEN_PDF, "application/pdf")):
            got = client.get(f"/attachments/{a.id}/raw")
            assert got.status_code == 200 and got.content == body
            assert got.headers["content-type"] == media
            assert hashlib.sha256(got.content).hexdigest() == client.get(f"/api/v1/attachments/{a.id}").json()["sha256"]
            assert client.get(f"/api/v1/attachments/{a.id}/raw").content == body
        got = client.get(f"/attachments/{docx.id}/raw")
        (disposition,) = got.headers.get_list("content-disposition")
        assert "set-cookie" not in got.headers
        whole = re.fullmatch(r'attachment; filename="attachment-\d+\.docx"; filename\*=UTF-8\'\'([A-Za-z0-9%._~-]+)',
                             disposition)
        assert whole, disposition
        # the whole name as its page gave it, but for the path separator in "</script>"
        assert unquote(whole.group(1)) == docx.name.replace("/", "_")


def test_attachment_json_is_the_clis_and_the_documents_lists_the_state(hostile, tmp_path):
    url, doc, by_kind = hostile
    docx = by_kind["docx"]
    with client_for(url) as client:
        api = client.get(f"/api/v1/attachments/{docx.id}").json()
        assert api == cli_json("attachment", str(docx.id), "--save", str(tmp_path / "saved"), db=url)
        assert (tmp_path / "saved").read_bytes() == DOCX
        assert HOSTILE_TEXT in api["text"] and api["state"] == "ok" and api["document_id"] == doc.id
        listed = client.get(f"/api/v1/documents/{doc.id}").json()["attachments"]
        assert [(a["kind"], a["state"]) for a in listed] == [("docx", "ok"), ("pdf", "parse")]
        assert {k: api[k] for k in listed[0]} == listed[0]


def test_the_cli_names_a_missing_attachment_in_one_line(hostile):
    url, _, _ = hostile
    assert_one_line_error(cli("attachment", "999999", "--db", url), "no attachment 999999")


def test_only_attachments_are_served_by_their_id(hostile):
    url, doc, by_kind = hostile
    with client_for(url) as client:
        for path in ("/attachments/999999", "/attachments/999999/raw", "/api/v1/attachments/999999/raw",
                     "/attachments/99999999999999999999/raw", "/attachments/x/raw",
                     f"/attachments/{by_kind['docx'].id}/..%2f..%2fpyproject.toml",
                     f"/attachments/{hashlib.sha256(DOCX).hexdigest()}/raw"):
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert answer.content != DOCX and b"[project]" not in answer.content
        for method in (client.post, client.put, client.delete):
            assert method(f"/attachments/{by_kind['docx'].id}/raw").status_code == 405


def test_the_demo_archive_has_an_attachment_to_read_and_download(demo_archive):
    shown = cli_json("show", "保医保发〔2021〕27号", db=demo_archive)
    (a,) = shown["attachments"]
    assert a["state"] == "ok" and a["kind"] == "docx"
    with client_for(demo_archive) as client:
        text = client.get(f"/attachments/{a['id']}").text
        assert "第一条 为积极应对人口老龄化" in text
        raw = client.get(f"/attachments/{a['id']}/raw").content
    served = sample_root() / "baoshan" / a["url"].split("/baoshan/", 1)[1]  # as the sample site serves it
    assert raw == served.read_bytes()


@pytest.mark.parametrize("name, url, kind, expected", [
    ("清单\r\nSet-Cookie: x=1\r\n.docx", "http://a/f.docx", "docx", "清单 Set-Cookie: x=1 .docx"),
    ("../../etc/passwd", "http://a/f.pdf", "pdf", "_.._etc_passwd.pdf"),
    (None, "http://a/dir/%E9%99%84%E4%BB%B6.xls", "xls", "附件.xls"),
    (None, "http://a/", "pdf", "attachment-5.pdf"),
    ("表.et", "http://a/x.et", "xls", "表.et"),
    ("archive", "http://a/x.zip", "other", "archive"),
])
def test_download_names_keep_no_header_or_path_syntax(name, url, kind, expected):
    filename = download_name(5, name, url, kind)
    assert filename == expected
    header = content_disposition(5, filename)
    assert header.isascii() and not re.search(r"[\x00-\x1f\x7f]", header)
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == filename
