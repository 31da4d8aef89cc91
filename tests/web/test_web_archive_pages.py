"""What's new (and its Atom feed), sources, a run's failed URLs, coverage and stats as
pages (both backends): each shows what the CLI's --json says, nothing more or less."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from crawler.samples.server import SampleServer
from test_web_search import cli_json
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site
from web_client import client_for

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(demo_archive):
    with client_for(demo_archive) as c:
        yield c


def test_whats_new_lists_what_new_lists_and_links_its_feed(client, demo_archive, tmp_path):
    cli = cli_json("new", "--since", "2000-01-01", "--region", "沈阳", db=demo_archive)
    page = client.get("/new", params={"since": "2000-01-01", "region": "沈阳"}).text
    assert cli["count"] > 0 and f"{cli['count']} documents arrived" in page
    assert [int(n) for n in re.findall(r'<td><a href="/documents/(\d+)">', page)] == [d["id"] for d in cli["documents"]]
    feed_href = html.unescape(re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', page).group(1))
    assert feed_href.startswith("/new.atom?") and html.unescape(re.search(r'<a class="feed" href="([^"]+)"', page).group(1)) == feed_href
    feed = client.get(feed_href)
    assert feed.headers["content-type"].startswith("application/atom+xml")
    web = ET.fromstring(feed.content)
    assert [e.findtext(f"{ATOM}id") for e in web.iter(f"{ATOM}entry")] == \
        [f"urn:policy-archive:document:{d['id']}" for d in cli["documents"]]
    # The feed's id is the one `new --atom` gives the same query, and differs for another query.
    cli_json("new", "--since", "2000-01-01", "--region", "沈阳", "--atom", str(tmp_path / "f.xml"), db=demo_archive)
    assert web.findtext(f"{ATOM}id") == ET.parse(tmp_path / "f.xml").getroot().findtext(f"{ATOM}id")
    other = ET.fromstring(client.get("/new.atom", params={"since": "2000-01-01"}).content)
    assert other.findtext(f"{ATOM}id") != web.findtext(f"{ATOM}id")
    assert client.get("/new", params={"since": "yesterday-ish"}).status_code == 400


def test_sources_page_shows_health_last_good_run_and_runs(client, demo_archive):
    page = client.get("/sources").text
    for s in cli_json("sources", db=demo_archive):
        row = re.search(rf'<tr class="health-{s["health"]}">\s*<td><strong>{re.escape(s["id"])}</strong>(.*?)</tr>', page, re.S)
        assert row, s["id"]
        assert (s["last_good_run_at"] or "")[:16] in row.group(1) and (s["last_new_notice_at"] or "")[:16] in row.group(1)
    runs = cli_json("runs", db=demo_archive)
    assert [int(n) for n in re.findall(r'<td><a href="/runs/(\d+)">', page)] == [r["id"] for r in runs]


def test_a_runs_page_lists_its_failed_urls(tmp_path, archive_url):
    write_site(tmp_path, {"index.html": listing({"gone.html": "通知", "also-gone.html": "通知"})})
    registry = write_registry(tmp_path, gov_portal("broken", "index.html"))
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, archive_url, server)
    run_id = summary.sources[0].run_id
    shown = cli_json("runs", str(run_id), db=archive_url)
    assert len(shown["failures"]) == 2
    with client_for(archive_url) as client:
        page = client.get(f"/runs/{run_id}").text
        assert client.get("/runs/99999").status_code == 404
    for f in shown["failures"]:
        assert f'>{html.escape(f["url"])}</a></td>\n    <td>{f["kind"]}</td>' in page


def test_coverage_grid_marks_each_cell_by_state(client):
    grid = client.get("/api/v1/coverage").json()
    page = client.get("/coverage").text
    table = page[page.index('<table class="coverage">'):]
    for state, n in grid["counts"].items():
        assert len(re.findall(rf'<td class="cell-{state}[ "]', table)) == n, state
    rows = re.findall(r"<tr><th>([^<]+)</th>(.*?)</tr>", table, re.S)
    assert [r[0] for r in rows] == [r["province"] for r in grid["rows"]]
    for (_, cells), row in zip(rows, grid["rows"]):
        states = re.findall(r'<td class="cell-(\w+)', cells)
        assert states == [(row["cells"][k] or {"state": "empty"})["state"] for k in grid["columns"]]


def test_stats_page_shows_the_stats_json(client, demo_archive):
    stats = cli_json("stats", db=demo_archive)
    assert client.get("/api/v1/stats").json() == stats
    page = client.get("/stats").text
    assert f"<th>documents</th><td>{stats['documents']}</td>" in page
    bars = re.findall(r"<title>(\d{4}): (\d+)</title>", page)
    assert [(y, int(n)) for y, n in bars] == [(y, n) for y, n in stats["by_year"].items() if y != "unknown"]


def test_stats_charts_notices_per_month_by_topic(client, demo_archive):
    from collections import Counter

    from storage.api import Filters, export_rows, open_archive

    with open_archive(demo_archive, read_only=True) as archive:
        rows = list(export_rows(archive, Filters.parse()))
    # Counted here from the export, not by the query the page uses.
    want = Counter((r["published_date"][:7], t) for r in rows if r["published_date"] for t in r["topics"])
    last = max(m for m, _ in want)
    page = client.get("/stats").text
    chart = page[page.index('aria-label="notices per month by topic"'):]
    chart = chart[:chart.index("</svg>")]
    bars = {(m, t): int(n) for m, t, n in re.findall(r"<title>(\d{4}-\d\d) (\w+): (\d+)</title>", chart)}
    months = sorted({m for m, _ in bars})
    assert len(months) <= 24 and months[-1] == last
    assert {k: n for k, n in bars.items() if n} == {k: n for k, n in want.items() if k[0] >= months[0]}
    assert "style=" not in page
