"""How the CLI prints: JSON for machines, short plain text for people."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports this module for every command, --help included
    from crawler.extract.model import Extraction


# C0 controls but tab and newline, DEL and the C1 range: crawled text may carry escape
# sequences (\x1b[…) that would drive the user's terminal; JSON escapes them itself.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text fit for a terminal: control characters shown as visible escapes."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def emit(args: Any, data: Any, as_text: Callable[[Any], str], text_is_safe: bool = False) -> None:
    """``text_is_safe``: as_text made its text terminal-safe itself (to add its own bold)."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, default=str, indent=None))
    else:
        text = as_text(data)
        print(text if text_is_safe else terminal_safe(text))


def extraction_dict(ex: Extraction) -> dict[str, Any]:
    """The `extract --json` shape (issue-defined keys first)."""
    d = ex.to_dict()
    return {
        "title": d["title"],
        "doc_number": d["doc_number"],
        "doc_number_raw": d["doc_number_raw"],
        "agency": d["agency"],
        "agency_short": d["agency_short"],
        "published_date": d["published_date"],
        "signed_date": d["signed_date"],
        "index_number": d["index_number"],
        "category": d["category"],
        "region": d["region"],
        "doc_type": d["doc_type"],
        "status": d["status"],
        "topics": d["topics"],
        "topic_terms": d["topic_terms"],
        "cited_doc_numbers": d["cited_doc_numbers"],
        "attachments": d["attachments"],
        "encoding": d["encoding"],
        "provenance": d["provenance"],
        "text": d["text"],
    }


# 文号 longer than this (joint announcements name every issuer) are cut in tables; --json has them whole
DOC_NUMBER_WIDTH = 30


def table(rows: Sequence[Sequence[Any]], header: Sequence[str] | None = None, *,
          right: Collection[int] = (), indent: str = "", widest: dict[int, int] | None = None) -> list[str]:
    """Rows laid out in columns, one line each, the header's first when there is one.

    Every command's table goes through here, so that a column is as wide as its widest cell
    in terminal columns (a CJK character takes two: the 文号 and titles are Chinese) and
    the next column starts at the same place on every row. Plain text, pipes included:
    no borders, no colours, two spaces between columns, no trailing spaces. Cells are made
    terminal-safe; None shows as "-"; ``right`` holds the indexes of right-aligned columns.
    Callers put their own lines between the rows (a snippet, a row's errors). ``widest``
    caps a column (index → terminal columns): a longer cell ends in "…", so one joint
    announcement number of six issuers does not push every title off the screen.
    """
    if not rows and header is None:
        return []
    # rich costs ~40 ms to import: only the commands that print a table pay it, not --help
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=None, show_header=header is not None, show_edge=False, pad_edge=False,
                 padding=(0, 1), header_style=None)
    for i, name in enumerate(header if header is not None else rows[0]):
        grid.add_column(Text(name) if header is not None else None,
                        justify="right" if i in right else "left", no_wrap=True,
                        max_width=(widest or {}).get(i), overflow="ellipsis")
    for row in rows:
        # Text, not str: rich would read [brackets] in a title as markup and :name: as emoji
        grid.add_row(*(Text(terminal_safe(str(c if c is not None else "-"))) for c in row))
    # wide enough never to wrap or cut a cell; render_lines gives the text without styles
    console = Console(width=1_000_000, color_system=None, force_terminal=False, legacy_windows=False)
    lines = console.render_lines(grid, console.options, pad=False, new_lines=False)
    return [(indent + "".join(seg.text for seg in line)).rstrip() for line in lines]


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 source``, ``2 sources``: a count with its noun."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def crawl_text(s: dict[str, Any]) -> str:
    cols = ("source", "status", "pages", "new docs", "new vers", "unchanged", "off-topic", "errors")
    rows = [[r["source"], r["status"], r["pages"], r["new_documents"], r["new_versions"], r["unchanged"],
             r["offtopic"], r["errors"]] for r in s["sources"]]
    rows.append(["total", "ok" if s["ok"] else "with failures", s["pages"], s["new_documents"],
                 s["new_versions"], s["unchanged"], s["offtopic"], s["errors"]])
    head, *laid, total = table(rows, cols)
    lines = [head]
    for r, line in zip(s["sources"], laid):
        lines.append(line)
        if r["error_kinds"]:
            kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(r["error_kinds"].items()))
            lines.append(f"    errors: {kinds}")
            for sample in r["error_samples"][:2]:
                lines.append(f"      {sample}")
        if r.get("note"):
            lines.append(f"    note: {r['note']}")
    lines.append(total)
    lines.append(f"archive now holds {plural(s['documents'], 'document')}")
    return "\n".join(lines)


BOLD, RESET = "\x1b[1m", "\x1b[0m"


def _marked(text: str, marks: list[Any], bold: bool) -> str:
    """The snippet made terminal-safe, its matches in bold when ``bold``."""
    if not bold:
        return terminal_safe(text)
    out, at = [], 0
    for start, end in marks:
        out.append(terminal_safe(text[at:start]) + BOLD + terminal_safe(text[start:end]) + RESET)
        at = end
    return "".join(out) + terminal_safe(text[at:])


def search_text(result: dict[str, Any], bold: bool = False) -> str:
    total, hits = result["total"], result["hits"]
    found = f"{plural(total, 'notice')} match{'es' if total == 1 else ''}"
    if not hits:
        return "no matching notices" if total == 0 else f"{found}; page {result['page']} is past the last ({result['pages']})"
    first = (result["page"] - 1) * result["limit"] + 1
    lines = [f"{found}, showing {first}-{first + len(hits) - 1} (page {result['page']} of {result['pages']})"]
    rows = [(h["id"], h.get("published_date") or h.get("signed_date") or "", h.get("doc_number") or "",
             h.get("title") or "(untitled)") for h in hits]
    under_date = " " * (max(len(str(h["id"])) for h in hits) + 2)  # the id column and its gap
    for h, line in zip(hits, table(rows, right=(0,), widest={2: DOC_NUMBER_WIDTH})):
        lines.append(line)
        if h.get("snippet_text"):
            lines.append(under_date + _marked(h["snippet_text"], h.get("marks") or [], bold))
    for name, values in (result.get("facets") or {}).items():
        if values:
            lines.append(terminal_safe(f"{name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values)))
    return "\n".join(lines)


def attachment_text(d: dict[str, Any]) -> str:
    """`attachment`: what it is, then the text read from it."""
    note = f"{d['text_chars']} characters of text" if d["state"] == "ok" else f"{d['state']}: {d.get('error') or 'no text'}"
    lines = [f"attachment #{d['id']} of document #{d['document_id']} ({d.get('document_title') or 'untitled'}): "
             f"{d.get('name') or ''}",
             f"{d['kind']}, {d['raw_size']} bytes, {note}", f"from {d['url']}", ""]
    return "\n".join([*lines, d["text"]]) if d["text"] else "\n".join(lines[:3])


def new_text(d: dict[str, Any]) -> str:
    rows = [(r["id"], str(r["first_seen"])[:16], r.get("doc_number") or "", r.get("title") or "(untitled)")
            for r in d["documents"]]
    heading = f"{plural(d['count'], 'notice')} arrived since {d['since'][:19]}"
    return "\n".join([heading, *table(rows, right=(0,), widest={2: DOC_NUMBER_WIDTH})])


def document_text(d: dict[str, Any]) -> str:
    """`show`: labels in English throughout; the values are the notice's own (Chinese)."""
    labels = [
        ("title", "title"), ("doc_number", "document number"), ("agency", "issued by"),
        ("signed_date", "signed"), ("published_date", "published"), ("index_number", "index number"),
        ("region", "region"), ("doc_type", "type"), ("status", "status"), ("topics", "topics"),
    ]
    lines = [f"document #{d['id']}"]
    for key, label in labels:
        value = d.get(key)
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            lines.append(f"{label}: {value}")
    urls = d.get("urls") or []
    lines.append(f"carried by {plural(len(urls), 'URL')}:")
    lines += table([(u["source_id"], u["kind"], u["url"],
                     f"first seen {str(u['first_seen'])[:10]}, last seen {str(u['last_seen'])[:10]}"
                     + ("  (authoritative)" if u.get("authoritative") else "")) for u in urls], indent="  ")
    versions = d.get("versions") or []
    lines.append(f"versions: {len(versions)}")
    for v in versions:
        mark = "  (current)" if v.get("is_current") else ""
        lines.append(f"  {v['seq']}: first seen {str(v['first_seen'])[:10]}, last seen {str(v['last_seen'])[:10]}, "
                     f"{v['characters']} characters, from {v['source_id']}{mark}")
    attachments = d.get("attachments") or []
    if attachments:
        # The same file on two versions is two rows: each says whose it is.
        seq = {v["id"]: v["seq"] for v in versions}
        lines.append(f"attachments: {len(attachments)}")
        for a in attachments:
            note = f"{a['text_chars']} characters of text" if a["text_chars"] else (a.get("error") or "no text")
            lines.append(f"  version {seq.get(a['version_id'], '?')}: {a.get('name') or ''} "
                         f"({a['kind']}, {a['raw_size']} bytes, {note})  {a['url']}")
    if d.get("draft_of_id"):
        lines.append(f"final text of the draft #{d['draft_of_id']}")
    if d.get("final_ids"):
        lines.append("draft; final text: " + ", ".join(f"#{i}" for i in d["final_ids"]))
    for key, label in (("citations", "cites"), ("cited_by", "cited by")):
        refs = d.get(key) or []
        if refs:
            lines.append(f"{label}: " + "; ".join(_ref(r) for r in refs))
    lines.append("")
    lines.append(d.get("text") or "")
    return "\n".join(lines)


def _ref(r: dict[str, Any]) -> str:
    parts = [r.get("doc_number") or "", r.get("title") or ""]
    text = " ".join(p for p in parts if p)
    return f"{text} (#{r['document_id']})" if r.get("document_id") else text


def runs_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no crawl runs yet"
    cells = [(f"#{r['id']}", r["source_id"], r.get("trigger", ""), str(r.get("started_at", ""))[:19], r["status"],
              f"pages {r.get('pages', 0)}, new {r.get('new_documents', 0)}, versions {r.get('new_versions', 0)}, "
              f"off-topic {r.get('offtopic', 0)}, errors {r.get('errors', 0)}") for r in rows]
    out = []
    for r, line in zip(rows, table(cells)):
        out.append(line)
        kinds = _kinds(r)
        if kinds:
            out.append(f"      {kinds}")
    return "\n".join(out)


def _kinds(r: dict[str, Any]) -> str:
    counts = (r.get("error_summary") or {}).get("counts") or {}
    return ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items()))


def run_text(r: dict[str, Any]) -> str:
    lines = [runs_text([r])]
    dropped = [f"{name} {r.get(name, 0)}" for name in ("offtopic", "duplicates", "robots", "errors") if r.get(name)]
    if dropped:
        lines.append("dropped: " + ", ".join(dropped))
    failures = r.get("failures") or []
    laid = table([(f["kind"], (f["url"] or "-") + (f" ×{f['attempts']}" if f.get("attempts", 1) > 1 else ""))
                  for f in failures], indent="  ")
    for f, line in zip(failures, laid):
        lines.append(line)
        lines.append(f"      {f['message']}")
    return "\n".join(lines)


def _titled(title: str, rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> list[str]:
    return [title, *table(rows, header, indent="  "), ""]


def stats_text(s: dict[str, Any]) -> str:
    totals = [k for k, v in s.items() if not isinstance(v, (dict, list))]
    lines = _titled("archive", [(k.replace("_", " "), s[k]) for k in totals], ("what", "count"))
    for key, label in (("by_topic", "topic"), ("by_region", "region"), ("by_year", "year")):
        if s.get(key):
            lines += _titled(f"documents by {label}", list(s[key].items()), (label, "documents"))
    if s.get("by_source"):
        rows = [(src, v["documents"], v["pages"], v["captures"]) for src, v in s["by_source"].items()]
        lines += _titled("by source", rows, ("source", "documents", "pages", "captures"))
    return "\n".join(lines).rstrip()


def extraction_text(r: dict[str, Any]) -> str:
    head = [f"== {r['path']}"]
    for key in ("title", "doc_number", "agency", "signed_date", "published_date", "index_number",
                "region", "doc_type", "status", "topics", "cited_doc_numbers"):
        value = r.get(key)
        if value:
            head.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return "\n".join(head + ["", r.get("text") or ""])
