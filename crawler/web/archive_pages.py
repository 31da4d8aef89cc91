"""The archive's other pages: what's new (and its Atom feed), sources and their runs,
coverage, stats. Each renders the dict the CLI prints with --json (reads.py)."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crawler.vocab.regions import PUBLISHER_NAMES
from crawler.vocab.sources import UNWELL_STATES
from crawler.web import reads
from crawler.web.pages import render
from crawler.web.responses import get_routes

BAR_WIDTH = 600  # the stats chart's longest bar, in SVG units (attributes, not inline style)


def _new(request: Request) -> Response:
    archive = request.app.state.archive
    found = reads.new(archive, request.query_params)
    # The feed link carries this page's query: the feed is of what the page lists.
    feed = "/new.atom" + (f"?{urlencode(list(request.query_params.multi_items()))}" if request.query_params else "")
    return render(request, "new.html", new=found, feed=feed, filters=reads.NEW_FILTERS,
                   query=request.query_params)


def _new_atom(request: Request) -> Response:
    return Response(reads.new_feed(request.app.state.archive, request.query_params),
                    media_type="application/atom+xml")


def _sources(request: Request) -> Response:
    archive = request.app.state.archive
    return render(request, "sources.html", sources=reads.sources(archive),
                   runs=reads.runs(archive, request.query_params))


def _run(request: Request) -> Response:
    return render(request, "run.html", run=reads.run(request.app.state.archive, request.path_params["run_id"]))


def _coverage(request: Request) -> Response:
    grid = reads.coverage(request.app.state.archive)
    return render(request, "coverage.html", grid=grid, names=PUBLISHER_NAMES, unwell=UNWELL_STATES)


def bars(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """(label, count, bar length) for an SVG bar chart, the largest count BAR_WIDTH long."""
    top = max(counts.values(), default=0) or 1
    return [(label, n, max(1, round(n * BAR_WIDTH / top))) for label, n in counts.items()]


def _stats(request: Request) -> Response:
    found = reads.stats(request.app.state.archive)
    return render(request, "stats.html", stats=found, year_bars=bars(found["by_year"]),
                   topic_bars=bars(found["by_topic"]), bar_width=BAR_WIDTH)


def _api(request: Request) -> Response:
    from crawler.web.openapi import openapi

    return render(request, "api.html", spec=openapi())


def routes() -> list[Route]:
    return get_routes({
        "/new": _new,
        "/new.atom": _new_atom,
        "/sources": _sources,
        "/runs/{run_id:int}": _run,
        "/coverage": _coverage,
        "/stats": _stats,
        "/api": _api,
    })
