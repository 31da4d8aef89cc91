"""Extraction without the archive: extract."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from crawler.cli import output
from crawler.cli.common import PROG, common


def register(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        parents=[common(json_flag=True)],
        help="extract text and metadata from saved pages and documents (HTML, text, PDF, DOCX, DOC, WPS, XLS, XLSX, OFD)",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--url", help="the URL the page was fetched from")
    p.set_defaults(func=cmd_extract)


def extract_file(path: str, url: str | None) -> dict[str, Any]:
    """One saved file's extraction as the `extract --json` object; a page's and an
    attachment's alike (an attachment's text goes through the same metadata rules).

    The caps a crawl's extraction works under apply: a page over POLICY_MAX_PAGE_BYTES is
    refused, an attachment past its format's unpacked-size cap or its reading time too
    (crawler/extract/attachment/limits.py), and so is a file that takes more memory than
    an extraction worker may (crawler/work/pool_worker.py); each with its reason."""
    from crawler import settings as project
    from crawler.cli.pagefile import NotAPageError, read_input
    from crawler.work.pool_worker import MEMORY_HEADROOM, memory_ceiling

    kind, body = read_input(path)
    cap = int(os.environ.get("POLICY_MAX_PAGE_BYTES") or project.POLICY_MAX_PAGE_BYTES)
    if kind == "html" and len(body) > cap:
        raise NotAPageError(f"{path}: refused: a page of {len(body)} bytes, over the {cap}-byte page cap "
                            f"(POLICY_MAX_PAGE_BYTES)")
    try:
        with memory_ceiling():
            return _extract(path, url, kind, body)
    except MemoryError:
        raise NotAPageError(f"{path}: refused: extracting it needs more than the "
                            f"{MEMORY_HEADROOM // 2**20} MiB an extraction may take") from None


def _extract(path: str, url: str | None, kind: str, body: bytes) -> dict[str, Any]:
    from crawler.cli.pagefile import NotAPageError
    from crawler.extract import extract_page
    from crawler.extract.attachment import AttachmentError, attachment_text
    from crawler.extract.plaintext import extract_text

    if kind == "html":
        extraction = extract_page(body, url)
    else:
        try:
            text = attachment_text(body, kind, path)
        except AttachmentError as exc:
            raise NotAPageError(f"{path}: {exc}") from None
        if not text:
            raise NotAPageError(f"{path}: no text in this {kind.upper()} file (a scan needs OCR)")
        extraction = extract_text(text, url)
    return {"path": path, "kind": kind, **output.extraction_dict(extraction)}


def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.cli.pagefile import NotAPageError

    failures = 0
    results = []  # --json: one JSON array, of one file or many, like every other --json
    for path in args.paths:
        try:
            result = extract_file(path, args.url)
        except NotAPageError as exc:
            failures += 1
            result = {"path": path, "error": str(exc)}
        except Exception as exc:  # one bad file must not stop the others
            failures += 1
            result = {"path": path, "error": f"{type(exc).__name__}: {exc}"}
        if args.json:
            results.append(result)
        elif "error" in result:
            print(f"{PROG}: error: {result['error']}", file=sys.stderr)
        else:
            print(output.terminal_safe(output.extraction_text(result)), flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 1 if failures else 0
