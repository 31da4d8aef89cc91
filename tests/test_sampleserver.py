"""The loopback sample server, and the sample sites it serves (crawler/samples)."""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.samples.server import SampleServer, query_file_name, sample_registry_path, sample_root

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
