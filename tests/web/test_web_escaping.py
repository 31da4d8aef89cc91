"""Crawled text is hostile: a page whose title and body hold <script>, onerror= and
javascript: is crawled (the real crawl process, from a loopback site) into each backend,
and every page that shows it serves it escaped, under a CSP that runs no inline script."""
from __future__ import annotations

import re

from tests.tiny_sites import crawl_one_notice
from web_client import client_for

# As the page's source has them: entities, so the extracted text holds the markup itself.
TITLE = "关于养老服务的通知&lt;script&gt;alert(1)&lt;/script&gt;"
HOSTILE = ("&lt;img src=x onerror=alert(2)&gt; 点击 &lt;a href=\"javascript:alert(3)\"&gt;这里&lt;/a&gt; "
           "&lt;script&gt;document.title='pwned'&lt;/script&gt;")
NOTICE = (
    f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><div id='zoom'>"
    "<p>各区县民政局：</p>"
    f"<p>为做好养老服务和老年人健康管理工作，推进医养结合，现将有关事项通知如下。{HOSTILE}</p>"
    + "".join(f"<p>第{i}条 为做好老年人健康管理和养老服务工作，推进医养结合，提高老年人健康水平，现将有关事项通知如下。</p>"
              for i in range(10))
    + "<p>市民政局</p><p>2024年5月6日</p></div></body></html>"
)
# What must never reach a browser as markup.
LIVE = [re.compile(p, re.I) for p in (r"<script", r"<img[^>]*onerror", r"""href\s*=\s*["']?\s*javascript:""",
                                      r"<a href=\"javascript")]


def _crawled_hostile_page(tmp_path, url: str) -> int:
    doc = crawl_one_notice(tmp_path, url, NOTICE, "养老")
    # The hostile strings reached the archive as text: the test below tests escaping, not extraction.
    assert "<script>alert(1)</script>" in doc.title
    assert "onerror=alert(2)" in doc.text and "javascript:alert(3)" in doc.text and "<script>" in doc.text
    return doc.id


def test_hostile_crawled_text_is_served_escaped(tmp_path, archive_url):
    doc_id = _crawled_hostile_page(tmp_path, archive_url)
    with client_for(archive_url) as client:
        pages = {path: client.get(path) for path in (
            "/search?q=养老", "/search?q=alert", f"/documents/{doc_id}", f"/documents/{doc_id}/diff", f"/documents/{doc_id}/citations",
            "/new?since=2000-01-01", "/search?q=%E5%85%BB%E8%80%81&type=%3Cscript%3E", f"/search?q={'<script>'}", "/search?q=%22%3E%3Cscript%3Ealert(5)%3C/script%3E",
        )}
        for path, answer in pages.items():
            assert answer.status_code == 200, path
            assert answer.headers["content-type"].startswith("text/html")
            assert "default-src 'self'" in answer.headers["content-security-policy"]
            for live in LIVE:
                assert not live.search(answer.text), (path, live.pattern)
        document = pages[f"/documents/{doc_id}"].text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document  # shown, as text
        assert "onerror=alert(2)" in document and "javascript:alert(3)" in document
        graph = pages[f"/documents/{doc_id}/citations"].text
        svg = graph[graph.index("<svg"):graph.index("</svg>")]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg  # the node's title, escaped inside the SVG too
        assert "&lt;mark&gt;" not in pages["/search?q=alert"].text  # escaped first, then marked
        assert "<mark>alert</mark>" in pages["/search?q=alert"].text
        api = client.get(f"/api/v1/documents/{doc_id}")
        assert api.headers["content-type"].startswith("application/json")
        assert "<script>alert(1)</script>" in api.json()["title"]  # JSON carries the text as it is
