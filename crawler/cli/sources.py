"""Commands about the source registry: sources (the listing), sources test ID."""
from __future__ import annotations

import argparse
from typing import Any

from crawler import output
from crawler.cli.common import PROG, CliError, common, open_db


def register(sub: Any) -> None:
    p = sub.add_parser("sources", parents=[common(json_flag=True)], help="the sources in the registry")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_sources)
    actions = p.add_subparsers(dest="sources_action", metavar="{test}")
    register_test(actions)


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


# ---- sources test ID: the source's spider on its fixture, offline ---------------------

def register_test(actions: Any) -> None:
    t = actions.add_parser("test", parents=[common(json_flag=True)],
                           help="run a built-in source's spider on its bundled fixture (offline)")
    t.add_argument("ids", nargs="+", metavar="ID", help="source ids (built-in sources have fixtures)")
    t.add_argument("--registry", metavar="PATH")
    t.set_defaults(func=cmd_sources_test)


def cmd_sources_test(args: argparse.Namespace) -> int:
    from spiders.probe import fixture_fetcher, fixture_hosts, probe_source
    from spiders.registry import load_registry

    registry = load_registry(args.registry)
    unknown = [i for i in args.ids if i not in registry]
    if unknown:
        raise CliError(f"unknown source: {', '.join(unknown)} (see `{PROG} sources`)")
    hosts = set(fixture_hosts())
    results = []
    with fixture_fetcher() as fetch:
        for sid in args.ids:
            source = registry[sid]
            first = source.start_urls[0] if source.start_urls else (source.api.page_url if source.api else "")
            if _host(first) not in hosts:
                raise CliError(f"source {sid} has no fixture (only the built-in sources have one)")
            results.append(probe_source(source, fetch).to_dict())
    output.emit(args, results, _test_text)
    return 0 if all(r["ok"] for r in results) else 1


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def _test_text(rows: list[dict[str, Any]]) -> str:
    if len(rows) > 1:
        head = f"{'source':<16} {'result':<8} {'notices':>7}  {'next page':<9}  {'date':<10}  {'文号':<22} title"
        lines = [head]
        for r in rows:
            lines.append(f"{r['source']:<16} {'ok' if r['ok'] else 'FAILED':<8} {r['notice_count']:>7}  "
                         f"{'yes' if r['next_page'] else '-':<9}  {r['published_date'] or '-':<10}  "
                         f"{(r['doc_number'] or '-'):<22} {r['title'] or r['error'] or '-'}")
        return "\n".join(lines)
    out = []
    for r in rows:
        out.append(f"{r['source']}: {'ok' if r['ok'] else 'FAILED: ' + (r['error'] or '?')}")
        out.append(f"  listing      {r['listing_url'] or '-'} (HTTP {r['listing_status'] or '-'})")
        out.append(f"  notices      {r['notice_count']} found" + (f", first {r['notices'][0]}" if r["notices"] else ""))
        out.append(f"  next page    {r['next_page'] or '-'}")
        out.append(f"  first detail {r['detail_url'] or '-'}")
        out.append(f"    title      {r['title'] or '-'}")
        out.append(f"    文号       {r['doc_number'] or '-'}")
        out.append(f"    date       {r['published_date'] or '-'}")
    return "\n".join(out)
