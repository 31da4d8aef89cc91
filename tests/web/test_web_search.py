"""Issue 22's acceptance through the web app, on the demo archive (SQLite and PostgreSQL):
the search page lists what `search` lists, the API answers what `--json` prints, and bad
input is one 400 line."""
from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

from web_client import client_for
from crawler.cli import main


def cli_json(*args: str, db: str):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*args, "--db", db, "--json"]) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def client(demo_archive):
    with client_for(demo_archive) as c:
        yield c


def _listed_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<a class="title" href="/documents/(\d+)">', html)}


@pytest.mark.parametrize("term", ["养老", "医保"])
def test_the_search_page_lists_every_document_search_lists(client, demo_archive, term):
    expected = {h["id"] for h in cli_json("search", term, "--limit", "1000", db=demo_archive)["hits"]}
    page = client.get("/search", params={"q": term, "limit": "100"})
    assert page.status_code == 200
    assert _listed_ids(page.text) == expected and expected
    assert f"{len(expected)} documents" in page.text
    assert f"<mark>{term}</mark>" in page.text


def test_paging_walks_the_same_hits(client, demo_archive):
    expected = [h["id"] for h in cli_json("search", "养老", "--limit", "1000", db=demo_archive)["hits"]]
    seen, url = [], "/search?q=养老&limit=5"
    while url:
        page = client.get(url)
        seen += [int(n) for n in re.findall(r'<a class="title" href="/documents/(\d+)">', page.text)]
        nxt = re.search(r'<a rel="next" href="([^"]+)">', page.text)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert seen == expected


def test_filters_and_sort_in_the_url_are_the_clis(client, demo_archive):
    cli = cli_json("search", "养老", "--region", "沈阳", "--sort", "date", "--facets", db=demo_archive)
    api = client.get("/api/v1/search", params={"q": "养老", "region": "沈阳", "sort": "date"}).json()
    assert api == cli and cli["total"] > 0
    # without --facets, the same answer less its facets: what `search --json` printed before them
    assert cli_json("search", "养老", "--region", "沈阳", "--sort", "date", db=demo_archive) == {
        k: v for k, v in api.items() if k != "facets"}
    page = client.get("/search", params={"q": "养老", "region": "沈阳", "sort": "date"})
    assert [int(n) for n in re.findall(r'href="/documents/(\d+)">', page.text)] == [h["id"] for h in cli["hits"]]


def test_api_search_first_hit_has_the_term_in_its_title(client):
    found = client.get("/api/v1/search", params={"q": "医养结合"})
    assert found.status_code == 200 and found.headers["content-type"].startswith("application/json")
    assert "医养结合" in found.json()["hits"][0]["title"]


def test_the_api_answers_what_json_prints(client, demo_archive):
    doc_id = cli_json("search", "养老", db=demo_archive)["hits"][0]["id"]
    assert client.get(f"/api/v1/documents/{doc_id}").json() == cli_json("show", str(doc_id), db=demo_archive)
    assert client.get(f"/api/v1/documents/{doc_id}/versions").json() == cli_json("history", str(doc_id), db=demo_archive)
    assert client.get(f"/api/v1/documents/{doc_id}/diff").json() == cli_json("diff", str(doc_id), db=demo_archive)
    assert (client.get("/api/v1/new", params={"since": "2000-01-01"}).json()
            == cli_json("new", "--since", "2000-01-01", db=demo_archive))
    assert client.get("/api/v1/runs").json() == cli_json("runs", db=demo_archive)
    run_id = cli_json("runs", db=demo_archive)[0]["id"]
    assert client.get(f"/api/v1/runs/{run_id}").json() == cli_json("runs", str(run_id), db=demo_archive)
    assert client.get("/api/v1/sources").json() == cli_json("sources", db=demo_archive)


def test_a_document_page_shows_its_metadata_urls_and_citations(client, demo_archive):
    shown = cli_json("show", "沈政发〔2015〕31号", db=demo_archive)
    page = client.get(f"/documents/{shown['id']}")
    assert page.status_code == 200
    for label in ("文号", "发文机关", "成文日期", "发布日期", "索引号"):
        assert f"<th>{label}</th>" in page.text
    assert shown["title"] in page.text and shown["doc_number"] in page.text
    positions = [page.text.index(f">{u['url']}</a>") for u in shown["urls"]]
    assert positions == sorted(positions) and len(positions) == 3  # on three sites, the authoritative first
    assert "(authoritative)" in page.text.split(shown["urls"][1]["url"])[0]
    for c in shown["citations"]:
        linked = f'<a href="/documents/{c["document_id"]}">' in page.text if c["document_id"] else True
        assert c["doc_number"] in page.text and linked
    # the same page by its 文号, in another bracket form
    assert client.get("/documents/沈政发[2015]31号").text == page.text


@pytest.mark.parametrize("path", [
    "/search?q=养老&page=0", "/search?q=养老&limit=101", "/search?q=养老&limit=x", "/search?q=" + "养" * 201,
    "/search?since=2020-13-45", "/search?q=养老&sort=random", "/search?q=养老&topic=sports",
    "/documents/1/diff?a=1", "/api/v1/search?q=养老&page=-1", "/api/v1/search?q=&region=",
])
def test_a_bad_parameter_is_one_400_line(client, path):
    answer = client.get(path)
    assert answer.status_code == 400
    body = answer.json()["error"] if path.startswith("/api/") else answer.text
    assert body.strip() and "\n" not in body.strip() and "Traceback" not in body


def test_no_write_route_and_no_file_outside_the_package(client):
    for path in ("/search", "/documents/1", "/api/v1/search"):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405
    for path in ("/static/%2e%2e/app.py", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
                 "/documents/..%2f..%2fpyproject.toml"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "[project]" not in answer.text and "create_app" not in answer.text
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/documents/99999999999999999999").status_code == 404


def test_every_answer_carries_the_strict_csp(client):
    for path in ("/search?q=养老", "/api/v1/search?q=养老", "/static/style.css", "/documents/99999", "/search?page=0"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
