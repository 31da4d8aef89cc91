"""Watches: saved searches that notify when a matching notice arrives (watch add, list,
remove, test, feed, notify)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli import output
from crawler.cli.archive import filter_args, filters_of, user_errors
from crawler.cli.common import CliError, Parser, common, open_db, positive_int

TEST_HITS = 10


def register(sub: Any) -> None:
    p = sub.add_parser("watch", help="saved searches that notify (e-mail, webhooks) when a matching notice arrives")
    watch_sub = p.add_subparsers(dest="watch_command", metavar="COMMAND", required=True, parser_class=Parser)
    reads, writes = common(json_flag=True), common(json_flag=False)

    p = watch_sub.add_parser("add", parents=[reads], help="save a search; every crawl tells it what is new",
                             description="QUERY and filters as for `search`. Notify URLs are apprise's: "
                                         "mailto://, mailtos://, json://, jsons://, and the chat services it knows.")
    p.add_argument("name")
    p.add_argument("query", nargs="?", default="", help="as for search (may be empty when a filter is given)")
    filter_args(p)
    p.add_argument("--notify", action="append", default=[], metavar="URL",
                   help="where to send (repeat for more): mailto://user:pass@smtp.host?to=a@b, json://host/path …")
    p.add_argument("--digest", choices=("daily",), help="one message a day with the day's matches")
    p.set_defaults(func=cmd_add)

    p = watch_sub.add_parser("list", parents=[reads], help="the watches, what they owe and their delivery trouble")
    p.set_defaults(func=cmd_list, read_only=True)

    p = watch_sub.add_parser("remove", parents=[writes], help="delete a watch and its outbox")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)

    p = watch_sub.add_parser("test", parents=[reads], help="what the watch's search finds now; --send: a test message")
    p.add_argument("name")
    p.add_argument("--send", action="store_true", help="send a test message to each notify URL and say how it went")
    p.set_defaults(func=cmd_test)

    p = watch_sub.add_parser("feed", parents=[reads],
                             help="the watch's Atom feed (stable ids: a reader shows each notice once)")
    p.add_argument("name")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--limit", type=positive_int, default=100, help="entries, newest first (default 100)")
    p.set_defaults(func=cmd_feed, read_only=True)

    p = watch_sub.add_parser("notify", parents=[reads],
                             help="match and deliver now, as the end of every crawl does (retries what failed)")
    p.set_defaults(func=cmd_notify)


def cmd_add(args: argparse.Namespace) -> int:
    from crawler.watch.deliver import NotifyUrlError, check_notify_url
    from storage.api import add_watch

    try:
        for url in args.notify:
            check_notify_url(url)
    except NotifyUrlError as exc:
        raise CliError(str(exc)) from None
    with user_errors():
        filters = filters_of(args)
        info = add_watch(open_db(args), args.name, args.query, filters, notify=args.notify, digest=args.digest)
    output.emit(args, info.to_dict(), lambda d: f"watch {d['name']} added: {_what(d)}")
    return 0


def _what(d: dict[str, Any]) -> str:
    parts = [d["query"]] if d["query"] else []
    parts += [f"--{k.replace('_', '-')} {v}" for k, v in d["filters"].items()]
    told = ", ".join(d["notify"]) or "the feed only"
    return f"{' '.join(parts)} → {told}" + (f" ({d['digest']} digest)" if d["digest"] else "")


def cmd_list(args: argparse.Namespace) -> int:
    from storage.api import list_watches

    watches = [w.to_dict() for w in list_watches(open_db(args))]
    output.emit(args, watches, _list_text)
    return 0


def _list_text(watches: list[dict[str, Any]]) -> str:
    if not watches:
        return "no watches (add one: policy-archive watch add NAME QUERY --notify URL)"
    rows = [(w["name"], _what(w), w["sent"], w["pending"], w["failures"]) for w in watches]
    lines = output.table(rows, ("name", "search → notify", "sent", "pending", "failures"), right=(2, 3, 4))
    for w in watches:
        if w["failures"]:
            lines.append(f"{w['name']}: last error at {w['last_error_at']}: {w['last_error']}")
    return "\n".join(lines)


def cmd_remove(args: argparse.Namespace) -> int:
    from storage.api import remove_watch

    with user_errors():
        remove_watch(open_db(args), args.name)
    print(f"watch {args.name} removed", file=sys.stderr)
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from storage.api import Filters, find_watch, search

    archive = open_db(args)
    with user_errors():
        watch = find_watch(archive, args.name)
        filters = Filters.parse(**watch.filters)
        result = search(archive, watch.query, filters, sort="date", limit=TEST_HITS)
    data: dict[str, Any] = {"watch": watch.name, "matches_now": result.total,
                            "newest": [{k: getattr(h, k) for k in ("id", "doc_number", "title", "published_date")}
                                       for h in result.hits]}
    if args.send:
        from crawler.watch.deliver import send
        from storage.api import hide_password

        if not watch.notify:
            raise CliError(f"watch {watch.name} has no --notify URL to send to")
        title = f"[{watch.name}] test message from policy-archive"
        body = f"This watch ({watch.query or 'filters only'}) will send new matching notices here."
        data["sent"] = [{"url": hide_password(u), "error": send(u, title, body)} for u in watch.notify]
    output.emit(args, data, _test_text)
    return 1 if any(s["error"] for s in data.get("sent", [])) else 0


def _test_text(d: dict[str, Any]) -> str:
    lines = [f"watch {d['watch']}: {output.plural(d['matches_now'], 'notice')} in the archive match now; newest:"]
    lines += output.table([(h["published_date"], h["doc_number"], h["title"]) for h in d["newest"]], indent="  ",
                          widest={1: output.DOC_NUMBER_WIDTH})  # as search caps it: a joint notice's 文号 is long
    for s in d.get("sent", []):
        lines.append(f"test message to {s['url']}: {'sent' if s['error'] is None else 'failed: ' + s['error']}")
    return "\n".join(lines)


def cmd_feed(args: argparse.Namespace) -> int:
    from crawler.watch.feed import feed_entries, watch_feed

    with user_errors():
        if args.json:
            output.emit(args, feed_entries(open_db(args), args.name, limit=args.limit), str)
            return 0
        feed = watch_feed(open_db(args), args.name, limit=args.limit)
    if not args.out:
        sys.stdout.buffer.write(feed)
        return 0
    try:
        Path(args.out).write_bytes(feed)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    from crawler.watch.notify import notify

    report = notify(args.db)
    output.emit(args, report.to_dict(), _notify_text)
    return 1 if report.delivery.failed else 0


def _notify_text(d: dict[str, Any]) -> str:
    lines = [(f"{sum(d['new'].values())} new and {sum(d['revised'].values())} revised notices matched; "
              f"{output.plural(d['sent'], 'message')} sent, {d['failed']} failed")]
    return "\n".join(lines + d["errors"])

