"""Commands about a document's versions: history, diff, reextract."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from crawler.cli import output
from crawler.cli.common import CliError, common, open_db


def register(sub: Any) -> None:
    reads = common(json_flag=True)
    p = sub.add_parser("history", parents=[reads], help="a notice's versions: when seen, where, how long")
    p.add_argument("document", metavar="ID_OR_文号")
    p.set_defaults(func=cmd_history, read_only=True)

    p = sub.add_parser("diff", parents=[reads], help="what changed between two versions of a notice")
    p.add_argument("document", metavar="ID_OR_文号")
    p.add_argument("versions", nargs="*", type=int, metavar="V", help="two version numbers from `history` "
                   "(default: the one before the newest, and the newest)")
    p.set_defaults(func=cmd_diff, read_only=True)

    p = sub.add_parser("reextract", parents=[reads],
                       help="run extraction again over stored pages (after an extractor change)")
    p.add_argument("--source", metavar="SOURCE", help="only this source's pages")
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="only pages fetched since")
    p.add_argument("--registry", metavar="PATH", help="the source registry the pages were crawled with "
                   "(default: the built-in one and the sample sites')")
    p.set_defaults(func=cmd_reextract)


def cmd_history(args: argparse.Namespace) -> int:
    from storage.api import document_history

    history = document_history(open_db(args), args.document)
    if history is None:
        raise CliError(f"no document {args.document!r} in the archive")
    output.emit(args, history, history_text)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from storage.api import NoSuchVersion, document_diff

    if len(args.versions) not in (0, 2):
        raise CliError("give two version numbers, or none for the latest change")
    old, new = args.versions or (None, None)
    try:
        diff = document_diff(open_db(args), args.document, old, new)
    except NoSuchVersion as exc:
        raise CliError(str(exc)) from None
    if diff is None:
        raise CliError(f"no document {args.document!r} in the archive")
    output.emit(args, diff, diff_text)
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from crawler.run.reextraction import reextract

    def progress(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            print(f"re-extracted {done}/{total} pages", file=sys.stderr)

    report = reextract(open_db(args), source_id=args.source, since=args.since,
                       registry_path=args.registry, progress=progress)
    output.emit(args, report, reextract_text)
    return 0


def _day(value: Any) -> str:
    return str(value or "")[:16].replace("T", " ")


def _title(doc: dict[str, Any]) -> str:
    return " ".join(p for p in (f"#{doc['id']}", doc.get("doc_number") or "", doc.get("title") or "") if p)


def history_text(h: dict[str, Any]) -> str:
    lines = [_title(h["document"])]
    for v in h["versions"]:
        mark = "  (current)" if v["is_current"] else ""
        lines.append(f"version {v['seq']}: first seen {_day(v['first_seen'])}, last seen {_day(v['last_seen'])}, "
                     f"{v['characters']} characters, hash {v['text_hash'][:12]}{mark}")
        lines += output.table([(c["source_id"], c["kind"], c["url"], f"({_day(c['first_seen'])} … {_day(c['last_seen'])})")
                               for c in v["carried_by"]], indent="    ")
    return "\n".join(lines)


def diff_text(d: dict[str, Any]) -> str:
    f, t, s = d["from"], d["to"], d["summary"]
    lines = [_title(d["document"]),
             f"version {f['seq']} ({_day(f['first_seen'])}) → version {t['seq']} ({_day(t['first_seen'])}): "
             f"paragraphs: {s['changed']} changed, {s['added']} added, {s['removed']} removed"]
    if f["seq"] == t["seq"] or not (s["changed"] or s["added"] or s["removed"]):
        lines.append("no change")
    for e in d["paragraphs"]:
        if e["op"] == "equal":
            continue
        if e["op"] == "changed":
            lines.append(f"paragraph {e['old_no']} → {e['new_no']}, changed:")
            for piece in e["sentences"]:
                sign = {"equal": " ", "removed": "-", "added": "+"}[piece["op"]]
                text = piece["text"] if piece["op"] != "equal" else _elide(piece["text"])
                lines.append(f"  {sign} {text}")
        else:
            no = e["old_no"] if e["op"] == "removed" else e["new_no"]
            lines.append(f"paragraph {no}, {e['op']}:")
            lines.append(f"  {'-' if e['op'] == 'removed' else '+'} {e['text']}")
    return "\n".join(lines)


def _elide(text: str, keep: int = 24) -> str:
    """Unchanged sentences around a change, shortened: context, not the point."""
    return text if len(text) <= 2 * keep else f"{text[:keep]}……{text[-keep:]}"


def reextract_text(r: dict[str, Any]) -> str:
    n = output.plural
    lines = [f"re-extracted {n(r['pages'], 'page')} of {n(r['documents'], 'document')}: "
             f"metadata updated on {n(r['metadata_updated'], 'document')}, "
             f"{n(r['text_recleaned'], 'text')} re-cleaned, "
             f"{n(r['text_differs'], 'page')} now read differently (left for the next crawl), "
             f"{n(r['now_on_topic'], 'off-topic page')} now on topic, {r['errors']} could not be read; no new version"]
    for field_name, n in sorted(r.get("fields", {}).items()):
        lines.append(f"  {field_name}: {n}")
    return "\n".join(lines)
