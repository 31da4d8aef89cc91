"""The citation view (a document's neighbourhood, two steps, as SVG and as lists) and the
most-cited list, on the demo archive (both backends): what they show is what storage says."""
from __future__ import annotations

import re

import pytest

from storage.api import citation_neighbourhood, get_document, most_cited, open_archive
from web_client import client_for

HUB = "国办发〔2019〕5号"  # cited by a demo notice that cites an unarchived one: two steps


@pytest.fixture(scope="module")
def client(demo_archive):
    with client_for(demo_archive) as c:
        yield c


def _svg(page: str) -> str:
    return page[page.index("<svg class=\"citegraph\""):page.index("</svg>", page.index("citegraph"))]


def test_neighbourhood_is_drawn_and_listed(client, demo_archive):
    with open_archive(demo_archive, read_only=True) as archive:
        doc = get_document(archive, HUB)
        graph = citation_neighbourhood(archive, HUB)
    citing = {c.document_id for c in doc.cited_by}
    assert citing and any(n["step"] == 2 for n in graph["nodes"])
    step1 = {n["document_id"] for n in graph["nodes"] if n["step"] == 1}
    assert citing <= step1  # what cites it is one step out
    assert {c.document_id for c in doc.citations if c.document_id} <= step1

    page = client.get(f"/documents/{doc.id}/citations")
    assert page.status_code == 200
    svg = _svg(page.text)
    linked = {int(i) for i in re.findall(r'<a href="/documents/(\d+)" class="node', svg)}
    assert linked == {n["document_id"] for n in graph["nodes"] if n["document_id"]}
    assert svg.count("<line ") == len(graph["edges"]) > 0
    unresolved = [n["doc_number"] for n in graph["nodes"] if n["document_id"] is None]
    assert svg.count('class="unresolved"') == len(unresolved)
    lists = page.text[page.text.index("</svg>"):]
    for i in citing:  # the same without SVG
        assert f'<a href="/documents/{i}">' in lists.split("<h2>Cited by</h2>")[1].split("<h2>")[0]
    assert "style=" not in page.text and "<script" not in page.text  # the CSP forbids inline both
    assert f'href="/documents/{doc.id}/citations"' in client.get(f"/documents/{doc.id}").text
    assert client.get(f"/api/v1/documents/{doc.id}/citations").json() == graph


def test_neighbourhood_is_bounded_breadth_first(demo_archive):
    with open_archive(demo_archive, read_only=True) as archive:
        whole = citation_neighbourhood(archive, HUB)
        small = citation_neighbourhood(archive, HUB, max_nodes=2)
    assert len(whole["nodes"]) > 2 and not whole["truncated"]
    assert len(small["nodes"]) == 2 and small["truncated"]
    assert small["nodes"] == whole["nodes"][:2]  # the nearest first, in the same order
    keys = {n["key"] for n in small["nodes"]}
    assert all(e["from"] in keys and e["to"] in keys for e in small["edges"])


def test_unknown_document_is_404(client):
    assert client.get("/documents/999999/citations").status_code == 404
    assert client.get("/api/v1/documents/国办发〔1900〕1号/citations").json()["error"]


def test_most_cited_in_order(client, demo_archive):
    with open_archive(demo_archive, read_only=True) as archive:
        top = most_cited(archive)
        counts = [len({c.document_id for c in get_document(archive, d["document_id"]).cited_by}) for d in top]
    assert top and [d["cited_by"] for d in top] == counts == sorted(counts, reverse=True)
    assert any(d["doc_number"] == HUB for d in top)
    assert client.get("/api/v1/citations/top").json() == top
    assert client.get("/api/v1/citations/top", params={"limit": 1}).json() == top[:1]
    assert client.get("/api/v1/citations/top", params={"limit": 0}).status_code == 400
    page = client.get("/citations").text
    assert [int(i) for i in re.findall(r'<td><a href="/documents/(\d+)">', page)] == [d["document_id"] for d in top]
