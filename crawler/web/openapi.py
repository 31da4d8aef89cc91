"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json and listed as a
plain page at /api. Each endpoint's parameters come from the tables the handlers read
(params.FILTER_PARAMS, reads.NEW_FILTERS), so a filter added there is described here."""
from __future__ import annotations

from typing import Any

from crawler.web.params import DEFAULT_PAGE_SIZE, FILTER_PARAMS, MAX_PAGE, MAX_PAGE_SIZE, MAX_PARAM_CHARS, MAX_QUERY_CHARS
from crawler.extract.attachment.kinds import MEDIA_TYPES, OPAQUE_MEDIA_TYPE
from crawler.vocab.failures import NO_TEXT, OK, PARSE, TIMEOUT, TOO_LARGE
from storage.citation_graph import MAX_NODES
from storage.search_facets import FACETS, TOP
from crawler.web.reads import MAX_NEW, MAX_REF_CHARS, MAX_RUNS, MAX_TOP, NEW_FILTERS

VERSION = "1"


def _q(name: str, about: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": about,
            "schema": schema or {"type": "string", "maxLength": MAX_PARAM_CHARS}}


def _path(name: str, about: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": about, "schema": schema}


_ATTACHMENT = _path("attachment_id", "the attachment's id (a document's attachments list them)", type="integer", minimum=1)
_REF = _path("ref", "the document's id, or its 文号 in any bracket form", type="string", maxLength=MAX_REF_CHARS)
_FILTER_ABOUT = {"since": "published on or after (YYYY-MM-DD)", "until": "published on or before (YYYY-MM-DD)",
                 "signed_since": "signed (成文) on or after", "signed_until": "signed (成文) on or before",
                 "type": "document type (通知, 意见 …)", "status": "draft, final …", "source": "a source id",
                 "doc_number": "a 文号, any bracket form", "topic": "health or eldercare"}

# path → (summary, what the CLI prints the same with --json, parameters)
ENDPOINTS: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "/search": ("Search the archive: ranked hits with snippets, total and paging, and the facets of the whole "
                "result set with their counts (the search page's)", "search --facets --json", [
        _q("q", 'the query: words ANDed, "a phrase", a OR b, -exclude, a 文号', type="string", maxLength=MAX_QUERY_CHARS),
        _q("sort", "relevance or date", type="string", enum=["relevance", "date"]),
        _q("page", "page number", type="integer", minimum=1, maximum=MAX_PAGE),
        _q("limit", "hits per page", type="integer", minimum=1, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE),
        *(_q(name, _FILTER_ABOUT.get(name, f"{name} contains this")) for name in FILTER_PARAMS),
    ]),
    "/documents/{ref}": ("One document: metadata, text, URLs, attachments (each with its kind, size and "
                         "extraction state; its text and file under /attachments/{id}), versions, citations",
                         "show --json", [_REF]),
    "/attachments/{attachment_id}": ("One attachment: its URL, kind, size, extraction state and the text read from it",
                                     "attachment ID --json", [_ATTACHMENT]),
    "/attachments/{attachment_id}/raw": ("The attachment's file as fetched, to download: typed by its kind, "
                                         "named in Content-Disposition", "attachment ID --save FILE", [_ATTACHMENT]),
    "/documents/{ref}/versions": ("A document's versions", "history --json", [_REF]),
    "/documents/{ref}/diff": ("The sentence diff between two versions (default: the latest change)", "diff --json", [
        _REF, _q("a", "the older version's number", type="integer", minimum=1),
        _q("b", "the newer version's number", type="integer", minimum=1)]),
    "/documents/{ref}/citations": (f"The document's citation neighbourhood, two steps out, at most {MAX_NODES} nodes",
                                   "the web's citation graph", [_REF]),
    "/citations/top": ("The documents most cited within the archive, most first", "the web's most-cited list", [
        _q("limit", "at most this many", type="integer", minimum=1, maximum=MAX_TOP, default=50)]),
    "/new": ("What arrived since a time, newest first", "new --json", [
        _q("since", "7d, 24h, 2w or YYYY-MM-DD (default 7d)"),
        _q("limit", "at most this many", type="integer", minimum=1, maximum=MAX_NEW, default=100),
        *(_q(name, f"filter: {field}") for name, field in NEW_FILTERS.items())]),
    "/sources": ("Each source with its health, last good run and last new notice", "sources --json", []),
    "/runs": ("Crawl runs, newest first", "runs --json", [
        _q("source", "only this source's runs"),
        _q("limit", "at most this many", type="integer", minimum=1, maximum=MAX_RUNS, default=20)]),
    "/runs/{run_id}": ("One crawl run with its failed URLs", "runs ID --json", [
        _path("run_id", "the run's id", type="integer", minimum=1)]),
    "/stats": ("Counts per source, topic, region and year", "stats --json", []),
    "/coverage": ("The provinces × publisher kinds grid", "sources coverage --json", []),
}


_COUNTS = {"type": "array", "items": {"type": "object", "required": ["value", "count"], "properties": {
    "value": {"type": "string"}, "count": {"type": "integer", "description": "documents of the whole result set"}}}}
_STATE = {"type": "string", "description": f"{OK}: its text was read; {NO_TEXT}: it held none; else the failure "
                                            f"kind that kept it ({TOO_LARGE}, {TIMEOUT}, {PARSE} …)"}
_ATTACHMENT_FIELDS = {"id": {"type": "integer"}, "version_id": {"type": "integer"}, "url": {"type": "string"},
                      "name": {"type": ["string", "null"]}, "kind": {"type": "string"},
                      "raw_size": {"type": "integer", "description": "bytes"}, "text_chars": {"type": "integer"},
                      "state": _STATE, "error": {"type": ["string", "null"]},
                      "content_type": {"type": ["string", "null"], "description": "as its server sent it"}}
# the parts of an answer a reader may not guess from the CLI's output alone
SCHEMAS: dict[str, dict[str, Any]] = {
    "/search": {"type": "object", "properties": {"facets": {
        "type": "object", "description": f"at most {TOP} values per facet, most documents first",
        "properties": {name: _COUNTS for name in FACETS}}}},
    "/documents/{ref}": {"type": "object", "properties": {"attachments": {
        "type": "array", "items": {"type": "object", "properties": _ATTACHMENT_FIELDS}}}},
    "/attachments/{attachment_id}": {"type": "object", "properties": {
        **_ATTACHMENT_FIELDS, "document_id": {"type": "integer"}, "document_title": {"type": ["string", "null"]},
        "http_status": {"type": "integer"}, "fetched_at": {"type": "string", "description": "ISO 8601"},
        "sha256": {"type": "string", "description": "of the raw file"},
        "text": {"type": "string"}}},
}
RAW = "/attachments/{attachment_id}/raw"


def _ok(path: str) -> dict[str, Any]:
    if path == RAW:
        types = [*dict.fromkeys(MEDIA_TYPES.values()), OPAQUE_MEDIA_TYPE]
        return {"description": "the file's bytes", "content": {t: {} for t in types}}
    return {"description": "JSON", "content": {"application/json": {"schema": SCHEMAS[path]} if path in SCHEMAS else {}}}


def answer_fields(path: str) -> list[tuple[str, str, str]]:
    """The described fields of an endpoint's JSON, flattened for the /api page: (dotted name,
    type, about); an array's items as name[], properties alike as name.{a|b}."""
    out: list[tuple[str, str, str]] = []

    def walk(name: str, schema: dict[str, Any], listed: bool = True) -> None:
        kind = schema.get("type", "")
        if listed and name:
            out.append((name, " or ".join(kind) if isinstance(kind, list) else kind, schema.get("description", "")))
        if kind == "array":
            walk(name + "[]", schema["items"], listed=schema["items"].get("type") != "object")
        props = schema.get("properties", {})
        subs = list(props.values())
        if len(subs) > 1 and all(sub is subs[0] for sub in subs):
            walk(f"{name}.{{{'|'.join(props)}}}", subs[0])
            return
        for key, sub in props.items():
            walk(f"{name}.{key}" if name else key, sub)

    if path in SCHEMAS:
        walk("", SCHEMAS[path])
    return out


def openapi() -> dict[str, Any]:
    paths = {}
    for path, (summary, cli, params) in ENDPOINTS.items():
        if cli.startswith("the web's"):  # no CLI command prints it
            about = f"What {cli} shows, as JSON."
        else:
            about = f"The same {'bytes' if path == RAW else 'JSON'} as `policy-archive {cli}`."
        paths[path] = {"get": {
            "summary": summary, "description": about, "parameters": params,
            "responses": {"200": _ok(path),
                          "400": {"description": "a bad parameter: {\"error\": one line}"},
                          **({"404": {"description": "not in the archive"}} if "{" in path else {})},
        }}
    return {"openapi": "3.1.0",
            "info": {"title": "policy-archive", "version": VERSION,
                     "description": "Read-only JSON over the archive of Chinese health and eldercare policy notices."},
            "servers": [{"url": "/api/v1"}], "paths": paths}
