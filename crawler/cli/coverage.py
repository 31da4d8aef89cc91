"""``sources coverage``: which publishers of which provinces the registry reaches, and how
well. A grid of the 31 provinces (the national publishers on top) by publisher kind, each
cell the state of its source (evidence, discover, blocked, or empty) and, once crawled, its
health and the day of its last new notice."""
from __future__ import annotations

import argparse
from typing import Any

from crawler.cli import output
from crawler.cli.common import open_db
from crawler.vocab.regions import (BLOCKED_STATE, DISCOVER, EVIDENCE, NATIONAL, PROVINCES, PUBLISHER_GRID,
                                   PUBLISHER_NAMES)

# A cell with several sources shows the best of them: a confirmed listing over a home page
# over a refused one.
_RANK = {EVIDENCE: 0, DISCOVER: 1, BLOCKED_STATE: 2}


def register(actions: Any) -> None:
    from crawler.cli.common import common

    p = actions.add_parser("coverage", parents=[common(json_flag=True)],
                           help="provinces × publishers: what the registry reaches, and how well (--db: with health)")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_sources_coverage, read_only=True)


def in_grid(source: Any) -> bool:
    """A province's (or the nation's) own publisher: not a city's, not an aggregator."""
    if source.publisher not in PUBLISHER_GRID or source.province is None:
        return False
    return source.region in (None, source.province)


def coverage_grid(sources: list[Any], health: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The grid as data: ``rows`` (全国 first, then the provinces in division-code order),
    each with a cell per publisher kind; ``counts`` of cell states; ``outside``: the sources
    no cell holds (cities, disease control, other national bodies, aggregators)."""
    cells: dict[tuple[str, str], list[Any]] = {}
    outside = []
    for s in sources:
        if in_grid(s):
            cells.setdefault((s.province, s.publisher), []).append(s)
        else:
            outside.append(s.id)
    rows, counts = [], {EVIDENCE: 0, DISCOVER: 0, BLOCKED_STATE: 0, "empty": 0}
    for province in (NATIONAL, *PROVINCES):
        row: dict[str, Any] = {"province": province, "cells": {}}
        for kind in PUBLISHER_GRID:
            held = sorted(cells.get((province, kind), []), key=lambda s: (_RANK[s.state], s.id))
            if not held:
                row["cells"][kind] = None
                counts["empty"] += 1
                continue
            best = held[0]
            h = health.get(best.id, {})
            row["cells"][kind] = {
                "state": best.state, "source": best.id, "sources": [s.id for s in held],
                "health": h.get("state"), "last_new_notice_at": h.get("last_new_notice_at"),
            }
            counts[best.state] += 1
        rows.append(row)
    return {"columns": list(PUBLISHER_GRID), "rows": rows, "counts": counts, "outside": sorted(outside)}


def cmd_sources_coverage(args: argparse.Namespace) -> int:
    from spiders.registry import load_registry
    from storage.api import ArchiveError, source_health

    registry = load_registry(args.registry)
    health: dict[str, dict[str, Any]] = {}
    if args.db:
        try:
            archive = open_db(args)
        except ArchiveError as exc:
            if not str(exc).startswith("no archive at"):
                raise
            archive = None  # not crawled yet: states only
        if archive is not None:
            health = {sid: h.to_dict() for sid, h in source_health(archive, list(registry)).items()}
            archive.dispose()
    output.emit(args, coverage_grid(list(registry.values()), health), coverage_text)
    return 0


def _cell(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return ""
    parts = [cell["state"]]
    if cell.get("health") and cell["health"] != "never":
        parts.append(cell["health"])
        parts.append((cell.get("last_new_notice_at") or "-")[:10])
    return " ".join(parts)


def coverage_text(grid: dict[str, Any]) -> str:
    header = ("", *(PUBLISHER_NAMES[k] for k in grid["columns"]))
    cells = [(row["province"], *(_cell(row["cells"][k]) for k in grid["columns"])) for row in grid["rows"]]
    c = grid["counts"]
    lines = output.table(cells, header)
    lines.append(f"{c[EVIDENCE]} evidence, {c[DISCOVER]} discover, {c[BLOCKED_STATE]} blocked, {c['empty']} empty cells; "
                 f"{len(grid['outside'])} sources outside the grid (cities, 疾控, other national bodies, aggregators)")
    return "\n".join(lines)
