"""CPU-ms per page by stage, on one core, for the pages of a generated bench site.

    python tests/bench/stage_cpu.py [--notices 300] [--chrome portal|minimal]

What a crawl's two kinds of process spend on each page, taken apart: the extraction
worker's stages (our extraction, trafilatura's share of it, normalization, MinHash, the
search tokens) and the archive writer's ingest stages (identity, new document/version,
captures, citations, search index, run counters, and the transaction with its commit),
beside bare ``trafilatura.extract`` on the same bytes. The stages are timed by wrapping
the functions each stage is made of, in this process only, with this thread's CPU time
(time.thread_time: what the machine gives other processes is not counted). crawl_speed.py
runs it next to the real crawl, whose measured CPU per page it complements.
Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.samples.gen.bench import build_site  # noqa: E402

# stage name -> (module, attribute): the functions whose CPU time is the stage's
WORKER_STAGES = {
    "trafilatura": ("crawler.extract.maintext", "trafilatura.extract"),
    "fold": ("storage.prepared", "search_tokens.normalize"),  # NFKC + casefold, for both forms below
    "normalization": ("storage.prepared", "drop_noise"),
    "minhash": ("storage.prepared", "neardup.minhash_signature"),
    "tokens": ("storage.prepared", "search_tokens.body_tokens"),
}
# ingest's stages: the functions storage/ingest.py calls for a page, by stage name
INGEST_STAGES = {stage: ("storage.ingest", fn) for stage, fn in (
    ("identity", "find_document"), ("draft_partner", "find_draft_partner"), ("new_document", "new_document"),
    ("new_version", "new_version"), ("place_version", "place_version"), ("captures", "add_captures"),
    ("attachments", "add_attachments"), ("metadata", "update_document"), ("citations", "record_citations"),
    ("resolve_citations", "resolve_citations_to"), ("run_counters", "count_page"), ("search_index", "index_document"),
)}


class StageClock:
    """CPU seconds per stage; nested stages are not subtracted from their callers."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] += time.thread_time() - start
        return timed

    @contextmanager
    def patched(self, stages: dict[str, tuple[str, str]]) -> Iterator[None]:
        import importlib

        undo = []
        for name, (module_name, path) in stages.items():
            owner: Any = importlib.import_module(module_name)
            *parents, attr = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, attr)
            setattr(owner, attr, self.wrap(name, original))
            undo.append((owner, attr, original))
        try:
            yield
        finally:
            for owner, attr, original in reversed(undo):
                setattr(owner, attr, original)


def _item(path: Path, url: str) -> Any:
    from crawler.items import CapturedPart, PageItem

    part = CapturedPart(url=url, final_url=url, status=200, body=path.read_bytes(),
                        fetched_at=datetime.now(timezone.utc), content_type="text/html; charset=utf-8")
    return PageItem(source_id="", parts=[part])


def measure(files: list[Path], www: Path, registry: Path, base: str = "http://127.0.0.1:1",
            group_pages: int | None = None) -> dict[str, Any]:
    """CPU-ms per page of each stage over ``files`` (detail pages under ``www``). Ingest
    writes ``group_pages`` pages per transaction (storage/write_group.py; default: as a
    crawl does; 1: a transaction per page)."""
    import trafilatura

    from crawler.work.page_work import prepare_item, warm_up
    from spiders.registry import load_registry
    from storage.db import open_archive
    from storage.ingest import ingest, record_offtopic

    source = next(iter(load_registry(registry).values()))
    items = []
    for f in files:
        item = _item(f, f"{base}/{f.relative_to(www).as_posix()}")
        item.source_id = source.id
        items.append(item)
    warm_up()
    bare = StageClock()
    extract = trafilatura.extract  # the unwrapped function: the worker's stage wraps the module's
    timed_bare = bare.wrap("bare_trafilatura", lambda body: extract(body.decode("utf-8")))
    for item in items[:5]:
        trafilatura.extract(item.parts[0].body.decode("utf-8"))
    worker = StageClock()
    records = []
    timed_prepare = worker.wrap("worker_total", prepare_item)
    with worker.patched(WORKER_STAGES):
        for item in items:
            timed_bare(item.parts[0].body)  # page by page, so load falls on both alike
            records.append(timed_prepare(item, source))
    writer = StageClock()
    with tempfile.TemporaryDirectory(prefix="stage-cpu-") as tmp, open_archive(f"sqlite:///{tmp}/a.db") as archive:
        from storage.write_group import DEFAULT_MAX_PAGES, WriteGroup

        pages = DEFAULT_MAX_PAGES if group_pages is None else group_pages
        target: Any = WriteGroup(archive, pages, max_seconds=3600) if pages > 1 else archive
        timed_ingest = writer.wrap("ingest_total", ingest)
        timed_offtopic = writer.wrap("ingest_total", record_offtopic)
        timed_commit = writer.wrap("ingest_total", lambda: target.commit() if target is not archive else None)
        with writer.patched(INGEST_STAGES):
            for record in records:
                (timed_ingest if record.extraction.on_topic else timed_offtopic)(target, record)
            timed_commit()
    n = len(items)
    ms = {k: round(v * 1000 / n, 2) for k, v in (bare.spent | worker.spent | writer.spent).items()}
    inner = sum(ms.get(k, 0.0) for k in INGEST_STAGES)
    ms["transaction_and_commit"] = round(ms["ingest_total"] - inner, 2)
    ms["our_extraction"] = round(ms["worker_total"] - sum(ms.get(k, 0.0) for k in WORKER_STAGES), 2)
    return {
        "pages": n,
        "pages_per_transaction": pages,
        "bare_trafilatura_ms": ms["bare_trafilatura"],
        "worker_ms": {k: ms.get(k, 0.0) for k in ("worker_total", "our_extraction", *WORKER_STAGES)},
        "ingest_ms": {k: ms.get(k, 0.0) for k in ("ingest_total", "transaction_and_commit", *INGEST_STAGES)},
        "note": "our_extraction excludes trafilatura, normalization, minhash and tokens; "
                "transaction_and_commit is ingest_total less its named stages (locks, BEGIN, flush, COMMIT)",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--chrome", choices=("portal", "minimal"), default="portal")
    parser.add_argument("--group", type=int, default=None, help="pages per ingest transaction (default: a crawl's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stage-cpu-site-") as tmp:
        site = build_site(Path(tmp) / "site", args.notices, chrome=args.chrome)
        print(json.dumps(measure(site.detail_files(), site.www, site.registry, group_pages=args.group), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
