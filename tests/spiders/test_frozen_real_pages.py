"""The family spiders over frozen real pages (issue 20): real saved pages of a family's sites,
served byte for byte on loopback, crawled by the real spider, read against their labels.

The fixture tests (test_builtin_sources.py) show a spider agrees with our own picture of a
site; these show it reads the site as it was. The pages are the real ones of the extraction
corpus (tests/eval/corpus/labels.toml, third-party data: tests/third_party.py), so the
fields are checked against labels written by reading the page, not against what our
extractor gives today. Each real page stands beside the registry source whose family and
detail settings (container, boilerplate, headers) would read it; it is served at the URL it
was published at (POLICY_HOST_MAP), so the spider, the pipeline and the archive see the real
URL. No real listing page of these families is saved in the repositories the corpus comes
from, so the listing the crawl starts from is a bare one: links without titles or dates,
which leaves every field to the real page itself.

Fields are read on dev-split sites only (labels.toml [split]): a test-split page is scored
by the evaluation and never looked at before a fix, so here it is only crawled, and must
arrive in the archive byte for byte. Skips when the data directory lacks the pages.
"""
from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import tomli_w
from sqlalchemy import select

from crawler.items import CapturedPart, PageItem
from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.files import query_file_name
from crawler.samples.server import SampleServer
from spiders.policy_api import put
from spiders.registry import BUILTIN_REGISTRY, load_registry
from crawler.work.item_extraction import extract_item
from storage import blobs
from storage.api import open_archive
from storage.models import Capture, Document, Version
from tests import third_party

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
sys.path.insert(0, str(EVAL_DIR))

from eval_corpus import META_FIELDS, load_corpus  # noqa: E402
from eval_scoring import field_verdict  # noqa: E402
from home_discovery_eval import load_home_labels, page_bytes, split_of  # noqa: E402

# The real pages' sites, each with the built-in source that stands for its family there:
# the same CMS template, so the same container and detail settings would read it.
SITE_SOURCE = {
    # Hanweb JCMS, the Jiangxi provincial template (/art/Y/M/D/art_COL_ID.html, #zoom):
    # the template jx_tcm reads on hc.jiangxi.gov.cn
    "www.jiangxi.gov.cn": "jx_tcm",
    # Hanweb JCMS, the Zhejiang template (#zoom): zj_mzt's
    "fgw.zj.gov.cn": "zj_mzt",
    "www.lishui.gov.cn": "zj_mzt",
    # TRS WCM (/YYYYMM/tYYYYMMDD_N.html), the Inner Mongolia government's: nm_mzt's CMS
    "www.nmg.gov.cn": "nm_mzt",
    # TRS WCM, a Hubei government site (.shtml, t20180314_N.html): hb_mzt's CMS
    "gsj.wuhan.gov.cn": "hb_mzt",
    # the Jiangxi city portals' CMS (/<site>/<column>/YYYYMM/<hex>.shtml): jx_mzt's .shtml site
    "www.yichun.gov.cn": "jx_mzt",
    "www.wanzai.gov.cn": "jx_mzt",
    # the notices gov.cn's policy library API lists are www.gov.cn pages
    "www.gov.cn": "gov_cn_gw",
}
# Which server answer a page gets: the real one where a capture of that site says it
# (www.jiangxi.gov.cn in 2020 sent "text/html" with no charset: chairmenfrog/Policy_crawler
# demo/GOV_Jiangxi_1.pkl@6c80187, a pickled requests Response of one of these pages); no
# charset elsewhere, where nobody recorded the header, so the page's own bytes decide.
CHARSET_HEADER: dict[str, str | bool] = {"www.jiangxi.gov.cn": False}
LISTING_PATH = "/frozen-listing/index.html"
API_PATH = "/frozen-listing/data"

# Where the crawl reads a real page wrong today, and why: each turns this test red (strict)
# once fixed, so the entry is removed with the fix. Findings of these tests, not of the spiders:
# the page's 落款 names an office inside the 发布机构 the table gives, and the field choice
# (crawler/extract/fieldchoice.py choose_agency) takes the 落款.
SUBUNIT_SIGNATURE = "agency: the 落款 names an office of the table's 发布机构 and wins over it"
KNOWN_MISSES = {
    "real-jiangxi-14208-1503750": SUBUNIT_SIGNATURE,  # 省市场监管局法规处
    "real-jiangxi-5400-1505309": SUBUNIT_SIGNATURE,  # 省局新冠肺炎疫情防控工作领导小组
    "real-jiangxi-5400-1512993": SUBUNIT_SIGNATURE,  # 江西省市场监管局办公室
    "real-jiangxi-5400-1565516": SUBUNIT_SIGNATURE,  # (…)肺炎疫情防控工作领导小组
}
REGISTRY = load_registry(BUILTIN_REGISTRY)
# the CMS a page's labels name (labels.toml ``cms``) → the family spider that reads it
CMS_FAMILY = {"hanweb": "hanweb", "trs": "gov_portal", "govcn": "policy_api", "jx-jyh": "gov_portal"}
# Real captures kept whole, response and all (frozen/ of the data directory, rows of
# tests/eval/corpus/third_party.toml), each another capture of a labeled notice: served at
# the URL it was fetched from and read against that notice's labels.
FROZEN_CAPTURES = [
    # www.jiangxi.gov.cn's answer of 2020-03-01 (Content-Type "text/html", no charset), made
    # 2020-02-28: the corpus page of the same notice was made again on 2020-03-09
    {"file": "frozen/jiangxi_4975_1510362_response.html", "labels": "real-jiangxi-4975-1510362",
     "url": "http://www.jiangxi.gov.cn/art/2020/2/26/art_4975_1510362.html?xxgkhide=1",
     "sha256": "9e31b361d5ae3c530a459da5206db9d3b363d808705d1f829f63cdbcca8742d6"},
]


def _real_pages() -> list:
    """The labeled real pages of these sites, then the frozen captures under their notice's labels.
    A page whose address was not recorded cannot be served where it was published."""
    corpus = {p.id: p for p in load_corpus(absent=True) if p.group == "real" and p.site in SITE_SOURCE and p.url}
    captures = []
    for capture in FROZEN_CAPTURES:
        path = third_party.path(capture["file"])
        captures.append(replace(corpus[capture["labels"]], id=capture["file"], files=[path], url=capture["url"],
                                sha256=capture["sha256"], present=path.is_file()))
    return [*corpus.values(), *captures]


PAGES = _real_pages()
PRESENT = [p for p in PAGES if p.present]


def _host_path(url: str) -> str:
    """A real URL as the loopback server is asked for it: its host, then its path and query."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def _served_file(root: Path, url: str) -> Path:
    """Where the loopback server keeps a real URL's page (a query is part of the file name)."""
    parts = urlsplit(url)
    path = query_file_name(parts.path, parts.query) if parts.query else parts.path
    return root / parts.netloc / path.lstrip("/")


def _frozen_table(site: str) -> dict:
    """The registry entry of the site's source, reading the bare listing of its real pages
    (an API source's on its API host, any other's on the pages' host)."""
    table = dict(_builtin_tables()[SITE_SOURCE[site]])
    for key in ("next_page", "page_pattern", "page_start", "detail_pattern", "title_filter", "home"):
        table.pop(key, None)
    table.update(id=_frozen_id(site), enabled=True, browser=False, max_pages=1, state="evidence")
    if table["family"] == "policy_api":
        # the API answers in the source's own shape, each item its URL only
        host = urlsplit(table["api"]["page_url"]).netloc
        table["api"] = {"page_url": f"https://{host}{API_PATH}?p={{page}}", "items_path": table["api"]["items_path"],
                        "url_field": table["api"]["url_field"], "first_page": 1}
        table.pop("start_urls", None)
    else:
        table.update(start_urls=[f"http://{site}{LISTING_PATH}"], list_links="a")
    return table


def _frozen_id(site: str) -> str:
    return "frozen_" + "_".join(site.replace(":", ".").split("."))


def _builtin_tables() -> dict[str, dict]:
    return {t["id"]: t for t in tomllib.loads(BUILTIN_REGISTRY.read_text(encoding="utf-8"))["source"]}


def _lay_out(root: Path, registry: Path) -> dict[str, str]:
    """The served tree (each page at its real host and path, the bare listings) and the
    registry; returns POLICY_HOST_MAP's entries."""
    by_site: dict[str, list] = defaultdict(list)
    for page in PRESENT:
        by_site[page.site].append(page)
    tables, hosts = [], set()
    for site, pages in by_site.items():
        for page in pages:
            host = urlsplit(page.url).netloc
            hosts.add(host)
            target = _served_file(root, page.url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.bodies()[0])
            if site in CHARSET_HEADER:
                (root / host / "_site.toml").write_text(tomli_w.dumps({"charset_header": CHARSET_HEADER[site]}))
        table = _frozen_table(site)
        tables.append(table)
        listing_host = urlsplit(table["api"]["page_url"]).netloc if "api" in table else site
        hosts.add(listing_host)
        urls = [p.url for p in pages]
        if "api" in table:
            answer = {}
            items = [{table["api"]["url_field"]: u} for u in urls]
            put(answer, table["api"]["items_path"], items)
            target = _served_file(root, f"https://{listing_host}{API_PATH}?p=1")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        else:
            links = "".join(f'<li><a href="{u}"></a></li>' for u in urls)
            target = root / listing_host / LISTING_PATH.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    registry.write_text(tomli_w.dumps({"source": tables}), encoding="utf-8")
    return {f"{scheme}://{host}": host for host in hosts for scheme in ("http", "https")}


@dataclass
class Archived:
    """What the crawl kept of one real page: the bytes it captured and the fields of its
    document, or, for a page the pipeline judged off-topic (kept raw, no document), the
    fields the same extraction reads from those bytes with the source's settings."""
    body: bytes
    fields: dict[str, object]
    document: bool


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    if not PRESENT:
        pytest.skip(third_party.absent("the real pages of the families' sites are"))
    tmp = tmp_path_factory.mktemp("frozen")
    root, registry = tmp / "www", tmp / "sources.toml"
    hosts = _lay_out(root, registry)
    sources = load_registry(registry)
    url = f"sqlite:///{tmp / 'archive.db'}"
    with SampleServer(root) as server:
        summary = run_crawl(
            list(sources.values()), db_url=url, registry_path=registry,
            settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": {o: f"{server.base_url}/{h}" for o, h in hosts.items()}},
            timeout=240, progress=False,
        )
        missing = [unquote(r.target) for r in server.log if r.status == 404]
    archive = open_archive(url)
    kept: dict[str, Archived] = {}
    with archive.session() as s:
        rows = s.execute(
            select(Capture, Document).join(Version, Capture.version_id == Version.id, isouter=True)
            .join(Document, Version.document_id == Document.id, isouter=True).where(Capture.part_no == 0)
        ).all()
        for capture, document in rows:
            body = blobs.load(s, capture.sha256)
            if document is not None:
                fields = {f: getattr(document, f) for f in META_FIELDS}
            else:
                part = CapturedPart(url=capture.url, final_url=capture.final_url, status=capture.http_status, body=body,
                                    fetched_at=capture.fetched_at, content_type=capture.content_type)
                extraction, _ = extract_item(PageItem(source_id=capture.source_id, parts=[part]), sources[capture.source_id])
                fields = {f: getattr(extraction, f) for f in META_FIELDS}
            kept[capture.url] = Archived(body, fields, document is not None)
    archive.dispose()
    return {r.source: r for r in summary.sources}, kept, missing


def test_each_site_stands_beside_a_builtin_source_of_its_family():
    """Labels only (runs without the data): a page is read by the family its CMS needs."""
    assert PAGES, "no labeled real page of these sites"
    for page in PAGES:
        source = REGISTRY[SITE_SOURCE[page.site]]
        assert (source.family, source.enabled, page.split in ("dev", "test")) == (CMS_FAMILY[page.cms], True, True), page.id


def test_only_the_pages_attachments_were_missing(crawled):
    """The real pages link attachments nobody saved: those answers are the only 404s."""
    runs, kept, missing = crawled
    served = {"/" + _host_path(p.url) for p in PRESENT}
    assert not served & set(missing)
    assert all(set(r.error_kinds) <= {"http_4xx"} for r in runs.values()), [r.to_dict() for r in runs.values()]
    assert sum(r.counters["errors"] for r in runs.values()) == len(missing)


@pytest.mark.parametrize("page", [
    pytest.param(p, id=p.id, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[p.id])] if p.id in KNOWN_MISSES else [])
    for p in PAGES])
def test_family_spider_reads_the_frozen_real_page(crawled, page):
    if not page.present:
        pytest.skip(third_party.absent(f"{page.id} is"))
    assert hashlib.sha256(page.bodies()[0]).hexdigest() == page.sha256, "not the page as found"
    runs, kept, _ = crawled
    run = runs[_frozen_id(page.site)]
    assert run.status in ("ok", "partial"), run.to_dict()
    assert page.url in kept, f"{page.url} not archived by {run.source}"
    archived = kept[page.url]
    assert archived.body == page.bodies()[0], "the crawl did not keep the bytes as served"
    if page.split != "dev":
        return  # a test-split page: its fields are the evaluation's, not read here
    wrong = {name: (archived.fields[name], page.want[name]) for name in META_FIELDS
             if field_verdict(name, archived.fields[name], page.want[name]) not in ("right", "absent")}
    assert not wrong, f"(got, label) per field{'' if archived.document else ' (off-topic page)'}: {wrong}"


# ---------------------------------------------------------------- real home pages
# A source known only by its home page (state "discover", the generic family's sources)
# starts the crawl there: the spider's home-page walk must ask for one of the listings the
# page's labels name (tests/eval/corpus/home_pages.toml), as discovery's score counts it.
# Dev-split pages only, as above; each is the home of a copy of a built-in discover source.
HOME_LABELS = load_home_labels()
HOME_PAGES = [p for p in HOME_LABELS["page"] if split_of(HOME_LABELS, p["site"]) == "dev"]
DISCOVER_SOURCE = next(s.id for s in REGISTRY.values() if s.state == "discover" and s.family == "generic")


@pytest.fixture(scope="module")
def home_walked(tmp_path_factory):
    present = [(p, body) for p in HOME_PAGES if (body := page_bytes(p)) is not None]
    if not present:
        pytest.skip(third_party.absent("the real home pages are"))
    tmp = tmp_path_factory.mktemp("frozen-home")
    root, registry = tmp / "www", tmp / "sources.toml"
    tables = []
    for page, body in present:
        target = _served_file(root, page["url"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        table = dict(_builtin_tables()[DISCOVER_SOURCE])
        table.update(id=f"frozen_home_{len(tables)}", home=page["url"], enabled=True, browser=False)
        tables.append(table)
    registry.write_text(tomli_w.dumps({"source": tables}), encoding="utf-8")
    hosts = {urlsplit(p["url"]).netloc for p, _ in present}
    url = f"sqlite:///{tmp / 'archive.db'}"
    with SampleServer(root) as server:
        run_crawl(
            list(load_registry(registry).values()), db_url=url, registry_path=registry,
            settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": {
                f"{scheme}://{h}": f"{server.base_url}/{h}" for h in hosts for scheme in ("http", "https")}},
            timeout=240, progress=False,
        )
        asked = {unquote(r.target).lstrip("/") for r in server.log}
    return {p["id"]: asked for p, _ in present}


@pytest.mark.parametrize("page", HOME_PAGES, ids=[p["id"] for p in HOME_PAGES])
def test_the_home_page_walk_asks_for_a_labeled_listing(home_walked, page):
    if page["id"] not in home_walked:
        pytest.skip(third_party.absent(f"{page['file']} is"))
    asked = home_walked[page["id"]]
    assert _host_path(page["url"]) in asked
    chosen = {_host_path(u) for u in page["listings"]} & asked
    assert chosen, f"none of the labeled listings asked for; asked: {sorted(asked)[:12]}"
