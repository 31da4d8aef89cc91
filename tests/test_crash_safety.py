"""Crash safety with a real process: a crawl's child process SIGKILLed at several points,
then crawled again. Whatever the moment of the kill, the archive holds no partial
document or version, no version without a capture, one document per 文号; an
incremental rerun keeps it so, and a full walk ends with the archive a clean crawl makes.

(An incremental rerun alone does not reach the notices a killed crawl never got to when
they sit on listing pages after a page of known ones: the walk stops there. Backfill is
the full walk; closing killed runs, and walking on after one, is the run-keeping side's.)"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.server import SAMPLE_ORIGIN, SampleServer, sample_registry_path
from spiders.registry import load_registry
from storage import crawl_runs
from storage.api import open_archive
from storage.models import Capture, Document, Version

ROOT = Path(__file__).resolve().parents[1]


def _sources():
    return [s for s in load_registry(sample_registry_path()).values() if s.enabled]


def _settings(server):
    return {**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": server.host_map(), "POLICY_PROGRESS": False}


def _pages(url) -> int:
    with open_archive(url) as archive, archive.session() as s:
        return s.scalar(select(func.count()).select_from(Capture).where(Capture.part_no == 0)) or 0


def _crawl_and_kill(url, server, tmp_path, after_pages: int) -> int:
    """Start the crawler child the way run_crawl does, SIGKILL it once ``after_pages`` pages are stored."""
    sources = _sources()
    with open_archive(url) as archive:
        crawl_runs.sync_sources(archive, [s.with_base(SAMPLE_ORIGIN) for s in sources])
        run_ids = {s.id: crawl_runs.start_run(archive, s.id, "cli") for s in sources}
        db_url = archive.url
    spec = {"db_url": db_url, "registry": str(sample_registry_path()), "sources": [s.id for s in sources],
            "base": SAMPLE_ORIGIN, "run_ids": run_ids, "trigger": "cli", "settings": _settings(server)}
    spec_path = tmp_path / f"spec-{after_pages}.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "crawler.run.crawl_child", str(spec_path)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = _pages(url)
    deadline = time.monotonic() + 120
    try:
        while _pages(url) - start < after_pages:
            if child.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the crawl ended before {after_pages} pages (rc {child.returncode})")
            time.sleep(0.02)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
    return child.returncode


def _check_whole(url) -> dict:
    with open_archive(url) as archive, archive.session() as s:
        docs = s.scalars(select(Document)).all()
        for doc in docs:
            versions = s.scalars(select(Version).where(Version.document_id == doc.id)).all()
            assert versions, f"document {doc.id} without a version"
            assert doc.current_version_id in {v.id for v in versions}, f"document {doc.id} has no current text"
        orphans = s.scalars(
            select(Version.id).where(~select(Capture.id).where(Capture.version_id == Version.id).exists())).all()
        assert orphans == [], f"versions without a capture: {orphans}"
        numbers = s.execute(select(Document.doc_number, func.count()).where(Document.doc_number.is_not(None))
                            .group_by(Document.doc_number).having(func.count() > 1)).all()
        assert numbers == [], f"one 文号, several documents: {numbers}"
        # A page's parts were written with it: no page stored with only some of its parts.
        parts = s.execute(select(Capture.id, Capture.part_no, Capture.url).order_by(Capture.id)).all()
        for (cid, no, u), nxt in zip(parts, parts[1:] + [(None, 0, None)]):
            if "80531" in u and no == 0:
                assert nxt[1] == 1, f"page {u} stored without its second part"
        return {"documents": len(docs),
                "versions": s.scalar(select(func.count()).select_from(Version)),
                "numbers": sorted(d.doc_number for d in docs if d.doc_number)}


PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def _pg_schemas(n: int) -> Iterator[list[str]]:
    """URLs of ``n`` empty schemas of their own on the test server, dropped afterwards."""
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL not reachable at 127.0.0.1:5432: {type(exc).__name__}"
        if os.environ.get("POLICY_ARCHIVE_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    names = [f"pa_crash_{uuid.uuid4().hex[:12]}" for _ in range(n)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield [f"{PG_SERVER}?options=-csearch_path%3D{name}" for name in names]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.mark.parametrize("kill_points", [(1, 8, 20)], ids=["three-kills"])
def test_a_killed_crawl_leaves_a_whole_archive_and_the_rerun_completes_it(tmp_path, kill_points):
    _kill_and_rerun(f"sqlite:///{tmp_path / 'killed.db'}", f"sqlite:///{tmp_path / 'clean.db'}", tmp_path, kill_points)


@pytest.mark.postgres
def test_a_killed_crawl_on_postgresql_leaves_a_whole_archive(tmp_path):
    # Pages are written several to a transaction there too (storage/write_group.py),
    # holding identity locks until the group's commit.
    with _pg_schemas(2) as (killed_url, clean_url):
        _kill_and_rerun(killed_url, clean_url, tmp_path, (1, 8, 20))


def _kill_and_rerun(killed_url: str, clean_url: str, tmp_path: Path, kill_points: tuple[int, ...]) -> None:
    with SampleServer() as server:
        for n in kill_points:
            assert _crawl_and_kill(killed_url, server, tmp_path, n) == -signal.SIGKILL
            _check_whole(killed_url)
        for url, full in ((killed_url, False), (killed_url, True), (clean_url, False)):
            summary = run_crawl(_sources(), db_url=url, registry_path=sample_registry_path(), base=SAMPLE_ORIGIN,
                                settings={**_settings(server), "POLICY_FULL_WALK": full}, timeout=300, progress=False)
            assert summary.ok, summary.to_dict()
            _check_whole(url)
    assert _check_whole(killed_url) == _check_whole(clean_url)
