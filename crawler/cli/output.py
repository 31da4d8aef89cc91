"""How the CLI prints: JSON for machines, short plain text for people."""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
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


def _row(cells: list[Any], widths: list[int]) -> str:
    return "  ".join(str(c if c is not None else "-").ljust(w) for c, w in zip(cells, widths)).rstrip()


def crawl_text(s: dict[str, Any]) -> str:
    cols = ["source", "status", "pages", "new docs", "new vers", "unchanged", "off-topic", "errors"]
    widths = [max(12, *(len(r["source"]) for r in s["sources"])) if s["sources"] else 12, 11, 6, 8, 8, 9, 9, 6]
    lines = [_row(cols, widths)]
    for r in s["sources"]:
        lines.append(_row([r["source"], r["status"], r["pages"], r["new_documents"], r["new_versions"],
                           r["unchanged"], r["offtopic"], r["errors"]], widths))
        if r["error_kinds"]:
            kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(r["error_kinds"].items()))
            lines.append(f"    errors: {kinds}")
            for sample in r["error_samples"][:2]:
                lines.append(f"      {sample}")
        if r.get("note"):
            lines.append(f"    note: {r['note']}")
    lines.append(_row(["total", "ok" if s["ok"] else "with failures", s["pages"], s["new_documents"],
                       s["new_versions"], s["unchanged"], s["offtopic"], s["errors"]], widths))
    lines.append(f"archive now holds {s['documents']} documents")
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
    if not hits:
        return "no matching notices" if total == 0 else f"{total} notices match; page {result['page']} is past the last ({result['pages']})"
    first = (result["page"] - 1) * result["limit"] + 1
    lines = [f"{total} notices match, showing {first}-{first + len(hits) - 1} (page {result['page']} of {result['pages']})"]
    for h in hits:
        date = h.get("published_date") or h.get("signed_date") or ""
        number = h.get("doc_number") or ""
        lines.append(terminal_safe(f"{h['id']:>5}  {date:10}  {number:18}  {h.get('title') or '(untitled)'}"))
        if h.get("snippet_text"):
            lines.append("       " + _marked(h["snippet_text"], h.get("marks") or [], bold))
    return "\n".join(lines)


def new_text(d: dict[str, Any]) -> str:
    lines = [f"{d['count']} notices arrived since {d['since'][:19]}"]
    for r in d["documents"]:
        lines.append(f"{r['id']:>5}  {str(r['first_seen'])[:16]}  {r.get('doc_number') or '':18}  {r.get('title') or '(untitled)'}")
    return "\n".join(lines)


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
    lines.append(f"carried by {len(urls)} URLs:")
    for u in urls:
        mark = "  (authoritative)" if u.get("authoritative") else ""
        lines.append(f"  {u['source_id']:<12} {u['kind']:<10} {u['url']}  "
                     f"first seen {str(u['first_seen'])[:10]}, last seen {str(u['last_seen'])[:10]}{mark}")
    versions = d.get("versions") or []
    lines.append(f"versions: {len(versions)}")
    for v in versions:
        mark = "  (current)" if v.get("is_current") else ""
        lines.append(f"  {v['seq']}: first seen {str(v['first_seen'])[:10]}, last seen {str(v['last_seen'])[:10]}, "
                     f"{v['characters']} characters, from {v['source_id']}{mark}")
    attachments = d.get("attachments") or []
    if attachments:
        lines.append(f"attachments: {len(attachments)}")
        for a in attachments:
            note = f"{a['text_chars']} characters of text" if a["text_chars"] else (a.get("error") or "no text")
            lines.append(f"  {a.get('name') or ''} ({a['kind']}, {a['raw_size']} bytes, {note})  {a['url']}")
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
    out = []
    for r in rows:
        out.append(
            f"#{r['id']:<4} {r['source_id']:<16} {r.get('trigger', ''):<8} {str(r.get('started_at', ''))[:19]}  "
            f"{r['status']:<11} pages {r.get('pages', 0)}, new {r.get('new_documents', 0)}, "
            f"versions {r.get('new_versions', 0)}, off-topic {r.get('offtopic', 0)}, errors {r.get('errors', 0)}"
        )
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
    for f in r.get("failures") or []:
        tries = f" ×{f['attempts']}" if f.get("attempts", 1) > 1 else ""
        lines.append(f"  {f['kind']:<18} {f['url'] or '-'}{tries}")
        lines.append(f"      {f['message']}")
    return "\n".join(lines)


def sources_text(rows: list[dict[str, Any]]) -> str:
    out = []
    for r in rows:
        flag = "" if r["enabled"] else "  (disabled)"
        last = f"last run {r['last_run_status']} {r['last_run_started_at'][:16]}" if r.get("last_run_status") else "never run"
        good = f"good {r['last_good_run_at'][:16]}" if r.get("last_good_run_at") else "good -"
        new = f"new {r['last_new_notice_at'][:16]}" if r.get("last_new_notice_at") else "new -"
        out.append(f"{r['id']:<18} {r['kind']:<10} {r['family']:<11} {r['schedule']:<12} {r.get('health', '-'):<8} "
                   f"{last:<32} {good:<22} {new:<21} {r['name']}{flag}")
    return "\n".join(out)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(title: str, rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> list[str]:
    cells = [[str(c if c is not None else "-") for c in r] for r in [header, *rows]]
    widths = [max(_width(c) for c in col) for col in zip(*cells)]
    lines = ["  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in cells]
    return [title, *lines, ""]


def stats_text(s: dict[str, Any]) -> str:
    totals = [k for k, v in s.items() if not isinstance(v, (dict, list))]
    lines = _table("archive", [(k.replace("_", " "), s[k]) for k in totals], ("what", "count"))
    for key, label in (("by_topic", "topic"), ("by_region", "region"), ("by_year", "year")):
        if s.get(key):
            lines += _table(f"documents by {label}", list(s[key].items()), (label, "documents"))
    if s.get("by_source"):
        rows = [(src, v["documents"], v["pages"], v["captures"]) for src, v in s["by_source"].items()]
        lines += _table("by source", rows, ("source", "documents", "pages", "captures"))
    return "\n".join(lines).rstrip()


def extraction_text(r: dict[str, Any]) -> str:
    head = [f"== {r['path']}"]
    for key in ("title", "doc_number", "agency", "signed_date", "published_date", "index_number",
                "region", "doc_type", "status", "topics", "cited_doc_numbers"):
        value = r.get(key)
        if value:
            head.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return "\n".join(head + ["", r.get("text") or ""])
