"""Commands that read the archive's documents: search, show, stats, new, export (and reindex)."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from typing import Any

from crawler.cli import output
from crawler.cli.common import CliError, common, open_db

TOPIC_CHOICES = ("health", "eldercare")  # storage.search_filters.TOPICS, without importing storage here


def filter_args(p: argparse.ArgumentParser, published: str = "--since/--until") -> None:
    since, until = published.split("/")
    g = p.add_argument_group("filters")
    g.add_argument("--region", help="region contains this (云南省, 沈阳)")
    g.add_argument("--agency", help="issuing agency contains this (民政局)")
    g.add_argument("--topic", choices=TOPIC_CHOICES)
    g.add_argument("--type", dest="doc_type", metavar="TYPE", help="policy type (通知, 意见, 方案 …)")
    g.add_argument("--status", help="draft, repealed, trial, interim")
    g.add_argument(since, dest="since", metavar="DATE", help="published on or after (YYYY-MM-DD)")
    g.add_argument(until, dest="until", metavar="DATE", help="published on or before")
    g.add_argument("--signed-since", metavar="DATE", help="signed (成文日期) on or after")
    g.add_argument("--signed-until", metavar="DATE", help="signed on or before")
    g.add_argument("--source", metavar="SOURCE", help="carried by this source (an id of `sources`)")
    g.add_argument("--doc-number", metavar="文号", help="this 文号, any bracket form")


# The attributes filter_args sets.
FILTER_NAMES = ("region", "agency", "topic", "doc_type", "status", "since", "until", "signed_since",
                "signed_until", "source", "doc_number")


def register(sub: Any) -> None:
    reads = common(json_flag=True)
    p = sub.add_parser("search", parents=[reads], help="find notices: ranked full-text search of title, 文号 and text",
                       description='Words AND by default; "a phrase"; a OR b; -word excludes; a 文号 in any bracket form.')
    p.add_argument("query", nargs="?", default="", help='e.g. 养老 医保, "长期护理" OR 失能, 国办发[2019]5号')
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--limit", type=int, default=20, help="hits per page (1-1000)")
    p.add_argument("--facets", action="store_true",
                   help="also count the whole result set by region, agency, topic, type, status, year and source")
    filter_args(p)
    p.set_defaults(func=cmd_search, read_only=True)

    p = sub.add_parser("show", parents=[reads], help="one notice: metadata, text, versions, copies")
    p.add_argument("document", metavar="ID_OR_文号")
    p.set_defaults(func=cmd_show, read_only=True)

    p = sub.add_parser("attachment", parents=[reads], help="one attachment of a notice (ids in `show --json`): "
                       "its record and the text read from it")
    p.add_argument("attachment_id", type=int, metavar="ID")
    p.add_argument("--save", metavar="FILE", help="also write the file as fetched to FILE")
    p.set_defaults(func=cmd_attachment, read_only=True)

    p = sub.add_parser("stats", parents=[reads], help="what the archive holds: counts by topic, region, year, source")
    p.set_defaults(func=cmd_stats, read_only=True)

    p = sub.add_parser("new", parents=[reads], help="what arrived since a time (7d, 24h, 2w or a date)")
    p.add_argument("--since", dest="arrived_since", default="7d", metavar="7d|DATE",
                   help="first archived at or after (default 7d)")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--atom", metavar="FILE", help="also write an Atom feed of them to FILE")
    # Here --since is the arrival time; the published-date filter is spelled out.
    filter_args(p, published="--published-since/--published-until")
    p.set_defaults(func=cmd_new, read_only=True)

    p = sub.add_parser("export", parents=[common(json_flag=False)], help="the documents as JSON lines or CSV (or WARC)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--bom", action="store_true",
                   help="CSV: start with a UTF-8 byte-order mark, so Excel reads the Chinese right")
    p.add_argument("--warc", metavar="FILE",
                   help="write the raw captures of the documents as WARC to FILE (rows too only with --out)")
    filter_args(p)
    p.set_defaults(func=cmd_export, read_only=True)

    p = sub.add_parser("reindex", parents=[common(json_flag=True)], help="rebuild the full-text search index")
    p.set_defaults(func=cmd_reindex)


@contextmanager
def user_errors():
    from storage.api import QueryError

    try:
        yield
    except QueryError as exc:
        raise CliError(str(exc)) from None


def filters_of(args: argparse.Namespace) -> Any:
    from storage.api import Filters

    return Filters.parse(**{name: getattr(args, name) for name in FILTER_NAMES})


def cmd_search(args: argparse.Namespace) -> int:
    from storage.api import facet_counts, search, search_facets

    with user_errors():
        filters = filters_of(args)
        if not args.query.strip() and filters.empty:
            raise CliError("empty query (give words to search for, or a filter such as --region)")
        archive = open_db(args)
        found = search(archive, args.query, filters, sort=args.sort, page=args.page, limit=args.limit).to_dict()
        if args.facets:  # the shape /api/v1/search answers
            found["facets"] = facet_counts(search_facets(archive, args.query, filters))
    bold = sys.stdout.isatty()
    output.emit(args, found, lambda d: output.search_text(d, bold=bold), text_is_safe=True)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from storage.api import get_document

    doc = get_document(open_db(args), args.document)
    if doc is None:
        raise CliError(f"no document {args.document!r} in the archive")
    output.emit(args, doc.to_dict(), output.document_text)
    return 0


def cmd_attachment(args: argparse.Namespace) -> int:
    from storage.api import attachment_body, get_attachment

    archive = open_db(args)
    found = get_attachment(archive, args.attachment_id) if 0 < args.attachment_id < 2**31 else None
    if found is None:
        raise CliError(f"no attachment {args.attachment_id} in the archive")
    if args.save:
        try:
            with open(args.save, "wb") as out:
                out.write(attachment_body(archive, found.id) or b"")
        except OSError as exc:
            raise CliError(f"cannot write {args.save}: {exc.strerror or exc}") from None
    output.emit(args, found.to_dict(), output.attachment_text)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.api import archive_stats

    output.emit(args, archive_stats(open_db(args)), output.stats_text)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from storage.api import atom_feed, feed_id, new, parse_since

    with user_errors():
        since = parse_since(args.arrived_since)
        filters = filters_of(args)
        archive = open_db(args)
        rows = new(archive, since, filters, limit=args.limit)
    if args.atom:
        # The query as typed ("7d", not the time it meant this run): one feed, one id.
        query = {name: getattr(args, name) for name in (
            "arrived_since", "limit", *FILTER_NAMES)}
        feed = atom_feed(rows, title=f"policy-archive: new since {since.date().isoformat()}",
                         feed_id=feed_id("new", query))
        try:
            Path(args.atom).write_bytes(feed)
        except OSError as exc:
            raise CliError(f"cannot write {args.atom}: {exc.strerror}") from None
    output.emit(args, new_summary(since, rows), output.new_text)
    return 0


NEW_FIELDS = ("id", "doc_number", "title", "agency", "region", "published_date", "first_seen", "authoritative_url")


def new_summary(since: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The `new --json` shape; the web API's /new answers the same."""
    return {"since": since.isoformat(), "count": len(rows), "documents": [{k: r[k] for k in NEW_FIELDS} for r in rows]}


def cmd_export(args: argparse.Namespace) -> int:
    from storage.api import document_ids, export_rows, write_export

    if args.bom and args.format != "csv":
        raise CliError("--bom is for --format csv")
    with user_errors():
        filters = filters_of(args)
        archive = open_db(args)
    if args.warc:
        _export_warc(archive, args.warc, None if filters.empty else document_ids(archive, filters))
        if not args.out:
            return 0
    rows = export_rows(archive, filters)
    if not args.out:
        # A closed pipe (export | head) ends the command quietly, in main().
        write_export(rows, args.format, sys.stdout, bom=args.bom)
        return 0
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            n = write_export(rows, args.format, out, bom=args.bom)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"exported {output.plural(n, 'document')} to {args.out}", file=sys.stderr)
    return 0


def _export_warc(archive: Any, path: str, ids: list[int] | None) -> None:
    try:
        from storage.warc import export_warc
    except ImportError:
        raise CliError("WARC export not available in this build") from None
    try:
        n = export_warc(archive, path, ids)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None
    print(f"wrote {output.plural(n, 'WARC record')} to {path}", file=sys.stderr)


def cmd_reindex(args: argparse.Namespace) -> int:
    from storage.api import reindex

    def progress(done: int, total: int) -> None:
        print(f"\rindexed {done}/{total} documents", end="", file=sys.stderr, flush=True)

    n = reindex(open_db(args, read_only=False), progress=progress)
    print(file=sys.stderr)
    output.emit(args, {"indexed": n}, lambda d: f"search index rebuilt: {output.plural(d['indexed'], 'document')}")
    return 0
