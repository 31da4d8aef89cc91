"""Commands that crawl: crawl, demo, schedule."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler import output
from crawler.cli.common import PROG, CliError, common


def register(sub: Any) -> None:
    reads = common(json_flag=True)
    p = sub.add_parser("crawl", parents=[reads], help="crawl sources once (default: every enabled source)")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids from the registry")
    p.add_argument("--registry", metavar="PATH", help="another source registry (TOML)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop the crawl after this long")
    p.add_argument("--full", action="store_true",
                   help="backfill: walk every listing page and fetch every notice unconditionally")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("demo", parents=[reads], help="crawl the bundled sample sites on 127.0.0.1")
    p.add_argument("--full", action="store_true", help="as for crawl")
    p.add_argument("--state", choices=("initial", "later"), default="initial",
                   help="the sites as first built, or as they look some days on (revised, new notices)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("schedule", parents=[common(json_flag=False)],
                       help="crawl every enabled source on its cron, in the foreground")
    p.add_argument("--registry", metavar="PATH")
    p.set_defaults(func=cmd_schedule)


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
    from crawler.sampleserver import SAMPLE_ORIGIN, SampleServer, sample_registry_path, sample_root
    from spiders.registry import load_registry

    registry_path = sample_registry_path()
    sources = [s for s in load_registry(registry_path).values() if s.enabled]
    with _demo_server(lambda root, **kw: SampleServer(root, state=args.state, **kw), sample_root()) as server:
        if not args.json:
            print(f"serving the sample sites ({args.state}) at {server.base_url} as {SAMPLE_ORIGIN}", file=sys.stderr)
        # The archive sees the sites' stable origin, not the port this server got.
        summary = run_crawl(
            sources, db_url=args.db, registry_path=registry_path, base=SAMPLE_ORIGIN,
            settings={**LOOPBACK_SETTINGS, "POLICY_FULL_WALK": args.full, "POLICY_HOST_MAP": server.host_map()},
            timeout=600,
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


def cmd_schedule(args: argparse.Namespace) -> int:
    import scheduler

    return scheduler.run_forever(db_url=args.db, registry_path=args.registry)
