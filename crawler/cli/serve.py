"""Command that serves the archive as a read-only web page and JSON API: serve."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli.common import CliError, common, open_db


def register(sub: Any) -> None:
    p = sub.add_parser("serve", parents=[common(json_flag=False)],
                       help="a read-only web page and JSON API (/api/v1) over the archive",
                       description="Search, documents with their versions and diffs, citations; read-only.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    p.set_defaults(func=cmd_serve, read_only=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from crawler.web.app import create_app
    from crawler.web.server import serve

    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, not {args.port}")
    app = create_app(archive=open_db(args))  # read-only now: a missing archive is one line, not a 500 later
    print(f"serving the archive read-only on http://{args.host}:{args.port}/ (Ctrl-C stops)",
          file=sys.stderr)
    try:
        serve(app, args.host, args.port)
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0
