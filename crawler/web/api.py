"""/api/v1: the dicts the CLI prints with --json, as JSON over HTTP (GET only)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from crawler.web import attachment_pages, reads
from crawler.web.openapi import openapi
from crawler.web.responses import JSONResponse, get_routes
from crawler.web.params import BadParam, search_params


def _search(request: Request) -> JSONResponse:
    params = search_params(request.query_params)
    found = reads.search_json(request.app.state.archive, params)
    if found is None:
        raise BadParam("empty query (give q, or a filter such as region)")
    return JSONResponse(found)


def _document(request: Request) -> JSONResponse:
    return JSONResponse(reads.document(request.app.state.archive, request.path_params["ref"]).to_dict())


def _versions(request: Request) -> JSONResponse:
    return JSONResponse(reads.history(request.app.state.archive, request.path_params["ref"]))


def _diff(request: Request) -> JSONResponse:
    return JSONResponse(reads.diff(request.app.state.archive, request.path_params["ref"], request.query_params))


def _new(request: Request) -> JSONResponse:
    return JSONResponse(reads.new(request.app.state.archive, request.query_params))


def _sources(request: Request) -> JSONResponse:
    return JSONResponse(reads.sources(request.app.state.archive))


def _runs(request: Request) -> JSONResponse:
    return JSONResponse(reads.runs(request.app.state.archive, request.query_params))


def _run(request: Request) -> JSONResponse:
    return JSONResponse(reads.run(request.app.state.archive, request.path_params["run_id"]))


def _stats(request: Request) -> JSONResponse:
    return JSONResponse(reads.stats(request.app.state.archive))


def _coverage(request: Request) -> JSONResponse:
    return JSONResponse(reads.coverage(request.app.state.archive))


def _citations(request: Request) -> JSONResponse:
    return JSONResponse(reads.neighbourhood(request.app.state.archive, request.path_params["ref"]))


def _top_cited(request: Request) -> JSONResponse:
    return JSONResponse(reads.top_cited(request.app.state.archive, request.query_params))


def _openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi())


def routes() -> list[Route]:
    return [*attachment_pages.api_routes(), *get_routes({
        "/search": _search,
        "/documents/{ref}": _document,
        "/documents/{ref}/versions": _versions,
        "/documents/{ref}/diff": _diff,
        "/documents/{ref}/citations": _citations,
        "/citations/top": _top_cited,
        "/new": _new,
        "/sources": _sources,
        "/runs": _runs,
        "/runs/{run_id:int}": _run,
        "/stats": _stats,
        "/coverage": _coverage,
        "/openapi.json": _openapi,
    })]
