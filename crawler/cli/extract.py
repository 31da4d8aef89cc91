"""Extraction without the archive: extract."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler import output
from crawler.cli.common import PROG, common


def register(sub: Any) -> None:
    p = sub.add_parser("extract", parents=[common(json_flag=True)], help="extract text and metadata from saved pages")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--url", help="the URL the page was fetched from")
    p.set_defaults(func=cmd_extract)


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
            print(output.terminal_safe(output.extraction_text(result)), flush=True)
    return 1 if failures else 0
