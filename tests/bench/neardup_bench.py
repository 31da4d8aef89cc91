"""Near-duplicate lookup time against a large archive, on SQLite and PostgreSQL.

    python tests/bench/neardup_bench.py [--sizes 10000 100000] [--lookups 300] [--pg URL] [--json]

Fills a fresh archive per size with documents, versions and their LSH bands directly
in bulk (not through ingest, which would take far longer than the lookup it measures),
then times ``storage.identity.near_duplicates``: the indexed band query plus the
Jaccard check of the candidates, half the lookups a perturbed copy of an archived
version (a hit), half a text the archive has never seen (a miss). Prints ms per lookup.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from storage import neardup  # noqa: E402
from storage.api import open_archive  # noqa: E402
from storage.identity import band_candidates, near_duplicates  # noqa: E402
from storage.models import Document, Source, Version, VersionBand  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_CHUNK = 5000


def random_signature(rng: np.random.Generator) -> neardup.MinHashSignature:
    return neardup.MinHashSignature(rng.integers(0, 2**32, neardup.NUM_PERM, dtype=np.uint32))


def perturbed(sig: neardup.MinHashSignature, rng: np.random.Generator, share: float = 0.9) -> neardup.MinHashSignature:
    """A near copy: ``share`` of the values kept, the rest redrawn."""
    values = sig.values.copy()
    redraw = rng.random(len(values)) >= share
    values[redraw] = rng.integers(0, 2**32, int(redraw.sum()), dtype=np.uint32)
    return neardup.MinHashSignature(values)


def fill(archive, n: int, seed: int = 7) -> list[neardup.MinHashSignature]:
    """n documents with one version each and its bands; returns a sample of their signatures."""
    rng = np.random.default_rng(seed)
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    kept: list[neardup.MinHashSignature] = []
    with archive.engine.begin() as conn:
        conn.execute(insert(Source), [{"id": "bench", "name": "bench", "kind": "gov", "family": "generic",
                                       "enabled": True, "created_at": now, "updated_at": now}])
        for start in range(1, n + 1, _CHUNK):
            ids = range(start, min(start + _CHUNK, n + 1))
            sigs = [random_signature(rng) for _ in ids]
            kept.extend(sigs[:: max(1, len(sigs) // 20)])
            conn.execute(insert(Document), [{"id": i, "topics": [], "field_sources": {}, "first_seen": now,
                                             "last_seen": now} for i in ids])
            conn.execute(insert(Version), [
                {"id": i, "document_id": i, "text": "", "text_hash": f"{i:064x}", "signature": s.to_bytes(),
                 "signature_scheme": s.scheme, "first_seen": now, "last_seen": now, "source_id": "bench"}
                for i, s in zip(ids, sigs)
            ])
            bands = [(i, no, h) for i, s in zip(ids, sigs) for no, h in s.bands()]
            _bulk_bands(conn, bands)
        # Only our tables: a database-wide ANALYZE waits on every other open transaction.
        for table in ("document", "version", "version_band"):
            conn.execute(text(f"ANALYZE {table}"))
    return kept


def _bulk_bands(conn, rows: list[tuple[int, int, int]]) -> None:
    if conn.dialect.name == "postgresql":
        with conn.connection.driver_connection.cursor() as cur:
            with cur.copy("COPY version_band (version_id, band_no, band_hash) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        conn.execute(insert(VersionBand), [{"version_id": v, "band_no": b, "band_hash": h} for v, b, h in rows])


def plan(archive, sig: neardup.MinHashSignature) -> str:
    """The backend's plan for the band query, as text."""
    stmt, params = band_candidates(sig)
    prefix = "EXPLAIN QUERY PLAN " if archive.dialect == "sqlite" else "EXPLAIN "
    with archive.engine.connect() as conn:
        rows = conn.execute(text(prefix + stmt.text), params).all()
    return "\n".join(str(r[-1]) for r in rows)


def time_lookups(archive, kept, lookups: int, seed: int = 11) -> dict:
    rng = np.random.default_rng(seed)
    queries = [perturbed(kept[i % len(kept)], rng) if i % 2 == 0 else random_signature(rng) for i in range(lookups)]
    hits = 0
    with archive.session() as session:
        for q in queries[:10]:  # warm the caches
            near_duplicates(session, q)
        start = time.perf_counter()
        for q in queries:
            hits += bool(near_duplicates(session, q))
        elapsed = time.perf_counter() - start
    return {"ms_per_lookup": round(1000 * elapsed / lookups, 3), "lookups": lookups, "hits": hits}


def _pg_schema_url(admin_url: str):
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    schema = f"pa_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return admin, schema, f"{admin_url}?options=-csearch_path%3D{schema}"


def bench(backend: str, n: int, lookups: int, pg: str) -> dict:
    if backend == "sqlite":
        tmp = tempfile.TemporaryDirectory()
        url, cleanup = f"sqlite:///{tmp.name}/bench.db", tmp.cleanup
    else:
        admin, schema, url = _pg_schema_url(pg)

        def cleanup() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    try:
        archive = open_archive(url)
        try:
            t0 = time.perf_counter()
            kept = fill(archive, n)
            fill_s = time.perf_counter() - t0
            result = {"backend": backend, "documents": n, "bands": n * neardup.BANDS, "fill_s": round(fill_s, 1),
                      **time_lookups(archive, kept, lookups)}
            uses_index = "ix_version_band_lookup" in plan(archive, kept[0])
            result["plan_uses_index"] = uses_index
            return result
        finally:
            archive.dispose()
    finally:
        cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--pg", default=PG_SERVER, help="PostgreSQL server URL (a schema is made and dropped)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = []
    for backend in args.backends:
        for n in args.sizes:
            r = bench(backend, n, args.lookups, args.pg)
            results.append(r)
            if not args.json:
                print(f"near-duplicate lookup  {backend:10s} {n:>7d} documents ({r['bands']} bands): "
                      f"{r['ms_per_lookup']:.2f} ms/lookup  ({r['hits']}/{r['lookups']} hits, "
                      f"index used: {r['plan_uses_index']}, filled in {r['fill_s']} s)", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
