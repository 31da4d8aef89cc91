"""Commands that read the archive's documents: search, show, stats."""
from __future__ import annotations

import argparse
from typing import Any

from crawler import output
from crawler.cli.common import CliError, common, open_db


def register(sub: Any) -> None:
    reads = common(json_flag=True)
    p = sub.add_parser("search", parents=[reads], help="find notices by text, title or 文号")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--topic", choices=["health", "eldercare"])
    p.add_argument("--region", help="e.g. 云南省 or 沈阳")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", parents=[reads], help="one notice: metadata, text, versions, copies")
    p.add_argument("document", metavar="ID_OR_文号")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", parents=[reads], help="what the archive holds")
    p.set_defaults(func=cmd_stats)


def cmd_search(args: argparse.Namespace) -> int:
    from storage.queries import search

    if not args.query.strip():
        raise CliError("empty query")
    hits = search(open_db(args), args.query, limit=args.limit, topic=args.topic, region=args.region)
    output.emit(args, [h.to_dict() for h in hits], output.search_text)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from storage.queries import get_document

    doc = get_document(open_db(args), args.document)
    if doc is None:
        raise CliError(f"no document {args.document!r} in the archive")
    output.emit(args, doc.to_dict(), output.document_text)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.queries import archive_stats

    output.emit(args, archive_stats(open_db(args)), output.stats_text)
    return 0
