"""Ingest locks per document identity on PostgreSQL (storage/locks.py).

Writers of unrelated notices must not wait for each other; writers of pages that could
be one document must, and many of them at once still make one document.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from storage.api import ingest, open_archive
from storage.locks import identity_keys, lock_id
from storage.models import Document
from storage_samples import NOTICE_A, NOTICE_B, page, site_copy

pytestmark = pytest.mark.postgres


def test_keys_are_sorted_and_name_every_identity():
    keys = identity_keys("国办发〔2015〕84号", {"http://a/1", "http://a/1?x"}, "ab" * 32, [(0, 5), (1, -7)], ["沈政发〔2015〕31号", None])
    assert keys == sorted(keys)
    assert {"no:国办发〔2015〕84号", "no:沈政发〔2015〕31号", "url:http://a/1", "text:" + "ab" * 32, "band:1:-7"} <= set(keys)
    assert len({lock_id(k) for k in keys}) == len(keys)


def _waiting_advisory_locks(archive) -> int:
    with archive.session() as s:
        return s.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))


def test_only_writers_sharing_a_key_wait(pg_url):
    archive = open_archive(pg_url)
    holding, release = threading.Event(), threading.Event()
    done: dict[str, bool] = {}

    def holder():
        with archive.transaction(serialize=["url:a", "no:X"]):
            holding.set()
            release.wait(30)

    def writer(name, keys):
        with archive.transaction(serialize=keys):
            done[name] = True

    t = threading.Thread(target=holder)
    t.start()
    assert holding.wait(10)
    # Another key: goes through while the first transaction still holds its locks.
    writer("unrelated", ["url:b"])
    assert done == {"unrelated": True}
    # A shared key: waits, as PostgreSQL shows.
    w = threading.Thread(target=writer, args=("sharing", ["band:0:1", "no:X"]))
    w.start()
    deadline = time.monotonic() + 10
    while _waiting_advisory_locks(archive) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_advisory_locks(archive) == 1 and "sharing" not in done
    release.set()
    t.join(10)
    w.join(10)
    assert done == {"unrelated": True, "sharing": True}
    archive.dispose()


def test_copies_ingested_at_once_make_one_document(pg_url):
    archive = open_archive(pg_url)
    # Eight sites publish notice A (no 文号 on the page: only the text can join them) and
    # eight publish B, all ingested at the same moment from eight threads.
    records = [
        page(f"site{i % 4}", "aggregator", f"http://site{i}.example/{n}.html", site_copy(t, 29 + i))
        for i in range(8)
        for n, t in (("a", NOTICE_A), ("b", NOTICE_B))
    ]
    start = threading.Barrier(8)

    def run(chunk):
        start.wait(10)
        return [ingest(archive, r).outcome for r in chunk]

    with ThreadPoolExecutor(8) as pool:
        outcomes = [o for chunk in pool.map(run, [records[i::8] for i in range(8)]) for o in chunk]
    assert outcomes.count("new_document") == 2, outcomes
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2
    archive.dispose()
