"""The near-duplicate lookup is answered from the band index on both backends (the plan,
checked), and finds what it should. Speed is in tests/bench/neardup_bench.py."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sqlalchemy import text

from storage.identity import band_candidates, near_duplicates

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import neardup_bench  # noqa: E402


def test_band_lookup_uses_the_index_and_finds_the_near_copy(archive):
    kept = neardup_bench.fill(archive, 3000)
    rng = np.random.default_rng(3)
    plan = neardup_bench.plan(archive, kept[0])
    assert "ix_version_band_lookup" in plan, plan
    if archive.dialect == "sqlite":
        assert "SCAN version_band" not in plan, plan
    else:
        assert "Seq Scan on version_band" not in plan, plan
    with archive.session() as session:
        target = kept[5]
        version_id = session.scalar(text("SELECT id FROM version WHERE signature = :s"), {"s": target.to_bytes()})
        copy = neardup_bench.perturbed(target, rng, share=0.95)
        stmt, params = band_candidates(copy)
        assert session.scalars(stmt, params).first() == version_id
        assert set(near_duplicates(session, copy)) == {version_id}  # documents and versions are 1:1 here
        assert near_duplicates(session, neardup_bench.random_signature(rng)) == {}


def test_the_old_row_value_form_scanned_the_table_on_sqlite(sqlite_url):
    """Why the lookup is written as an OR: SQLite's plan for the row-value IN list."""
    from storage.api import open_archive

    with open_archive(sqlite_url) as archive:
        kept = neardup_bench.fill(archive, 500)
        bands = kept[0].bands()
        values = ", ".join(f"({n}, {h})" for n, h in bands)
        with archive.engine.connect() as conn:
            plan = " ".join(r[-1] for r in conn.execute(text(
                f"EXPLAIN QUERY PLAN SELECT version_id FROM version_band WHERE (band_no, band_hash) IN ({values})")))
    assert "SCAN version_band" in plan
