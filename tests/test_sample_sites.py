"""The sample sites crawler/samples serves: their registry, listings that reach exactly the
expected pages, ground truth that covers every page, the 文号 forms and encodings they
exercise, and a build that is deterministic and committed. (tests/test_sampleserver.py:
the server itself.)"""
from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from parsel import Selector

from spiders.registry import load_registry
from tests.test_sampleserver import fetch

SAMPLES = Path(__file__).parents[1] / "crawler" / "samples"
WWW = SAMPLES / "www"
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text("utf-8"))
PAGES = EXPECTED["page"]
NOTICES = EXPECTED["notice"]


@pytest.fixture(scope="module")
def server(sample_server):
    return sample_server


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
