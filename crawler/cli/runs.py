"""Commands about crawl runs: runs."""
from __future__ import annotations

import argparse
from typing import Any

from crawler import output
from crawler.cli.common import common, open_db


def register(sub: Any) -> None:
    p = sub.add_parser("runs", parents=[common(json_flag=True)], help="recent crawl runs")
    p.add_argument("--source")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_runs)


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.runs import list_runs

    found = list_runs(open_db(args), source_id=args.source, limit=args.limit)
    output.emit(args, [r.to_dict() for r in found], output.runs_text)
    return 0
