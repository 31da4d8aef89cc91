"""The web page in a real browser: Debian's chromium, driven by Playwright, on the demo
archive after `demo --state later`, served by uvicorn on a loopback port. Searches 养老,
narrows by a facet, opens a document, follows a citation, opens the revised notice's diff,
and visits the other pages; fails on a console error, a page error or a failed request;
keeps screenshots in tests/web/screenshots/."""
from __future__ import annotations

import os
import socket
import threading
import urllib.request
from pathlib import Path

import pytest

from crawler.components.browser import chromium_path
from web_client import run_demo

SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo archive, then its later state (one notice revised)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web')}/demo.db"
    run_demo(url)
    assert run_demo(url, "--state", "later")["new_versions"] == 1
    return url


@pytest.fixture(scope="module")
def served(demo_db):
    """The demo archive on a free loopback port, answering before the test starts."""
    from crawler.web.app import create_app
    from crawler.web.server import server as web_server

    url = demo_db
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # connections wait in the backlog until uvicorn accepts them
    server = web_server(create_app(url))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with urllib.request.urlopen(f"{base}/search", timeout=30) as first:  # waits on the server's answer
        assert first.status == 200
    yield base
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("POLICY_ARCHIVE_REQUIRE_SERVICES") or os.environ.get("CI"):
            pytest.fail("the browser test must run here: no chromium")
        pytest.skip("no chromium here")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_a_raw_utf8_request_line_is_read_as_its_percent_encoding(served):
    """What `curl 'localhost:8080/search?q=养老'` sends: the URL's UTF-8 bytes, not encoded."""
    host, port = served.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall("GET /search?q=养老 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode("utf-8"))
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    with urllib.request.urlopen(f"{served}/search?q=%E5%85%BB%E8%80%81", timeout=30) as encoded:
        assert body.decode("utf-8") == encoded.read().decode("utf-8")
    assert b'class="title"' in body


def _watched(browser) -> tuple[object, list[str]]:
    """A page whose console errors, page errors, failed requests and HTTP errors are collected."""
    problems: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    return page, problems


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_search_narrow_by_a_facet_open_a_document_follow_a_citation_and_a_diff(served, browser):
    SHOTS.mkdir(exist_ok=True)
    page, problems = _watched(browser)
    page.goto(f"{served}/search")
    page.fill("header input[name=q]", "养老")
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    everywhere = page.locator("li.hit").count()  # a locator is live: count it before leaving
    assert everywhere > 5
    assert "养老" in page.locator("li.hit mark").first.inner_text()
    page.screenshot(path=str(SHOTS / "1-search.png"), full_page=True)

    facet = page.locator("section.facet[data-facet=region] li", has_text="云南省保山市")
    count = int(facet.locator(".count").inner_text())
    _click(page, facet.locator("a").first)
    narrowed = page.locator("li.hit")
    assert 0 < narrowed.count() == count < everywhere
    assert all("保山" in m for m in narrowed.locator(".meta").all_inner_texts())
    assert "region=%E4%BA%91%E5%8D%97%E7%9C%81%E4%BF%9D%E5%B1%B1%E5%B8%82" in page.url  # the URL holds the facet
    assert page.locator("section.facet[data-facet=region] li.active a.clear").count() == 1
    page.screenshot(path=str(SHOTS / "2-facet.png"), full_page=True)

    citing = narrowed.filter(has=page.locator(".docno", has_text="保政办发〔2019〕32号"))
    title = citing.locator("a.title").inner_text()
    _click(page, citing.locator("a.title"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("table.metadata th").first.inner_text() == "文号"
    page.screenshot(path=str(SHOTS / "3-document.png"), full_page=True)

    _click(page, page.locator("section.citations li a", has_text="国办发〔2019〕5号"))
    assert "国办发〔2019〕5号" in page.locator("table.metadata td").first.inner_text()
    assert page.locator("section.citations li a", has_text="保政办发〔2019〕32号").count() == 1  # cited by
    page.screenshot(path=str(SHOTS / "4-cited.png"), full_page=True)

    page.fill("header input[name=q]", "保政发〔2022〕8号")
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    _click(page, page.locator("li.hit a.title").first)
    _click(page, page.locator("a.difflink"))
    assert page.locator("table.diff del").count() == page.locator("table.diff ins").count() == 1
    assert "55%" in page.locator("table.diff del").inner_text() and "60%" in page.locator("table.diff ins").inner_text()
    page.screenshot(path=str(SHOTS / "5-diff.png"), full_page=True)
    assert not problems, problems


def test_an_attachment_read_and_downloaded(served, browser, demo_db):
    from storage.api import attachment_body, open_archive

    SHOTS.mkdir(exist_ok=True)
    page, problems = _watched(browser)
    page.goto(f"{served}/search?q=%E9%95%BF%E6%9C%9F%E6%8A%A4%E7%90%86%E4%BF%9D%E9%99%A9")  # 长期护理保险
    _click(page, page.locator("li.hit", has=page.locator(".docno", has_text="保医保发〔2021〕27号")).locator("a.title"))
    row = page.locator("table.attachments tr.state-ok")
    assert row.count() == 1 and "docx" in row.inner_text()
    page.screenshot(path=str(SHOTS / "11-attachments.png"), full_page=True)

    name = row.locator("a.attachment").inner_text()
    # a download cancels the page's requests still under way (its favicon): let them end first
    page.wait_for_load_state("networkidle")
    with page.expect_download() as fetched:
        row.locator("a.download").click()
    attachment_id = int(row.locator("a.download").get_attribute("href").split("/")[2])
    with open_archive(demo_db, read_only=True) as archive:
        blob = attachment_body(archive, attachment_id)
    assert blob and Path(fetched.value.path()).read_bytes() == blob
    assert fetched.value.suggested_filename == name  # the Chinese name, through filename*

    _click(page, row.locator("a.attachment"))
    assert page.locator("h1").inner_text() == name
    paragraphs = page.locator("section.text p")
    assert paragraphs.count() > 5 and "第一条" in paragraphs.all_inner_texts()[2]
    page.screenshot(path=str(SHOTS / "12-attachment-text.png"), full_page=True)
    assert not problems, problems


def test_the_archive_pages_in_a_browser(served, browser):
    SHOTS.mkdir(exist_ok=True)
    page, problems = _watched(browser)
    for n, (path, ready) in enumerate((("/new?since=2000-01-01", "table.new td"), ("/sources", "table.sources td"),
                                       ("/coverage", "table.coverage td.cell-evidence"), ("/stats", "svg.bars rect"),
                                       ("/api", "section.endpoint")), start=6):
        page.goto(f"{served}{path}")
        assert page.locator(ready).count() > 0, path
        page.screenshot(path=str(SHOTS / f"{n}-{path.strip('/').split('?')[0]}.png"), full_page=True)
    page.goto(f"{served}/citations")
    assert page.locator("table.top-cited td").count() > 0
    page.screenshot(path=str(SHOTS / "13-citations.png"), full_page=True)
    _click(page, page.locator("table.top-cited a", has_text="graph").first)
    assert page.locator("svg.citegraph a.node").count() > 1
    page.screenshot(path=str(SHOTS / "14-citation-graph.png"), full_page=True)
    assert not problems, problems
