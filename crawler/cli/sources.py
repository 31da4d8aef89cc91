"""Commands about the source registry: ``sources [list|test|add|remove|disable|enable|check|coverage]``;
plain ``sources`` lists."""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from crawler.cli import coverage, output
from crawler.cli.common import PROG, CliError, Parser, common, open_db


def register(sub: Any) -> None:
    p = sub.add_parser("sources", parents=[common(json_flag=True)], help="the sources in the registry")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_sources, read_only=True)
    actions = p.add_subparsers(dest="sources_action", parser_class=Parser,
                               metavar="{list,test,add,remove,disable,enable,check,coverage}")
    ls = actions.add_parser("list", parents=[common(json_flag=True)], help="list the sources (the default)")
    ls.add_argument("--registry", metavar="PATH")
    ls.set_defaults(func=cmd_sources, read_only=True)
    register_test(actions)
    register_add(actions)
    register_edits(actions)
    register_check(actions)
    coverage.register(actions)


def cmd_sources(args: argparse.Namespace) -> int:
    from spiders.registry import load_registry
    from storage.api import ArchiveError

    registry = load_registry(args.registry)
    try:
        archive = open_db(args)
    except ArchiveError as exc:
        if not str(exc).startswith("no archive at"):
            raise
        archive = None  # the registry is worth listing before the first crawl
    output.emit(args, source_rows(registry, archive), _list_text)
    return 0


def source_rows(registry: dict[str, Any], archive: Any) -> list[dict[str, Any]]:
    """The `sources --json` shape: each registry source with what the archive (None: none yet) knows."""
    from storage.api import list_sources, source_health

    archived = {s.id: s for s in list_sources(archive)} if archive is not None else {}
    health = source_health(archive, list(registry)) if archive is not None else {}
    rows = []
    for s in registry.values():
        seen = archived.get(s.id)
        h = health[s.id].to_dict() if s.id in health else {}
        rows.append({
            "id": s.id, "name": s.name, "kind": s.kind, "family": s.family, "region": s.region,
            "schedule": s.schedule, "enabled": s.enabled,
            "start_urls": list(s.start_urls) or ([s.api.page_url] if s.api else []),
            "captures": seen.captures if seen else 0,
            "last_run_status": seen.last_run_status if seen else None,
            "last_run_started_at": seen.last_run_started_at.isoformat() if seen and seen.last_run_started_at else None,
            "health": health[s.id].state if s.id in health else "never",
            "health_reason": health[s.id].reason if s.id in health else "no archive yet",
            "last_good_run_at": h.get("last_good_at"),
            "last_new_notice_at": h.get("last_new_notice_at"),
        })
    return rows


NAME_COLUMNS = 28  # terminal columns of the name: a row fits 120 columns with a long id


def _list_text(rows: list[dict[str, Any]]) -> str:
    cells = []
    for r in rows:
        last = f"{r['last_run_status']} {r['last_run_started_at'][:10]}" if r.get("last_run_status") else "never"
        cells.append((r["id"], r["kind"], r["schedule"], r["health"] if r["enabled"] else "disabled", last,
                      (r.get("last_new_notice_at") or "-")[:10], r["name"]))
    header = ("id", "kind", "schedule", "health", "last run", "new notice", "name")
    return "\n".join(output.table(cells, header, widest={6: NAME_COLUMNS}))


# ---- sources test ID: the source's spider on its fixture, offline (a check, on loopback) ----

def register_test(actions: Any) -> None:
    t = actions.add_parser("test", parents=[common(json_flag=True)],
                           help="run a built-in source's spider on its bundled fixture (offline)")
    t.add_argument("ids", nargs="+", metavar="ID", help="source ids (built-in sources have fixtures)")
    t.add_argument("--registry", metavar="PATH")
    t.set_defaults(func=cmd_sources_test)


def cmd_sources_test(args: argparse.Namespace) -> int:
    from crawler.run.crawl_process import CrawlStopped
    from crawler.run.probe import fixture_hosts, probe_sources
    from spiders.registry import load_registry

    registry = load_registry(args.registry)
    unknown = [i for i in args.ids if i not in registry]
    if unknown:
        raise CliError(f"unknown source: {', '.join(unknown)} (see `{PROG} sources`)")
    hosts = set(fixture_hosts())
    for sid in args.ids:
        source = registry[sid]
        first = source.start_urls[0] if source.start_urls else (source.api.page_url if source.api else source.home or "")
        if _host(first) not in hosts:
            raise CliError(f"source {sid} has no fixture (only the built-in sources have one)")
    try:
        results = [r.to_dict() for r in probe_sources([registry[i] for i in args.ids], registry_path=args.registry)]
    except CrawlStopped as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 130
    output.emit(args, results, _test_text)
    return 0 if all(r["ok"] for r in results) else 1


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def _test_text(rows: list[dict[str, Any]]) -> str:
    if len(rows) > 1:
        cells = [(r["source"], "ok" if r["ok"] else "FAILED", r["notice_count"], "yes" if r["next_page"] else "-",
                  r["published_date"] or "-", r["doc_number"] or "-", r["title"] or r["error"] or "-") for r in rows]
        return "\n".join(output.table(cells, ("source", "result", "notices", "next page", "date", "文号", "title"),
                                      right=(2,)))
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


# ---- sources add URL ---------------------------------------------------------------------
def register_add(actions: Any) -> None:
    p = actions.add_parser("add", parents=[common(json_flag=True)],
                           help="add a listing page as a source of your own (zero-config discovery)")
    p.add_argument("url", help="a listing page of notices (http or https)")
    p.add_argument("--name", help="what to call it (default: the site's host)")
    p.add_argument("--region", help="the region it publishes for, e.g. 辽宁省沈阳市")
    p.add_argument("--id", dest="source_id", help="its registry id (default: made from the URL)")
    p.add_argument("--kind", choices=("gov", "aggregator", "docshare"), help="default: gov for *.gov.cn, else aggregator")
    p.add_argument("--browser", action="store_true", help="fetch it through the browser (a JavaScript challenge guards it)")
    p.add_argument("--schedule", default="0 4 * * *", help="cron expression (default: %(default)s)")
    p.add_argument("--registry-file", metavar="PATH", help="user registry to add to (default: $POLICY_ARCHIVE_SOURCES or ./data/sources.toml)")
    p.set_defaults(func=cmd_sources_add)


def source_id_for(url: str) -> str:
    """A stable id from a URL: its host's labels and a short hash of the whole URL."""
    host = (urlsplit(url).hostname or "site").removeprefix("www.")
    stem = re.sub(r"[^a-z0-9]+", "_", host.lower()).strip("_")[:40]
    return f"{stem}_{hashlib.sha1(url.encode('utf-8')).hexdigest()[:6]}"


def cmd_sources_add(args: argparse.Namespace) -> int:
    from spiders.registry import add_user_source, load_registry, user_registry_path

    url = args.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"not a web address: {url!r} (give the listing page's http:// or https:// URL)")
    listed = {u for s in load_registry().values() for u in s.start_urls}
    if url in listed:
        raise CliError(f"{url} is already a source's listing")
    host = parts.hostname
    table = {
        "id": args.source_id or source_id_for(url),
        "name": args.name or host,
        "kind": args.kind or ("gov" if host.endswith(".gov.cn") else "aggregator"),
        "family": "generic",
        "region": args.region,
        "base_url": f"{parts.scheme}://{parts.netloc}/",
        "start_urls": [url],
        "schedule": args.schedule,
        "browser": args.browser,
        "enabled": True,
        "notes": f"added by `sources add` on {date.today().isoformat()}: no selectors, the listing is read by "
                 "zero-config discovery (notice links and next page)",
    }
    path = args.registry_file or user_registry_path()
    add_user_source(table, path)  # refuses a taken id and a schedule the scheduler cannot run
    output.emit(args, {**table, "registry": str(path)}, _added_text)
    return 0


def _added_text(r: dict[str, Any]) -> str:
    lines = [f"added source {r['id']} to {r['registry']}"]
    for key in ("name", "kind", "family", "region", "start_urls", "schedule", "browser"):
        if r.get(key) not in (None, "", []):
            value = ", ".join(r[key]) if isinstance(r[key], list) else r[key]
            lines.append(f"  {key:<10} {value}")
    lines.append("  try it:    policy-archive sources check " + r["id"])
    return "\n".join(lines)


# ---- sources remove|disable|enable ID -------------------------------------------------------
def register_edits(actions: Any) -> None:
    helps = {"remove": "take a source of your own out of the user registry",
             "disable": "stop crawling a source (a built-in one by an override in the user registry)",
             "enable": "crawl a disabled source again"}
    for action, text in helps.items():
        p = actions.add_parser(action, parents=[common(json_flag=True)], help=text)
        p.add_argument("source_id", metavar="ID")
        p.add_argument("--registry-file", metavar="PATH",
                       help="user registry (default: $POLICY_ARCHIVE_SOURCES or ./data/sources.toml)")
        p.set_defaults(func=cmd_sources_edit)


def cmd_sources_edit(args: argparse.Namespace) -> int:
    from spiders.registry import remove_user_source, set_enabled

    if args.sources_action == "remove":
        done = remove_user_source(args.source_id, args.registry_file)
    else:
        done = set_enabled(args.source_id, args.sources_action == "enable", args.registry_file)
    output.emit(args, {"source": args.source_id, "action": args.sources_action, "done": done},
                lambda r: r["done"])
    return 0


# ---- sources check [ID ...] ------------------------------------------------------------------
def register_check(actions: Any) -> None:
    p = actions.add_parser("check", parents=[common(json_flag=True)],
                           help="live check: listing reachable, notice links found, first notice extracted")
    p.add_argument("ids", nargs="*", metavar="ID", help="sources to check (default: every enabled one)")
    p.add_argument("--registry", metavar="PATH")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default: %(default)s)")
    p.set_defaults(func=cmd_sources_check)


def cmd_sources_check(args: argparse.Namespace) -> int:
    from crawler.run.check import check_sources
    from crawler.run.crawl_process import CrawlStopped
    from spiders.registry import load_registry

    registry = load_registry(args.registry)
    missing = [i for i in args.ids if i not in registry]
    if missing:
        raise CliError(f"unknown source: {', '.join(missing)} (see `policy-archive sources`)")
    if args.timeout <= 0:
        raise CliError("--timeout must be positive")
    sources = [registry[i] for i in args.ids] if args.ids else [s for s in registry.values() if s.enabled]
    if not sources:
        raise CliError("no sources to check")
    print(f"checking {output.plural(len(sources), 'source')} …", file=sys.stderr, flush=True)
    try:
        results = check_sources(sources, registry_path=args.registry, timeout=args.timeout)
    except CrawlStopped as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 130
    output.emit(args, [r.to_dict() for r in results], check_text)
    return 0 if all(r.ok for r in results) else 1


def _cut(text: str | None, width: int) -> str:
    text = text or "-"
    return text if len(text) <= width else text[: width - 1] + "…"


def check_text(rows: list[dict[str, Any]]) -> str:
    passed = [r["status"] == "ok" for r in rows]
    cells = [(r["source"], r["status"], r["links"], _cut(r["title"], 36), _cut(r["doc_number"], 18), r["date"] or "-")
             if ok else (r["source"], r["status"], r["links"], "-", "-", "-") for r, ok in zip(rows, passed)]
    head, *laid = output.table(cells, ("source", "status", "links", "first notice", "文号", "date"), right=(2,))
    lines = [head]
    for r, ok, line in zip(rows, passed, laid):
        lines.append(line)
        if not ok:  # under its row: in the title's column it would widen that column for every row
            lines.append("    " + _cut(r["message"], 100))
    good = sum(passed)
    lines.append(f"{good} of {output.plural(len(rows), 'source')} ok")
    return "\n".join(lines)
