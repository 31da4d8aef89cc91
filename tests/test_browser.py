"""Guarded sites: the sample site nhcjs answers 412 and a JavaScript cookie challenge to
every client that does not run its script; the browser path archives it, and without a
browser the source is reported blocked, not silently empty."""
import os
import urllib.error
import urllib.request

import pytest

from crawler.components import browser
from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.files import GUARD_COOKIE, GUARD_VALUE
from crawler.samples.server import sample_registry_path
from crawler.vocab.failures import NEEDS_BROWSER
from spiders.registry import load_registry
from storage.api import open_archive
from storage.queries import archive_stats

LISTING = "/nhcjs/wjw/gfxwjj/list.shtml"
TITLES = {"关于印发“十四五”健康老龄化规划的通知", "国家医保局 财政部关于扩大长期护理保险制度试点的指导意见"}


def _crawl(tmp_path, server):
    registry = sample_registry_path()
    db = f"sqlite:///{tmp_path / 'a.db'}"
    summary = run_crawl([load_registry(registry)["nhcjs"]], db_url=db, registry_path=registry,
                        base=server.base_url, settings=LOOPBACK_SETTINGS, progress=False, timeout=120)
    return summary.sources[0], db


def test_the_guard_answers_412_without_the_cookie_and_the_page_with_it(sample_server):
    url = sample_server.url(LISTING)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=5)
    assert err.value.code == 412
    assert b"document.cookie" in err.value.read()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": f"{GUARD_COOKIE}=wrong"}), timeout=5)
    ok = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": f"{GUARD_COOKIE}={GUARD_VALUE}"}), timeout=5)
    assert ok.status == 200 and "zxxx_list" in ok.read().decode("utf-8")


def test_the_guarded_site_is_archived_through_the_browser(tmp_path, sample_server):
    problem = browser.browser_problem()
    if problem:
        if os.environ.get("POLICY_ARCHIVE_REQUIRE_SERVICES") or os.environ.get("CI"):
            pytest.fail(f"the browser path must run here: {problem}")  # CI installs it
        pytest.skip(f"no browser here: {problem}")
    sample_server.reset_counts()
    result, db = _crawl(tmp_path, sample_server)
    assert result.status == "ok", result.error_samples
    assert result.error_kinds == {}
    assert result.counters["new_documents"] == 2
    archive = open_archive(db)
    try:
        with archive.session() as session:
            from storage.models import Document
            titles = {d.title for d in session.query(Document)}
        assert titles == TITLES
        assert archive_stats(archive)["documents"] == 2
    finally:
        archive.dispose()
    # the browser met the challenge first, ran it, and came back with the cookie
    listing = [r for r in sample_server.log if r.target == LISTING]
    assert listing[0].status == 412 and GUARD_COOKIE not in listing[0].headers.get("Cookie", "")
    assert any(r.status == 200 and GUARD_VALUE in r.headers.get("Cookie", "") for r in listing)


def test_without_a_browser_the_source_is_blocked_in_one_line(tmp_path, sample_server, monkeypatch):
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    sample_server.reset_counts()
    result, _ = _crawl(tmp_path, sample_server)
    assert result.status == "failed"
    assert result.error_kinds == {NEEDS_BROWSER: 1}
    (sample,) = result.error_samples
    assert sample.startswith(f"{NEEDS_BROWSER}: blocked: needs a browser (install: ")
    assert "\n" not in sample
    assert not [r for r in sample_server.log if r.target.startswith("/nhcjs/")]  # nothing fetched in vain


def test_crawls_without_guarded_sources_keep_the_plain_handler():
    sources = [s for s in load_registry(sample_registry_path()).values() if not s.browser]
    assert browser.crawl_settings(sources, loopback_only=True) == {}


@pytest.mark.parametrize("message, kind", [
    ('Page.goto: net::ERR_NAME_NOT_RESOLVED at https://www.nhc.gov.cn/\nCall log:\n  - navigating to "https://www.nhc.gov.cn/"', "dns"),
    ("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/\nCall log:\n  - navigating", "connection_refused"),
    ("Page.goto: net::ERR_TIMED_OUT at https://www.shui5.cn/\nCall log:", "timeout"),
    ("Page.goto: Timeout 30000ms exceeded.\nCall log:", "timeout"),
])
def test_browser_failures_are_named_in_one_line(message, kind):
    from crawler.vocab.failures import classify_failure

    class Error(Exception):  # playwright's error class is called Error too
        pass

    got_kind, got_message = classify_failure(Error(message))
    assert got_kind == kind and "\n" not in got_message
