"""Commands that crawl: crawl, demo, schedule."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli import output
from crawler.cli.common import DEMO_DB, PROG, CliError, common, positive_number


def register(sub: Any) -> None:
    reads = common(json_flag=True)
    p = sub.add_parser("crawl", parents=[reads], help="crawl sources once (default: every enabled source)")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids from the registry")
    p.add_argument("--registry", "--sources", dest="registry", metavar="PATH", help="another source registry (TOML)")
    p.add_argument("--timeout", type=positive_number, metavar="SECONDS", help="stop the crawl after this long")
    p.add_argument("--full", action="store_true",
                   help="backfill: walk every listing page and fetch every notice unconditionally")
    _distributed_options(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("demo", parents=[reads],
                       help=f"crawl the bundled sample sites on 127.0.0.1 (into {DEMO_DB} unless --db says otherwise)")
    p.add_argument("--full", action="store_true", help="as for crawl")
    p.add_argument("--state", choices=("initial", "later"), default="initial",
                   help="the sites as first built, or as they look some days on (revised, new notices)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("schedule", parents=[common(json_flag=False)],
                       help="crawl every enabled source on its cron, in the foreground")
    p.add_argument("--registry", "--sources", dest="registry", metavar="PATH")
    p.add_argument("--interval", type=float, metavar="SECONDS",
                   help="crawl every source this often instead of on its cron (trials)")
    _distributed_options(p)
    p.set_defaults(func=cmd_schedule)


def _distributed_options(p: Any) -> None:
    from crawler.cli.worker import add_redis_options

    p.add_argument("--distributed", action="store_true",
                   help="crawl through Redis with worker processes here and on other machines (README)")
    add_redis_options(p)
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="with --distributed: worker processes started here (0: only other machines')")


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.run.crawl_process import CrawlOptions, registry_settings
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
    options = CrawlOptions(db_url=args.db, registry_path=args.registry, timeout=args.timeout,
                           settings={"POLICY_FULL_WALK": args.full, **registry_settings(args.registry)},
                           distributed=_distributed(args))
    return _crawl(args, chosen, options)


def _distributed(args: argparse.Namespace) -> Any:
    """The round's options with --distributed, else None (a crawl on this machine)."""
    from crawler.run.distributed import DEFAULT_PREFIX, Distributed

    if not args.distributed:
        return None
    if args.workers < 0:
        raise CliError("--workers cannot be negative")
    return Distributed(redis=args.redis, prefix=args.prefix or DEFAULT_PREFIX, workers=args.workers)


def _crawl(args: argparse.Namespace, sources: list[Any], options: Any) -> int:
    """Run the crawl, say what it did and which sources are unwell; the exit code."""
    from crawler.run.crawl_process import CrawlStopped, run_crawl
    from crawler.run.distributed import DistributedError

    try:
        summary = run_crawl(sources, options)
    except CrawlStopped as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 130
    except DistributedError as exc:
        raise CliError(str(exc)) from None
    _emit_with_health(args, summary, [s.id for s in sources])
    return 0 if summary.ok else 1


def _emit_with_health(args: argparse.Namespace, summary: Any, source_ids: list[str]) -> None:
    """The crawl summary, then the sources that are empty, failing or blocked."""
    from storage.api import open_archive, source_health
    from crawler.vocab.sources import UNWELL_STATES

    archive = open_archive(args.db)
    try:
        unwell = [h for h in source_health(archive, source_ids).values() if h.state in UNWELL_STATES]
    finally:
        archive.dispose()
    data = {**summary.to_dict(), "unhealthy_sources": [h.to_dict() for h in unwell]}
    output.emit(args, data, output.crawl_text)
    if not args.json:
        # a run that failed is in the table already, with its errors: said once, not twice
        failed = {r["source"] for r in data["sources"] if r["status"] == "failed"}
        for h in unwell:
            if h.source_id not in failed:
                print(output.terminal_safe(f"source {h.source_id} is {h.state}: {h.reason}"), file=sys.stderr)


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.run.crawl_process import LOOPBACK_SETTINGS, CrawlOptions
    from crawler.samples.server import SAMPLE_ORIGIN, SampleServer, sample_registry_path, sample_root
    from spiders.registry import load_registry

    registry_path = sample_registry_path()
    sources = [s for s in load_registry(registry_path).values() if s.enabled]
    if args.db is None:
        args.db = f"sqlite:///{DEMO_DB}"
        if not args.json:
            print(f"archiving into {DEMO_DB}, apart from your archive: read it with --db sqlite:///{DEMO_DB}", file=sys.stderr)
    # Any free port: the archive records the sites' stable origin, whatever port this is.
    with SampleServer(sample_root(), state=args.state).start() as server:
        if not args.json:
            print(f"serving the sample sites ({args.state}) at {server.base_url} as {SAMPLE_ORIGIN}", file=sys.stderr)
        # The archive sees the sites' stable origin, not the port this server got.
        options = CrawlOptions(
            db_url=args.db, registry_path=registry_path, base=SAMPLE_ORIGIN, timeout=600,
            settings={**LOOPBACK_SETTINGS, "POLICY_FULL_WALK": args.full, "POLICY_HOST_MAP": server.host_map()},
        )
        return _crawl(args, sources, options)


def cmd_schedule(args: argparse.Namespace) -> int:
    import scheduler

    if args.interval is not None and args.interval <= 0:
        raise CliError("--interval must be a positive number of seconds")
    distributed = None
    if (round_ := _distributed(args)) is not None:
        from dataclasses import asdict

        from crawler.run.distributed import redis_url

        # the scheduler's jobs carry plain values (a job store keeps them)
        distributed = {**asdict(round_), "redis": redis_url(args.redis)}
    return scheduler.run_forever(db_url=args.db, registry_path=args.registry, interval=args.interval,
                                 distributed=distributed)
