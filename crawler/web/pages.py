"""The HTML pages: search, a document, a diff between two of its versions."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from crawler.web import reads
from crawler.web.params import FILTER_PARAMS, SearchParams, search_params
from crawler.web.responses import get_routes

TOPICS = ("health", "eldercare")  # storage.search_filters.TOPICS: the form's choices


TEMPLATES = Path(__file__).resolve().parent / "templates"


def templates() -> Jinja2Templates:
    # autoescape for every template, whatever its name: crawled text is hostile input.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["web_url"] = web_url
    env.filters["pieces"] = snippet_pieces
    env.globals["query"] = lambda pairs: urlencode(pairs)
    return Jinja2Templates(env=env)


def web_url(url: Any) -> str | None:
    """A crawled URL fit for href: http(s) only (never javascript:, data: …), else None (shown as text)."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def snippet_pieces(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A snippet cut at its marks: (piece, matched). The template escapes each piece and
    puts <mark> around the matched ones: escaped first, marked after, never the reverse."""
    out, at = [], 0
    for start, end in marks:
        out += [(text[at:start], False), (text[start:end], True)]
        at = end
    out.append((text[at:], False))
    return [p for p in out if p[0]]


def render(request: Request, name: str, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context)


def _home(request: Request) -> Response:
    return RedirectResponse("/search", status_code=302)


def _search(request: Request) -> Response:
    params = search_params(request.query_params)
    result = reads.run_search(request.app.state.archive, params)
    facets = facet_links(params, reads.facets(request.app.state.archive, params)) if result and result.total else []
    return render(request, "search.html", params=params, result=result, topics=TOPICS, facets=facets,
                   filter_names=[k for k in FILTER_PARAMS if k not in ("topic", "signed_since", "signed_until")])


def facet_links(params: SearchParams, facets: list[Any]) -> list[tuple[str, list[tuple[str, int, str, str | None]]]]:
    """Each facet value as (value, documents, the query string narrowing to it, the query
    string undoing it when it is the search's filter already, else None): links, no script."""
    out = []
    for name, values in facets:
        rows = []
        for value, n, narrow in values:
            active = all(params.filters.get(k) == v for k, v in narrow.items())
            clear = urlencode(params.url_params(page=1, **dict.fromkeys(narrow, ""))) if active else None
            rows.append((value, n, urlencode(params.url_params(page=1, **narrow)), clear))
        out.append((name, rows))
    return out


def _document(request: Request) -> Response:
    doc = reads.document(request.app.state.archive, request.path_params["ref"])
    return render(request, "document.html", doc=doc, version_seq={v.id: v.seq for v in doc.versions})


def diff_rows(entries: list[dict[str, Any]]) -> list[tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]]:
    """The diff's paragraphs side by side: (old pieces, new pieces), each piece (text, mark)
    with mark "del" (only in the old), "ins" (only in the new) or None."""
    rows = []
    for e in entries:
        if e["op"] == "equal":
            rows.append(([(e["text"], None)], [(e["text"], None)]))
        elif e["op"] == "removed":
            rows.append(([(e["text"], "del")], []))
        elif e["op"] == "added":
            rows.append(([], [(e["text"], "ins")]))
        else:
            old = [(s["text"], "del" if s["op"] == "removed" else None) for s in e["sentences"] if s["op"] != "added"]
            new = [(s["text"], "ins" if s["op"] == "added" else None) for s in e["sentences"] if s["op"] != "removed"]
            rows.append((old, new))
    return rows


def _diff(request: Request) -> Response:
    archive = request.app.state.archive
    found = reads.diff(archive, request.path_params["ref"], request.query_params)
    versions = reads.history(archive, request.path_params["ref"])["versions"]
    return render(request, "diff.html", diff=found, rows=diff_rows(found["paragraphs"]), versions=versions)


def routes() -> list[Route]:
    return get_routes({
        "/": _home,
        "/search": _search,
        "/documents/{ref}": _document,
        "/documents/{ref}/diff": _diff,
    })
