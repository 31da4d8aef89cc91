"""`policy-archive`: crawl, demo, search, show, runs, sources, extract, stats, schedule.

Every command takes --db; every read command has --json. Errors are one line on
stderr and a non-zero exit: a user never sees a traceback for bad input.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from crawler import output

PROG = "policy-archive"


class CliError(Exception):
    """Bad input: the message is shown as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _common(json_flag: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", help="archive URL (default: $POLICY_ARCHIVE_DB or sqlite:///data/archive.db)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Archive of Chinese health and eldercare policy notices.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    reads = _common(json_flag=True)

    p = sub.add_parser("crawl", parents=[reads], help="crawl sources once (default: every enabled source)")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids from the registry")
    p.add_argument("--registry", metavar="PATH", help="another source registry (TOML)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the crawl after this long")
    p.add_argument("--full", action="store_true",
                   help="backfill: walk every listing page and fetch every notice unconditionally")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("demo", parents=[reads], help="crawl the bundled sample sites on 127.0.0.1")
    p.add_argument("--full", action="store_true", help="as for crawl")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("search", parents=[reads], help="find notices by text, title or 文号")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--topic", choices=["health", "eldercare"])
    p.add_argument("--region", help="e.g. 云南省 or 沈阳")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[reads], help="one notice: metadata, text, versions, copies")
    p.add_argument("document", metavar="ID_OR_文号")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("runs", parents=[reads], help="recent crawl runs")
    p.add_argument("--source")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("sources", parents=[reads], help="the sources in the registry")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("stats", parents=[reads], help="what the archive holds")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("extract", parents=[reads], help="extract text and metadata from saved pages")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--url", help="the URL the page was fetched from")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("schedule", parents=[_common(json_flag=False)], help="crawl every enabled source on its cron, in the foreground")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_schedule)
    return parser


# ---- commands ------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import run_crawl
    from spiders.registry import load_registry

    registry = load_registry(args.registry)
    if args.sources:
        unknown = [s for s in args.sources if s not in registry]
        if unknown:
            raise CliError(f"unknown source: {', '.join(unknown)} (see `{PROG} sources`)")
        chosen = [registry[s] for s in args.sources]
    else:
        chosen = [s for s in registry.values() if s.enabled]
        if not chosen:
            raise CliError("no enabled source in the registry")
    summary = run_crawl(chosen, db_url=args.db, registry_path=args.registry, timeout=args.timeout,
                        settings={"POLICY_FULL_WALK": args.full})
    output.emit(args, summary.to_dict(), output.crawl_text)
    return 0 if summary.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.runner import LOOPBACK_SETTINGS, run_crawl
    from crawler.sampleserver import SampleServer, sample_registry_path, sample_root
    from spiders.registry import load_registry

    registry_path = sample_registry_path()
    sources = [s for s in load_registry(registry_path).values() if s.enabled]
    with _demo_server(SampleServer, sample_root()) as server:
        if not args.json:
            print(f"serving the sample sites at {server.base_url}", file=sys.stderr)
        summary = run_crawl(
            sources, db_url=args.db, registry_path=registry_path, base=server.base_url,
            settings={**LOOPBACK_SETTINGS, "POLICY_FULL_WALK": args.full}, timeout=600,
        )
    output.emit(args, summary.to_dict(), output.crawl_text)
    return 0 if summary.ok else 1


# A fixed port keeps the demo's URLs the same from one run to the next, so the
# archive sees the same pages again rather than new ones; any free port if it is taken.
DEMO_PORT = 18765


def _demo_server(server_cls: Any, root: Any) -> Any:
    try:
        return server_cls(root, port=DEMO_PORT).start()
    except OSError:
        return server_cls(root).start()


def cmd_search(args: argparse.Namespace) -> int:
    from storage.queries import search

    if not args.query.strip():
        raise CliError("empty query")
    archive = _archive(args)
    hits = search(archive, args.query, limit=args.limit, topic=args.topic, region=args.region)
    output.emit(args, [h.to_dict() for h in hits], output.search_text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from storage.queries import get_document

    doc = get_document(_archive(args), args.document)
    if doc is None:
        raise CliError(f"no document {args.document!r} in the archive")
    output.emit(args, doc.to_dict(), output.document_text)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.runs import list_runs

    found = list_runs(_archive(args), source_id=args.source, limit=args.limit)
    output.emit(args, [r.to_dict() for r in found], output.runs_text)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from spiders.registry import load_registry
    from storage.queries import list_sources

    registry = load_registry(args.registry)
    archived = {s.id: s for s in list_sources(_archive(args))}
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
        })
    output.emit(args, rows, output.sources_text)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.queries import archive_stats

    output.emit(args, archive_stats(_archive(args)), output.stats_text)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.extract import extract_page
    from crawler.pagefile import NotAPageError, read_page_file

    failures = 0
    for path in args.paths:
        try:
            result: dict[str, Any] = {"path": path, **output.extraction_dict(extract_page(read_page_file(path), args.url))}
        except NotAPageError as exc:
            failures += 1
            result = {"path": path, "error": str(exc)}
        except Exception as exc:  # one bad page must not stop the others
            failures += 1
            result = {"path": path, "error": f"{type(exc).__name__}: {exc}"}
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        elif "error" in result:
            print(f"{PROG}: error: {result['error']}", file=sys.stderr)
        else:
            print(output.extraction_text(result), flush=True)
    return 1 if failures else 0


def cmd_schedule(args: argparse.Namespace) -> int:
    import scheduler

    return scheduler.run_forever(db_url=args.db, registry_path=args.registry)


def _archive(args: argparse.Namespace):  # noqa: ANN202
    from storage import open_archive

    return open_archive(args.db)


def main(argv: Sequence[str] | None = None) -> int:
    from spiders.registry import RegistryError
    from storage.db import ArchiveError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, ArchiveError, RegistryError, FileNotFoundError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("POLICY_ARCHIVE_DEBUG"):
            raise
        print(f"{PROG}: error: {type(exc).__name__}: {exc} (POLICY_ARCHIVE_DEBUG=1 shows a traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
