"""Facets on the search page (both backends): each value's count is what the whole result
set holds (counted here from every hit, independently of storage's GROUP BY), and its link
narrows the search to exactly that many documents, the filter held in the URL."""
from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from storage.api import Filters, open_archive, search, search_facets
from web_client import client_for

FACET = re.compile(r'<section class="facet" data-facet="(\w+)">(.*?)</section>', re.S)
VALUE = re.compile(r'<li( class="active")?><a href="(/search\?[^"]+)">([^<]+)</a> <span class="count">(\d+)</span>')


@pytest.fixture(scope="module")
def client(demo_archive):
    with client_for(demo_archive) as c:
        yield c


def _facets(page: str) -> dict[str, list[tuple[bool, str, str, int]]]:
    return {name: [(bool(a), html.unescape(href), html.unescape(v), int(n)) for a, href, v, n in VALUE.findall(body)]
            for name, body in FACET.findall(page)}


@pytest.mark.parametrize("query, filters", [("养老", {}), ("养老 OR 医保", {"region": "沈阳"}), ("", {"topic": "health"})])
def test_facet_counts_are_the_whole_result_sets(demo_archive, query, filters):
    with open_archive(demo_archive, read_only=True) as archive:
        parsed = Filters.parse(**filters)
        hits = search(archive, query, parsed, limit=1000).hits
        facets = search_facets(archive, query, parsed)
    assert len(hits) > 3
    expected = {
        "region": Counter(h.region for h in hits if h.region),
        "agency": Counter(h.agency for h in hits if h.agency),
        "type": Counter(h.doc_type for h in hits if h.doc_type),
        "status": Counter(h.status for h in hits if h.status),
        "year": Counter(str(h.published_date.year) for h in hits if h.published_date),
        "topic": Counter(t for h in hits for t in h.topics),
    }
    for name, counts in expected.items():
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        assert facets[name] == top, name
    assert facets["source"] and all(0 < n <= len(hits) for _, n in facets["source"])


def test_a_facet_link_narrows_to_its_count_and_can_be_undone(client):
    page = client.get("/search", params={"q": "养老"}).text
    facets = _facets(page)
    assert {"region", "agency", "topic", "type", "year", "source"} <= set(facets)
    for name in ("region", "type", "year", "source", "topic"):
        active, href, value, count = facets[name][0]
        assert not active
        narrowed = client.get(href)
        assert narrowed.status_code == 200, href
        assert f"<p class=\"total\">{count} documents" in narrowed.text, (name, value)
        # the narrowed page shows the value chosen, with a link that undoes it
        again = [f for f in _facets(narrowed.text)[name] if f[2] == value]
        assert again and again[0][0] and again[0][3] == count
        undo = re.search(r'<a class="clear" href="([^"]+)"', narrowed.text).group(1)
        assert client.get(html.unescape(undo)).text == page
    year = facets["year"][0]
    assert f"since={year[2]}-01-01" in year[1] and f"until={year[2]}-12-31" in year[1]


@pytest.mark.parametrize("params", [{"q": "养老"}, {"q": "养老 OR 医保", "region": "沈阳"}, {"topic": "health"}])
def test_the_api_gives_the_facets_the_page_shows(client, params):
    page = _facets(client.get("/search", params=params).text)
    api = client.get("/api/v1/search", params=params).json()["facets"]
    assert list(api) == ["region", "agency", "topic", "type", "status", "year", "source"]
    assert {name: [(v, n) for _, _, v, n in values] for name, values in page.items()} == {
        name: [(f["value"], f["count"]) for f in values] for name, values in api.items() if values}
    assert sum(f["count"] for f in api["region"]) > 0


def test_search_facets_in_text_lists_each_facet_with_its_counts(client, demo_archive):
    import contextlib
    import io

    from crawler.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["search", "养老", "--facets", "--db", demo_archive]) == 0
    lines = out.getvalue().splitlines()
    for name, values in client.get("/api/v1/search", params={"q": "养老"}).json()["facets"].items():
        if values:
            assert f"{name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values) in lines, name
