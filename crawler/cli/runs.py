"""Commands about crawl runs: runs."""
from __future__ import annotations

import argparse
from typing import Any

from crawler.cli import output
from crawler.cli.common import CliError, common, open_db, positive_int


def register(sub: Any) -> None:
    p = sub.add_parser("runs", parents=[common(json_flag=True)],
                       help="recent crawl runs, or one run with every failed URL")
    p.add_argument("run", nargs="?", type=int, metavar="ID", help="one run: its counters and failures")
    p.add_argument("--source", help="only this source's runs")
    p.add_argument("--limit", type=positive_int, default=20, help="at most this many runs (default 20)")
    p.set_defaults(func=cmd_runs, read_only=True)


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.api import get_run, list_runs

    archive = open_db(args)
    if args.run is not None:
        run = get_run(archive, args.run)
        if run is None:
            raise CliError(f"no crawl run {args.run}")
        output.emit(args, run.to_dict(), output.run_text)
        return 0
    found = list_runs(archive, source_id=args.source, limit=args.limit)
    output.emit(args, [r.to_dict() for r in found], output.runs_text)
    return 0
