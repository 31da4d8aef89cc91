"""The loopback sample server, and the sample sites it serves (crawler/samples)."""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from parsel import Selector

from crawler.samples.server import SampleServer, query_file_name, sample_registry_path, sample_root
from spiders.registry import load_registry

SAMPLES = Path(__file__).parents[1] / "crawler" / "samples"
WWW = SAMPLES / "www"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text("utf-8"))
PAGES = EXPECTED["page"]
NOTICES = EXPECTED["notice"]


def fetch(url: str, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def server():
    with SampleServer(WWW) as srv:
        yield srv


@pytest.fixture()
def tiny(tmp_path):
    """A private root for tests that touch files."""
    site = tmp_path / "www" / "site"
    (site / "api").mkdir(parents=True)
    (site / "_site.toml").write_text('charset_header = "gbk"\n')
    (site / "page.html").write_bytes("<p>医养结合</p>".encode("gbk"))
    (site / "api" / "list__n=10&p=1.json").write_bytes(b'{"page": 1}')
    (site / "blocked.html.412").write_bytes(b"")
    with SampleServer(tmp_path / "www") as srv:
        yield srv, site


# --- the server ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, query, expected",
    [
        ("zhengce/api/search", "p=1&n=10", "zhengce/api/search__n=10&p=1.json"),
        ("zhengce/api/search", "n=10&p=1", "zhengce/api/search__n=10&p=1.json"),
        ("col/col123/index.html", "uid=9&pageNum=2", "col/col123/index__pageNum=2&uid=9.html"),
        ("api/list", "q=%E5%85%BB%E8%80%81", "api/list__q=养老.json"),
        ("api/list", "b=&a=1", "api/list__a=1&b=.json"),
    ],
)
def test_query_file_name(path, query, expected):
    assert query_file_name(path, query) == expected


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/shenyang/zwgk/index.html", "text/html"),  # charset_header = false
        ("/shuiwu/list_1.html", "text/html"),
        ("/baoshan/xxgk/index.html", "text/html; charset=utf-8"),
        ("/zhengce/api/search?p=0&n=5", "application/json; charset=utf-8"),
    ],
)
def test_charset_header_follows_site_settings(server, path, content_type):
    status, headers, _ = fetch(server.url(path))
    assert status == 200
    assert headers["Content-Type"] == content_type


def test_gbk_page_is_served_as_raw_bytes(server):
    path = "shenyang/zwgk/zcwj/bmwj/201905/t20190524_1402116.html"
    status, headers, body = fetch(server.url(path))
    assert status == 200
    assert body == (WWW / path).read_bytes()
    assert "珺".encode("gbk") in body
    assert headers["ETag"] == '"' + hashlib.sha1(body).hexdigest() + '"'


def test_site_charset_setting_applies_to_private_root(tiny):
    srv, site = tiny
    status, headers, body = fetch(srv.url("/site/page.html"))
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=gbk")
    assert body.decode("gbk") == "<p>医养结合</p>"


def test_conditional_requests(server):
    url = server.url("/baoshan/xxgk/index.html")
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and body
    cases = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": f'"other", {etag}'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, 200),
        ({"If-Modified-Since": "not a date"}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": modified}, 200),  # If-None-Match wins
    ]
    for headers_sent, expected in cases:
        status, headers, body = fetch(url, headers_sent)
        assert status == expected, headers_sent
        if status == 304:
            assert body == b"" and headers["ETag"] == etag


def test_changed_file_gets_new_etag(tiny):
    srv, site = tiny
    _, first, _ = fetch(srv.url("/site/page.html"))
    (site / "page.html").write_bytes("<p>医养结合（修订）</p>".encode("gbk"))
    status, second, _ = fetch(srv.url("/site/page.html"), {"If-None-Match": first["ETag"]})
    assert status == 200 and second["ETag"] != first["ETag"]


def test_query_string_routes_to_stored_json(server):
    status, headers, body = fetch(server.url("/zhengce/api/search?n=5&p=0"))
    assert status == 200
    assert body == (WWW / "zhengce/api/search__n=5&p=0.json").read_bytes()
    assert json.loads(body)["searchVO"]["totalpage"] == 2
    assert fetch(server.url("/zhengce/api/search?p=7&n=5"))[0] == 404
    assert fetch(server.url("/zhengce/api/search"))[0] == 404


def test_unknown_query_on_a_page_falls_back_to_the_page(server):
    status, _, body = fetch(server.url("/bingdou/index.html?t=1700000000"))
    assert status == 200 and body == (WWW / "bingdou/index.html").read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/nope.html", "/baoshan/xxgk/index_9.html", "/baoshan/_site.toml", "/baoshan/../../sources.toml", "/"],
)
def test_missing_and_hidden_paths_are_404(server, path):
    assert fetch(server.url(path))[0] == 404


def test_directory_serves_its_index(server):
    status, _, body = fetch(server.base_url + "/bingdou/")
    assert status == 200 and body == (WWW / "bingdou/index.html").read_bytes()


@pytest.mark.parametrize("path", ["/nhc/wjw/index.html", "/nhc/wjw/index.html.412"])
def test_anti_bot_family_answers_412(server, path):
    status, headers, body = fetch(server.url(path))
    assert status == 412
    assert b"cookie" in body and b"<script" in body
    assert "Set-Cookie" in headers


def test_empty_412_file_gets_a_default_challenge(tiny):
    srv, _ = tiny
    status, _, body = fetch(srv.url("/site/blocked.html"))
    assert status == 412 and b"document.cookie" in body


def test_robots_allows_everything(server):
    status, _, body = fetch(server.url("/robots.txt"))
    assert status == 200 and b"User-agent: *" in body and b"Allow: /" in body


def test_hits_log_and_head(tiny):
    srv, _ = tiny
    srv.reset_counts()
    fetch(srv.url("/site/api/list?p=1&n=10"))
    fetch(srv.url("/site/api/list?p=1&n=10"))
    status, headers, body = fetch(srv.url("/site/page.html"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    assert srv.hits["/site/api/list?p=1&n=10"] == 2
    assert srv.hits["/site/page.html"] == 1
    assert [r.status for r in srv.log] == [200, 200, 200]
    assert srv.log[-1].method == "HEAD"


def test_lifecycle(tmp_path):
    srv = SampleServer(tmp_path)
    with pytest.raises(RuntimeError):
        srv.base_url
    srv.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", srv.base_url)
    srv.stop()
    srv.stop()  # idempotent


def test_sample_paths_default_and_env_override(monkeypatch, tmp_path):
    monkeypatch.delenv("POLICY_ARCHIVE_SAMPLES", raising=False)
    assert sample_root() == WWW.resolve()
    assert sample_registry_path() == (SAMPLES / "sources.toml").resolve()
    (tmp_path / "www").mkdir()
    (tmp_path / "sources.toml").write_text("")
    monkeypatch.setenv("POLICY_ARCHIVE_SAMPLES", str(tmp_path))
    assert sample_root() == tmp_path / "www"
    assert sample_registry_path() == tmp_path / "sources.toml"
    monkeypatch.setenv("POLICY_ARCHIVE_SAMPLES", str(tmp_path / "www"))
    assert sample_root() == tmp_path / "www"
    monkeypatch.setenv("POLICY_ARCHIVE_SAMPLES", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="POLICY_ARCHIVE_SAMPLES"):
        sample_root()
    with pytest.raises(FileNotFoundError, match="sources.toml"):
        sample_registry_path()


# --- the sample data ----------------------------------------------------------------------
REGISTRY = load_registry(SAMPLES / "sources.toml")
ENABLED = [s for s in REGISTRY.values() if s.enabled]


def test_registry_loads_every_sample_site():
    assert {s.id for s in ENABLED} == {"baoshan", "shenyang", "zhengce", "shuiwu", "bingdou", "spam"}
    for source in REGISTRY.values():
        urls = list(source.start_urls) + ([source.api.page_url] if source.api else [])
        assert urls and all(u.startswith("{base}/") for u in urls), source.id


def _decode(body: bytes, page_url: str) -> str:
    site = urlsplit(page_url).path.split("/")[1]
    return body.decode("gb18030" if site == "shenyang" else "utf-8")


def _trs_pages(html: str) -> list[str]:
    match = re.search(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)', html)
    if not match:
        return []
    count, _, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
    return [f"{stem}.{ext}" if k == 0 else f"{stem}_{k}.{ext}" for k in range(count)]


def _walk(server, source) -> tuple[set[str], set[str]]:
    """Listing pages and detail pages a registry-driven spider would reach."""
    source = source.with_base(server.base_url)
    listings: set[str] = set()
    details: set[str] = set()
    if source.api:
        page, total = source.api.first_page, None
        while total is None or page < source.api.first_page + total:
            url = source.api.page_url.format(page=page)
            status, _, body = fetch(url)
            assert status == 200, url
            doc = json.loads(body)
            total = doc["searchVO"]["totalpage"]
            for item in doc["searchVO"]["listVO"]:
                details.add(urljoin(url, item[source.api.url_field]))
            listings.add(url)
            page += 1
        return listings, details
    queue = list(source.start_urls)
    while queue and len(listings) < source.max_pages:
        url = queue.pop(0)
        if url in listings:
            continue
        status, _, body = fetch(url)
        assert status == 200, url
        listings.add(url)
        sel = Selector(text=_decode(body, url))
        links = sel.css(source.list_links + "::attr(href)").getall()
        assert links, f"{url}: list_links found nothing"
        details.update(urljoin(url, href) for href in links)
        if source.next_page:
            queue.extend(urljoin(url, h) for h in sel.css(source.next_page + "::attr(href)").getall())
        queue.extend(urljoin(url, name) for name in _trs_pages(sel.get()))
    return listings, details


def _parts(server, source, url: str) -> list[str]:
    if not source.article_pager:
        return [url]
    seen, queue = [], [url]
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.append(current)
        status, _, body = fetch(current)
        assert status == 200, current
        sel = Selector(text=_decode(body, current))
        queue.extend(urljoin(current, h) for h in sel.css(source.article_pager + "::attr(href)").getall())
    return seen


@pytest.mark.parametrize("source", ENABLED, ids=lambda s: s.id)
def test_listing_walk_reaches_exactly_the_expected_pages(server, source):
    listings, details = _walk(server, source)
    base = server.base_url
    for listing in listings:
        if listing.endswith(".json") or "/api/" in listing:
            continue
        sel = Selector(text=_decode(fetch(listing)[2], listing))
        for href in sel.css("a::attr(href)").getall():
            target = urljoin(listing, href)
            if href.startswith(("javascript:", "#", "mailto:")) or not target.startswith(base):
                continue
            assert fetch(target, method="HEAD")[0] == 200, f"{listing} links to missing {target}"
    reached = {}
    for url in details:
        if source.detail_pattern:
            assert re.search(source.detail_pattern, url), url
        parts = _parts(server, source.with_base(base), url)
        reached[urlsplit(url).path] = [urlsplit(p).path for p in parts]
    expected = {p["path"]: p["parts"] for p in PAGES if p["site"] == source.id}
    assert reached == expected


def _detail_files() -> set[str]:
    listing_names = re.compile(r"^/\w+/(index(_\d+)?|list_\d+|xxgk/index(_\d+)?|zwgk/index(_\d+)?)\.html$")
    files = {"/" + str(p.relative_to(WWW)) for p in WWW.rglob("*") if p.suffix in (".html", ".htm")}
    return {f for f in files if f != "/index.html" and not listing_names.match(f)}


def test_expected_covers_every_detail_page():
    covered = [part for page in PAGES for part in page["parts"]]
    assert len(covered) == len(set(covered))
    assert set(covered) == _detail_files()
    for page in PAGES:
        assert page["notice"] in NOTICES
        assert (SAMPLES / NOTICES[page["notice"]]["text_file"]).is_file()
        assert page["path"] in NOTICES[page["notice"]]["pages"]


def test_content_totals():
    assert len(PAGES) >= 30
    on_topic = {p["notice"] for p in PAGES if p["on_topic"]}
    off_topic = {p["notice"] for p in PAGES if not p["on_topic"]}
    assert len(on_topic) >= 22 and len(off_topic) >= 3
    shenyang_31 = {p["site"] for p in PAGES if p["notice"] == "shenyang_health_services_2015"}
    assert shenyang_31 == {"shenyang", "shuiwu", "bingdou"}
    assert sum(len(p["parts"]) > 1 for p in PAGES if p["site"] == "shuiwu") >= 2
    assert sum(f.stat().st_size for f in WWW.rglob("*") if f.is_file()) < 3_000_000


@pytest.mark.parametrize(
    "form, pattern",
    [
        ("〔〕", r"〔\d{4}〕"),
        ("[]", r"\[\d{4}\]"),
        ("（）", r"（\d{4}）"),
        ("【】", r"【\d{4}】"),
        ("zero-padded serial", r"〕0\d+号$"),
        ("国令", r"^国令第\d+号$"),
        ("公告", r"公告\d{4}年第\d+号$"),
        ("明电", r"明电〔\d{4}〕"),
    ],
)
def test_doc_number_forms_are_covered(form, pattern):
    raws = [p["doc_number_raw"] for p in PAGES if "doc_number_raw" in p]
    assert any(re.search(pattern, raw) for raw in raws), form


def test_pages_without_own_doc_number_exist():
    assert sum("doc_number_raw" not in p for p in PAGES) >= 5


def _page_text(page: dict) -> str:
    """All text of all parts of a page, whitespace removed."""
    out = []
    for part in page["parts"]:
        raw = (WWW / part.lstrip("/")).read_bytes()
        html = raw.decode("gb18030" if page["encoding"] == "gbk" else page["encoding"])
        out.append(lxml.html.fromstring(html).text_content())
    return re.sub(r"\s+", "", "".join(out))


def _notice_lines(notice_id: str) -> list[str]:
    body = (SAMPLES / NOTICES[notice_id]["text_file"]).read_text("utf-8").split("+++\n", 2)[2]
    lines = [l[2:] if l[:2] in ("> ", "# ") else l for l in body.splitlines() if l and l != "<<<page>>>"]
    return [re.sub(r"\s+", "", l) for l in lines]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p["path"])
def test_page_carries_its_notice_text_and_own_number(page):
    text = _page_text(page)
    missing = [line for line in _notice_lines(page["notice"]) if line not in text]
    assert not missing, missing[:3]
    if "doc_number_raw" in page:
        assert re.sub(r"\s+", "", page["doc_number_raw"]) in text
    own = NOTICES[page["notice"]].get("doc_number")
    if own and "doc_number_raw" not in page:
        # a copy without its number: identity must come from the text
        assert own not in _normalized_numbers(text)


def _normalized_numbers(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[〔\[【(（](\d{4})[〕\]】)）]", r"〔\1〕", text)
    return re.sub(r"〕0+(\d)", r"〕\1", text)


@pytest.mark.parametrize("page", [p for p in PAGES if p["encoding"] == "gbk"], ids=lambda p: p["path"])
def test_gbk_pages_decode_as_gb18030_cleanly(page):
    raw = (WWW / page["path"].lstrip("/")).read_bytes()
    text = raw.decode("gb18030")
    assert "\ufffd" not in text
    assert 'charset=gb2312' in text


def test_one_gbk_page_needs_more_than_gb2312():
    failures = 0
    for page in (p for p in PAGES if p["encoding"] == "gbk"):
        raw = (WWW / page["path"].lstrip("/")).read_bytes()
        try:
            raw.decode("gb2312")
        except UnicodeDecodeError:
            failures += 1
    assert failures >= 1


def test_declared_charsets_match_the_pages():
    lying = 0
    for page in PAGES:
        head = (WWW / page["path"].lstrip("/")).read_bytes()[:600].decode("ascii", "ignore").lower()
        assert f"charset={page['declared_charset']}" in head or f'charset="{page["declared_charset"]}"' in head
        lying += page["declared_charset"] in ("gb2312", "gbk") and page["encoding"] == "utf-8"
    assert lying == 1


def test_expected_doc_numbers_agree_with_notices():
    for page in PAGES:
        if "doc_number" in page:
            assert page["doc_number"] == NOTICES[page["notice"]]["doc_number"], page["path"]


def test_build_is_deterministic_and_committed():
    from crawler.samples.gen import demo
    from crawler.samples.gen.tree import check

    assert check(demo.HERE, demo.build(), demo.OWNED) == [], "run `python -m crawler.samples.gen demo`"
