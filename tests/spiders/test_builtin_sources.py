"""Every built-in source, its real spider, on its fixture over loopback.

One crawl of all the built-in sources at once (crawler.run.crawl_process.run_crawl, a child process,
real Scrapy), with POLICY_HOST_MAP sending each real origin to the fixture server, so the
archive holds the real URLs; then per source: the listing's notice links, the next listing
page, and the fields extracted from its first notice, against spiders/fixtures/expected.toml.
Sources marked ``browser = true`` go through the plain path here (the fixture has no guard).
"""
from __future__ import annotations

import re
import tomllib
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select

from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.server import SampleServer
from crawler.run.probe import FIXTURES, host_map, probe_sources
from spiders.registry import BUILTIN_REGISTRY, load_registry
from storage.api import open_archive
from storage.models import Capture, Document, Version

EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))["source"]
REGISTRY = load_registry(BUILTIN_REGISTRY)
# Every enabled source has a fixture; a discover source's is its home page, from which the
# crawl finds the listing itself (spiders/homepage.py).
FIXTURED = sorted(i for i, s in REGISTRY.items() if s.enabled)
IDS = PARAMS = FIXTURED
DISCOVER = [i for i in FIXTURED if REGISTRY[i].state == "discover"]


def test_every_builtin_source_has_a_fixture_and_the_fixtures_are_fresh():
    assert sorted(EXPECTED) == FIXTURED
    assert all(REGISTRY[i].notes for i in REGISTRY if not REGISTRY[i].enabled), "a disabled source says why"
    assert all("home" in EXPECTED[i] for i in DISCOVER)
    from crawler.samples.gen import fixtures
    from crawler.samples.gen.tree import check

    stale = check(fixtures.HERE, fixtures.build(), fixtures.OWNED)
    assert stale == [], f"spiders/fixtures differ from `python -m crawler.samples.gen fixtures`: {stale}"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("builtin")
    # The browser path is the i7tools side's; here a browser source is fetched plainly.
    text = re.sub(r"(?m)^browser = true$", "browser = false", BUILTIN_REGISTRY.read_text(encoding="utf-8"))
    registry = tmp / "sources.toml"
    registry.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp / 'archive.db'}"
    with SampleServer(FIXTURES) as server:
        summary = run_crawl(
            [s for s in load_registry(registry).values() if s.id in IDS], db_url=url, registry_path=registry,
            settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": host_map(server.base_url)},
            timeout=240, progress=False,
        )
        log = list(server.log)
    archive = open_archive(url)
    with archive.session() as s:
        rows = s.execute(
            select(Capture.source_id, Capture.url, Document.title, Document.doc_number_raw, Document.published_date)
            .join(Version, Capture.version_id == Version.id, isouter=True)
            .join(Document, Version.document_id == Document.id, isouter=True)
            .where(Capture.part_no == 0)
        ).all()
    archive.dispose()
    results = {r.source: r for r in summary.sources}
    captures = {}
    for source_id, capture_url, title, number, published in rows:
        captures.setdefault(source_id, {})[capture_url] = (title, number, published.isoformat() if published else None)
    return results, captures, log


def _served(log, base_url_free_target: str) -> bool:
    return any(unquote(r.target) == base_url_free_target for r in log)


def _loopback_target(url: str) -> str:
    parts = urlsplit(url)
    return unquote(f"/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else ""))


@pytest.mark.parametrize("source_id", PARAMS)
def test_builtin_source_on_its_fixture(crawled, source_id):
    results, captures, log = crawled
    exp = EXPECTED[source_id]
    run = results[source_id]
    assert run.status == "ok", run.to_dict()
    assert run.counters["errors"] == 0, run.error_samples
    got = captures.get(source_id, {})
    # links: every notice of the first listing page, of the next one, and of the other queries
    for url in exp["notices"] + exp["page2_notices"] + exp["other_notices"]:
        assert url in got, f"{url} not archived; archived: {sorted(got)[:5]}"
    for url in exp.get("filtered_out", []):
        assert url not in got, f"{url} is off-topic for this source and was fetched"
    # pagination: the next listing page was asked for (a POST API's is its page field)
    if exp["next_page"] and not exp["next_page"].split("#")[0] == exp["listing"]:
        assert _served(log, _loopback_target(exp["next_page"])), exp["next_page"]
    if exp["page2_notices"]:
        assert set(exp["page2_notices"]) <= set(got)
    # the first notice's fields
    first = exp["first"]
    title, number, published = got[first["url"]]
    assert (title, number, published) == (first["title"], first["doc_number"], first["date"])


@pytest.fixture(scope="module")
def probed():
    """`sources test` of every built-in source at once: one check crawl on the fixtures."""
    return {r.source: r for r in probe_sources([REGISTRY[i] for i in IDS], registry_path=BUILTIN_REGISTRY)}


@pytest.mark.parametrize("source_id", PARAMS)
def test_sources_test_probe(probed, source_id):
    """What `policy-archive sources test ID` reports, against the same ground truth."""
    exp = EXPECTED[source_id]
    r = probed[source_id]
    assert r.ok, r.error
    assert (r.listing_url, r.listing_status, r.notices) == (exp["listing"], 200, exp["notices"])
    if REGISTRY[source_id].api and REGISTRY[source_id].api.method == "POST":
        assert (r.next_page is not None) == bool(exp["page2_notices"])
    else:
        assert (r.next_page or "") == exp["next_page"]
    first = exp["first"]
    assert (r.detail_url, r.title, r.doc_number, r.published_date) == (
        first["url"], first["title"], first["doc_number"], first["date"])
