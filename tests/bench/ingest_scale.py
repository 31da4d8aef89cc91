"""Per-page ingest cost at two archive sizes: does ingest slow down as the archive grows?

    python tests/bench/ingest_scale.py [--small 1000] [--large 20000] [--sample 200]
                                       [--backend postgresql+psycopg://user@host/db]

Builds an archive by real ``ingest`` of a generated crawl (tests/bench/notice_stream.py:
new notices, aggregator copies, revisions, unchanged re-fetches, off-topic pages) up to
``small`` documents, times the ingest of ``sample`` further fresh notice pages one by one
(``ingest`` as the pipeline calls it, ``prepare`` included: normalize + MinHash), and
the same in a second archive of the same stream filled to ``large`` documents, the
sample pages of the two interleaved. Prints JSON: ms per page at both sizes
(median and mean) and their ratio; flat ingest means a ratio near 1.

SQLite: a fresh file in a temporary folder. PostgreSQL: a schema of its own on the given
server, dropped afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from storage import crawl_runs  # noqa: E402
from storage.api import ingest, open_archive  # noqa: E402
from storage.ingest import record_offtopic  # noqa: E402
from tests.bench.notice_stream import NoticeStream, registry_sources  # noqa: E402


@contextmanager
def bench_archive(backend_url: str | None) -> Iterator:
    if backend_url is None or backend_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            archive = open_archive(backend_url or f"sqlite:///{tmp}/ingest_scale.db")
            try:
                yield archive
            finally:
                archive.dispose()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(backend_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"pa_bench_ingest_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    archive = None
    try:
        archive = open_archive(url.update_query_dict({"options": f"-csearch_path={schema}"})
                               .render_as_string(hide_password=False))
        yield archive
    finally:
        if archive is not None:
            archive.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Builder:
    def __init__(self, archive, seed: int) -> None:
        self.archive = archive
        self.stream = NoticeStream(seed)
        crawl_runs.sync_sources(archive, registry_sources())
        self.runs = {s.id: crawl_runs.start_run(archive, s.id, "cli") for s in registry_sources()}
        self.documents = 0
        self.pages = 0

    def _ingest(self, record) -> None:
        run_id = self.runs[record.source_id]
        if record.extraction.on_topic:
            if ingest(self.archive, record, run_id).outcome == "new_document":
                self.documents += 1
        else:
            record_offtopic(self.archive, record, run_id)
        self.pages += 1

    def fill_to(self, documents: int, progress: bool) -> None:
        started = time.perf_counter()
        while self.documents < documents:
            self._ingest(self.stream.mixed()[1])
            if progress and self.pages % 1000 == 0:
                rate = self.pages / (time.perf_counter() - started)
                print(f"  {self.documents} documents, {self.pages} pages ({rate:.0f} pages/s so far)", file=sys.stderr)

    def timed_fresh(self, sample: int) -> list[float]:
        out = []
        for _ in range(sample):
            record = self.stream.fresh()
            start = time.perf_counter()
            self._ingest(record)
            out.append((time.perf_counter() - start) * 1000)
        return out


def measure(backend_url: str | None = None, small: int = 1000, large: int = 20000, sample: int = 200,
            seed: int = 2024, progress: bool = False) -> dict:
    """Ingest ms per fresh page at ``small`` and at ``large`` archived documents.

    Two archives of the same stream, one filled to ``small`` and one to ``large``; the
    sample pages then go into both in turn (small, large, small, …), so a change of the
    machine's load while they are timed weighs on both sizes alike.
    """
    started = time.perf_counter()
    with bench_archive(backend_url) as small_archive, bench_archive(backend_url) as large_archive:
        at_small_builder = Builder(small_archive, seed)
        at_small_builder.fill_to(small, progress)
        at_large_builder = Builder(large_archive, seed)
        at_large_builder.fill_to(large, progress)
        build_seconds = time.perf_counter() - started
        at_small: list[float] = []
        at_large: list[float] = []
        for _ in range(sample):
            at_small += at_small_builder.timed_fresh(1)
            at_large += at_large_builder.timed_fresh(1)
        dialect = large_archive.dialect
        pages, documents = at_large_builder.pages, at_large_builder.documents
    small_ms, large_ms = statistics.median(at_small), statistics.median(at_large)
    return {
        "backend": dialect,
        "small": small,
        "large": large,
        "sample": sample,
        "ingest_ms_per_page_at_1k": round(small_ms, 2),
        "ingest_ms_per_page_at_20k": round(large_ms, 2),
        "ratio_20k_over_1k": round(large_ms / small_ms, 3),
        "mean_ms_at_1k": round(statistics.fmean(at_small), 2),
        "mean_ms_at_20k": round(statistics.fmean(at_large), 2),
        "ratio_of_means": round(statistics.fmean(at_large) / statistics.fmean(at_small), 3),
        "pages_ingested_large": pages,
        "documents_large": documents,
        "build_seconds": round(build_seconds, 1),
        "load_average": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--progress", action="store_true", help="report the build's progress on stderr")
    args = parser.parse_args()
    # Killed (not interrupted): still drop the PostgreSQL schema on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(json.dumps(measure(args.backend, args.small, args.large, args.sample, args.seed, args.progress), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
