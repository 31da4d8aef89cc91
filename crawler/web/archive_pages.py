"""The archive's other pages: what's new (and its Atom feed), a watch's feed, sources and their runs,
coverage, stats. Each renders the dict the CLI prints with --json (reads.py)."""
from __future__ import annotations

from typing import Any
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


def _watch_atom(request: Request) -> Response:
    return Response(reads.watch_feed(request.app.state.archive, request.path_params["name"]),
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


MONTH_HEIGHT = 160  # the monthly chart's tallest bar, in SVG units
BAR = 8  # one topic's bar in a month's group


def month_bars(found: dict[str, Any]) -> dict[str, Any]:
    """Notices per month by topic as grouped SVG bars: each (x, y, height, topic index,
    month, topic, count), the month labels' x, and the chart's width and height."""
    topics = list(found["topics"])
    top = max((n for counts in found["topics"].values() for n in counts), default=0) or 1
    group = BAR * max(1, len(topics)) + 6
    rects = []
    for i, month in enumerate(found["months"]):
        for t, topic in enumerate(topics):
            n = found["topics"][topic][i]
            height = round(n * MONTH_HEIGHT / top, 1)
            rects.append((40 + i * group + t * BAR, 10 + MONTH_HEIGHT - height, height, t, month, topic, n))
    labels = [(40 + i * group, month) for i, month in enumerate(found["months"])]
    return {"rects": rects, "labels": labels, "topics": topics, "top": top, "counts": found["topics"],
            "width": 40 + len(labels) * group + 10, "height": MONTH_HEIGHT + 60}


def _stats(request: Request) -> Response:
    archive = request.app.state.archive
    found = reads.stats(archive)
    return render(request, "stats.html", stats=found, year_bars=bars(found["by_year"]),
                   topic_bars=bars(found["by_topic"]), bar_width=BAR_WIDTH,
                   monthly=month_bars(reads.monthly(archive)))


def _api(request: Request) -> Response:
    from crawler.web.openapi import ENDPOINTS, answer_fields, openapi

    return render(request, "api.html", spec=openapi(), fields={path: answer_fields(path) for path in ENDPOINTS})


def routes() -> list[Route]:
    return get_routes({
        "/new": _new,
        "/new.atom": _new_atom,
        "/watches/{name}/feed.atom": _watch_atom,
        "/sources": _sources,
        "/runs/{run_id:int}": _run,
        "/coverage": _coverage,
        "/stats": _stats,
        "/api": _api,
    })
