"""Throughput and memory of the pipeline's stages, on the bundled sample pages.

    python tests/bench/run_bench.py [--rounds N] [--json]

Prints pages/s for decoding + extraction, for ingest into a fresh SQLite archive
(new documents, then a re-ingest of identical pages), and the whole offline crawl of
the sample sites, with the peak resident memory. Numbers, not pass/fail: compare runs.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import tomllib
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.extract import extract_page  # noqa: E402
from crawler.sampleserver import SampleServer, sample_registry_path, sample_root  # noqa: E402
from storage import CapturedPart, PageRecord, crawl_runs, ingest, open_archive  # noqa: E402


def sample_pages() -> list[tuple[str, list[bytes]]]:
    expected = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))
    www = sample_root()
    return [(p["path"], [(www / part.lstrip("/")).read_bytes() for part in p["parts"]]) for p in expected["page"]]


def bench_extract(pages, rounds: int) -> tuple[float, list]:
    results = []
    start = time.perf_counter()
    for _ in range(rounds):
        results = [extract_page(parts[0], "http://bench" + path, more_pages=parts[1:]) for path, parts in pages]
    return rounds * len(pages) / (time.perf_counter() - start), results


def bench_ingest(pages, extractions) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = open_archive(f"sqlite:///{tmp}/bench.db")
        from spiders.registry import Source

        crawl_runs.sync_sources(archive, [Source(id="bench", name="bench", kind="gov", family="generic", start_urls=("x",))])
        now = datetime.now(timezone.utc)
        records = [
            PageRecord("bench", "gov", [CapturedPart("http://bench" + path, "http://bench" + path, 200, parts[0], now)], ex)
            for (path, parts), ex in zip(pages, extractions)
            if ex.topics
        ]
        out = {}
        for label in ("new", "again"):
            start = time.perf_counter()
            for record in records:
                ingest(archive, replace(record))
            out[f"ingest_{label}_pages_per_s"] = len(records) / (time.perf_counter() - start)
        archive.dispose()
    return out


def bench_crawl() -> float:
    from crawler.crawl_process import LOOPBACK_SETTINGS, run_crawl
    from spiders.registry import load_registry

    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]
    with tempfile.TemporaryDirectory() as tmp, SampleServer(sample_root()) as server:
        start = time.perf_counter()
        summary = run_crawl(sources, db_url=f"sqlite:///{tmp}/crawl.db", registry_path=registry,
                            base=server.base_url, settings=LOOPBACK_SETTINGS, progress=False)
        elapsed = time.perf_counter() - start
    return summary.total("pages") / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pages = sample_pages()
    extract_rate, extractions = bench_extract(pages, args.rounds)
    numbers = {"pages": len(pages), "extract_pages_per_s": extract_rate, **bench_ingest(pages, extractions)}
    numbers["crawl_pages_per_s"] = bench_crawl()
    numbers["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(numbers))
    else:
        for key, value in numbers.items():
            print(f"{key:28} {value:10.1f}" if isinstance(value, float) else f"{key:28} {value:10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
