"""Commands about the source registry: sources."""
from __future__ import annotations

import argparse
from typing import Any

from crawler import output
from crawler.cli.common import common, open_db


def register(sub: Any) -> None:
    p = sub.add_parser("sources", parents=[common(json_flag=True)], help="the sources in the registry")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_sources)


def cmd_sources(args: argparse.Namespace) -> int:
    from spiders.registry import load_registry
    from storage.health import source_health
    from storage.queries import list_sources

    registry = load_registry(args.registry)
    archive = open_db(args)
    archived = {s.id: s for s in list_sources(archive)}
    health = source_health(archive, list(registry))
    rows = []
    for s in registry.values():
        seen = archived.get(s.id)
        rows.append({
            "id": s.id, "name": s.name, "kind": s.kind, "family": s.family, "region": s.region,
            "schedule": s.schedule, "enabled": s.enabled,
            "start_urls": list(s.start_urls) or ([s.api.page_url] if s.api else []),
            "captures": seen.captures if seen else 0,
            "last_run_status": seen.last_run_status if seen else None,
            "last_run_started_at": seen.last_run_started_at.isoformat() if seen and seen.last_run_started_at else None,
            "health": health[s.id].state,
            "health_reason": health[s.id].reason,
            "last_good_run_at": health[s.id].to_dict()["last_good_at"],
            "last_new_notice_at": health[s.id].to_dict()["last_new_notice_at"],
        })
    output.emit(args, rows, output.sources_text)
    return 0
