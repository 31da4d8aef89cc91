"""The OpenAPI description of /api/v1 is the API: every route described and nothing else,
every described bound the one the handler enforces; /api lists it as a plain page."""
from __future__ import annotations

import pytest
from markupsafe import escape

from crawler.web import api
from web_client import client_for


@pytest.fixture(scope="module")
def client(demo_archive):
    with client_for(demo_archive) as c:
        yield c


def _concrete(path: str, client) -> str:
    doc_id = client.get("/api/v1/search", params={"q": "保政发〔2022〕8号"}).json()["hits"][0]["id"]
    run_id = client.get("/api/v1/runs").json()[0]["id"]
    attachment_id = client.get("/api/v1/documents/保医保发〔2021〕27号").json()["attachments"][0]["id"]
    return "/api/v1" + (path.replace("{ref}", str(doc_id)).replace("{run_id}", str(run_id))
                        .replace("{attachment_id}", str(attachment_id)))


def test_every_route_is_described_and_nothing_else(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": "/api/v1"}]
    routes = {r.path.replace(":int", "") for r in api.routes()} - {"/openapi.json"}
    assert set(spec["paths"]) == routes
    for path, item in spec["paths"].items():
        assert list(item) == ["get"], path  # read-only: no other method described
        names = [p["name"] for p in item["get"]["parameters"]]
        assert len(names) == len(set(names)), path
        for p in item["get"]["parameters"]:
            assert (p["in"] == "path") == (f"{{{p['name']}}}" in path), (path, p["name"])


def test_described_bounds_are_the_enforced_ones(client):
    spec = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, item in spec["paths"].items():
        url = _concrete(path, client)
        base = {"q": "养老"} if path == "/search" else {"since": "2000-01-01"} if path == "/new" else {}
        for p in item["get"]["parameters"]:
            schema = p["schema"]
            if p["in"] != "query" or p["name"] in ("a", "b"):  # a and b: a pair, tested in test_web_later
                continue
            if "maximum" in schema:
                assert client.get(url, params={**base, p["name"]: schema["maximum"]}).status_code == 200, (path, p)
                assert client.get(url, params={**base, p["name"]: schema["maximum"] + 1}).status_code == 400, (path, p)
                checked += 1
            if "maxLength" in schema:
                too_long = client.get(url, params={**base, p["name"]: "x" * (schema["maxLength"] + 1)})
                assert too_long.status_code == 400, (path, p)
                checked += 1
            for value in schema.get("enum", []):
                assert client.get(url, params={**base, p["name"]: value}).status_code == 200, (path, p, value)
    assert checked > 20


def test_the_api_page_lists_each_endpoint_without_script(client):
    page = client.get("/api")
    assert page.status_code == 200 and "<script" not in page.text
    for path, item in client.get("/api/v1/openapi.json").json()["paths"].items():
        assert f"<code>GET /api/v1{path}</code>" in page.text
        section = page.text.split(f'<section class="endpoint" id="{path}">', 1)[1].split("</section>", 1)[0]
        assert str(escape(item["get"]["summary"])) in section, path  # what it does, not only its path
        for p in item["get"]["parameters"]:
            assert f"<td><code>{p['name']}</code></td><td>{p['in']}</td>" in section, (path, p["name"])


def _described(schema: dict, answer, where: str) -> None:
    """Every property the schema describes is in the answer, recursively, of its type."""
    types = {"object": dict, "array": list, "string": str, "integer": int, "null": type(None)}
    kinds = schema.get("type", [])
    assert isinstance(answer, tuple(types[k] for k in ([kinds] if isinstance(kinds, str) else kinds))), where
    for name, sub in schema.get("properties", {}).items():
        assert name in answer, f"{where}.{name}"
        _described(sub, answer[name], f"{where}.{name}")
    for i, item in enumerate(answer if kinds == "array" else []):
        _described(schema["items"], item, f"{where}[{i}]")


def test_the_described_answers_are_the_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    described = {path: item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                 for path, item in spec["paths"].items() if path in ("/search", "/documents/{ref}", "/attachments/{attachment_id}")}
    assert len(described) == 3
    for path, schema in described.items():
        answer = client.get(_concrete(path, client), params={"q": "养老"} if path == "/search" else {}).json()
        _described(schema, answer, path)
        if path == "/attachments/{attachment_id}":  # described whole: no field left out
            assert set(schema["properties"]) == set(answer)
        if path == "/documents/{ref}":
            assert set(schema["properties"]["attachments"]["items"]["properties"]) == set(answer["attachments"][0])
    page = client.get("/api").text
    assert "<code>attachments[].state</code>" in page and "<code>facets.{region|agency|topic|type|status|year|source}[].count</code>" in page
