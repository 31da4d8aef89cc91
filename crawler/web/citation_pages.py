"""The citation view: a document's neighbourhood as a server-drawn SVG graph (and as lists),
the documents most cited within the archive. SVG built by the template from numbers
computed here: autoescaped text, attributes only, no inline style or script."""
from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crawler.web import reads
from crawler.web.pages import render
from crawler.web.responses import get_routes

SIZE = 760  # the graph's square, in SVG units
RINGS = (0, 160, 320)  # radius of step 0 (the document), step 1, step 2
LABEL_CHARS = 14


def layout(graph: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Concentric rings: the document in the centre, each step's nodes evenly round its ring
    in the order the graph lists them (deterministic). Returns (nodes with x, y and label,
    edges with their ends' coordinates)."""
    by_step: dict[int, list[dict[str, Any]]] = {}
    for node in graph["nodes"]:
        by_step.setdefault(node["step"], []).append(node)
    centre = SIZE / 2
    placed = {}
    for step, ring in by_step.items():
        radius = RINGS[min(step, len(RINGS) - 1)]
        for i, node in enumerate(ring):
            # the outer ring turned half a slot: its labels fall between the inner ring's
            angle = 2 * math.pi * (i + (step > 1) * 0.5) / len(ring) - math.pi / 2
            label = node["doc_number"] or (node["title"] or f"#{node['document_id']}")
            placed[node["key"]] = {**node, "x": round(centre + radius * math.cos(angle), 1),
                                   "y": round(centre + radius * math.sin(angle), 1),
                                   "label": label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"}
    edges = [{"x1": placed[e["from"]]["x"], "y1": placed[e["from"]]["y"],
              "x2": placed[e["to"]]["x"], "y2": placed[e["to"]]["y"]} for e in graph["edges"]]
    return list(placed.values()), edges


def _lists(graph: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The graph as lists, for a reader without SVG: what the document cites, what cites it,
    and the second step."""
    nodes = {n["key"]: n for n in graph["nodes"]}
    centre = graph["center"]
    cites = [nodes[e["to"]] for e in graph["edges"] if e["from"] == centre]
    cited_by = [nodes[e["from"]] for e in graph["edges"] if e["to"] == centre]
    return {"cites": cites, "cited_by": cited_by, "further": [n for n in graph["nodes"] if n["step"] == 2]}


def _citations(request: Request) -> Response:
    archive = request.app.state.archive
    ref = request.path_params["ref"]
    doc = reads.document(archive, ref)
    graph = reads.neighbourhood(archive, str(doc.id))
    nodes, edges = layout(graph)
    return render(request, "citations.html", doc=doc, graph=graph, nodes=nodes, edges=edges,
                   lists=_lists(graph), size=SIZE)


def _top(request: Request) -> Response:
    return render(request, "top_cited.html", top=reads.top_cited(request.app.state.archive, request.query_params))


def routes() -> list[Route]:
    return get_routes({
        "/documents/{ref}/citations": _citations,
        "/citations": _top,
    })
