"""Extraction in worker processes (crawler/work/page_pool.py, crawler/components/pipelines.py): the archive
a pooled crawl makes is the in-process one, writes follow the hand-over order whatever
the workers' timing, a killed worker costs no page, and no worker outlives its crawl."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from twisted.internet import defer

from crawler.run.crawl_process import LOOPBACK_SETTINGS
from crawler.extract.model import Extraction
from crawler.items import CapturedPart, PageRecord
from crawler.work.page_pool import Sequencer
from crawler.samples.server import SampleServer, sample_registry_path, sample_root
from spiders.registry import load_registry
from storage import crawl_runs
from storage.api import ingest, open_archive
from storage.models import Capture, CrawlRun, Document, Version
from storage.prepared import prepare
from tests.bench.crawl_speed import descendants
from crawler.samples.gen.bench import build_site
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site

ROOT = Path(__file__).resolve().parents[1]
# One request at a time: pages reach the pipeline in the order they were fetched, so two
# crawls hand the same pages over in the same order.
SERIAL = {"CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}


def _snapshot(url: str) -> dict:
    with open_archive(url) as archive, archive.session() as s:
        docs = {d.id: d for d in s.scalars(select(Document))}
        versions = {v.id: v for v in s.scalars(select(Version))}

        def doc_key(doc_id):  # noqa: ANN001, ANN202
            d = docs[doc_id]
            return (d.doc_number or "", d.title or "", d.agency or "", str(d.published_date))

        return {
            "documents": sorted((*doc_key(d.id), versions[d.current_version_id].text_hash) for d in docs.values()),
            "versions": sorted((doc_key(v.document_id), v.text_hash, v.source_id) for v in versions.values()),
            # in write order: capture ids are handed out as pages are written
            "captures": [(c.url, c.part_no, c.error_kind, versions[c.version_id].text_hash if c.version_id else None)
                         for c in s.scalars(select(Capture).order_by(Capture.id))],
        }


def test_a_crawl_through_two_workers_archives_what_the_in_process_crawl_does(tmp_path):
    # One family (one crawler, one pipeline): the gov_portal sample sites.
    sources = [s for s in load_registry(sample_registry_path()).values() if s.family == "gov_portal" and s.enabled]
    registry = tmp_path / "sources.toml"
    registry.write_text(sample_registry_path().read_text(encoding="utf-8"), encoding="utf-8")
    from crawler.run.crawl_process import run_crawl

    snapshots = {}
    with SampleServer(sample_root()) as server:
        for workers in (0, 2):
            url = f"sqlite:///{tmp_path / f'w{workers}.db'}"
            summary = run_crawl(sources, db_url=url, registry_path=registry, base=server.base_url,
                                settings={**SERIAL, "POLICY_EXTRACT_WORKERS": workers}, progress=False)
            assert summary.ok, summary.to_dict()
            snapshots[workers] = _snapshot(url)
    assert snapshots[0]["documents"], "the sample sites archive documents"
    assert snapshots[2] == snapshots[0]


def _big_notice(title: str, paragraphs: int) -> str:
    body = "".join(f"<p>第{i}条 各级卫生健康部门要加强老年健康服务，推进医养结合，完善长期护理保险制度，"
                   f"提升基层医疗卫生机构服务能力（第{i}项任务）。</p>" for i in range(paragraphs))
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1><div id='zoom'>{body}</div></body></html>"


def test_writes_follow_the_order_pages_were_handed_over_not_which_worker_finished_first(tmp_path):
    # Slow pages (2 MB to extract) among quick ones: a quick page handed over after a slow
    # one finishes first in the other worker, and must still be written after it.
    names = [f"n{i}.html" for i in range(8)]
    sizes = {0: 6000, 4: 6000}
    files = {name: _big_notice(f"关于做好养老服务工作的通知（{i}）", sizes.get(i, 12)) for i, name in enumerate(names)}
    files["index.html"] = listing({name: f"通知{i}" for i, name in enumerate(names)})
    write_site(tmp_path / "www", files)
    registry = write_registry(tmp_path, gov_portal("order", "index.html"))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with SampleServer(tmp_path / "www") as server:
        summary = crawl(registry, url, server, POLICY_EXTRACT_WORKERS=2, **SERIAL)
        fetched = [r.target for r in server.log if r.target.startswith("/site/n")]
        base = server.base_url
    assert summary.ok and summary.total("pages") == len(names), summary.to_dict()
    written = [u.split(base, 1)[-1] for u, *_ in _snapshot(url)["captures"]]
    assert written == fetched
    assert fetched.index("/site/n0.html") < len(names) - 1 or fetched.index("/site/n4.html") < len(names) - 1


def test_turns_complete_in_the_order_they_were_taken():
    seq = Sequencer()
    turns = [seq.take() for _ in range(3)]
    ready = []
    for i, (wait, _done) in enumerate(turns):
        wait.addCallback(lambda _, i=i: ready.append(i))
    assert ready == [0]
    turns[2][1]()  # the third finishes first: nobody after it waits, the second still does
    assert ready == [0]
    turns[0][1]()
    assert ready == [0, 1]
    turns[1][1]()
    assert ready == [0, 1, 2]
    assert isinstance(turns[0][0], defer.Deferred)


def test_ingest_takes_a_prepared_page_as_it_takes_the_record(tmp_path):
    from spiders.registry import Source

    with open_archive(f"sqlite:///{tmp_path / 'p.db'}") as archive:
        crawl_runs.sync_sources(archive, [Source(id="s", name="s", kind="gov", family="generic", start_urls=("x",))])
        text = "关于进一步推进医养结合发展的实施意见。" * 10
        part = CapturedPart("http://x/a.html", "http://x/a.html", 200, b"<html></html>", datetime.now(timezone.utc))
        record = PageRecord("s", "gov", [part], Extraction(title="意见", text=text, doc_number="国办发〔2019〕5号"))
        first = ingest(archive, prepare(record))
        again = ingest(archive, record)
    assert (first.outcome, again.outcome) == ("new_document", "unchanged")
    assert first.document_id == again.document_id


def test_a_workers_answer_carries_no_raw_bytes_and_the_pipeline_joins_them_again():
    from crawler.items import PageItem
    from crawler.work.page_work import prepare_in_worker, with_bytes
    from spiders.registry import Source

    now = datetime.now(timezone.utc)
    page = _big_notice("关于推进医养结合发展的通知", 12).encode("gb18030")
    more = "<html><body><div id='zoom'><p>第二页：完善长期护理保险制度。</p></div></body></html>".encode("utf-8")
    pdf = b"%PDF-1.4 a file the worker cannot read"
    item = PageItem("s", [
        CapturedPart("http://x/a.html", "http://x/a.html", 200, page, now, content_type="text/html; charset=gb18030"),
        CapturedPart("http://x/a_1.html", "http://x/a_1.html", 200, more, now, content_type="text/html; charset=utf-8"),
    ], attachments=[CapturedPart("http://x/f.pdf", "http://x/f.pdf", 200, pdf, now)])

    answer = prepare_in_worker(item, Source("s", "s", "gov", "generic"))
    assert [p.body for p in answer.parts] == [b"", b""] and answer.attachments[0].part.body == b""
    joined = with_bytes(answer, item)
    assert [p.body for p in joined.parts] == [page, more] and joined.attachments[0].part.body == pdf
    # what the worker read stays: the charsets it decoded with, the file's reading, the derivations
    assert [p.encoding for p in joined.parts] == ["gb18030", "utf-8"]
    assert joined.attachments[0].kind == answer.attachments[0].kind and joined.attachments[0].error
    assert joined.text_hash == answer.text_hash is not None and "医养结合" in joined.extraction.text


def _pool_processes(crawl_pid: int) -> list[int]:
    """The fork server and the workers under a crawl process."""
    return [p for p in descendants(crawl_pid) if p != crawl_pid]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_killed_mid_crawl_loses_no_page(tmp_path):
    site = build_site(tmp_path / "gen", 120, chrome="minimal")
    url = f"sqlite:///{tmp_path / 'k.db'}"
    killed = []

    def kill_a_worker() -> None:
        # the workers are two levels under the crawl process: crawl → fork server → worker
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for crawl_pid in (p for p in descendants(os.getpid()) if p != os.getpid()):
                workers = [p for p in descendants(crawl_pid) if _depth(p, crawl_pid) == 2]
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed.append(workers[0])
                    return
            time.sleep(0.05)

    with SampleServer(site.www) as server:
        killer = threading.Thread(target=kill_a_worker)
        killer.start()
        summary = crawl(site.registry, url, server, POLICY_EXTRACT_WORKERS=2)
        killer.join()
    assert killed, "no worker process appeared"
    totals = summary.to_dict()
    assert summary.ok and totals["pages"] == 120 and totals["errors"] == 0, totals
    assert totals["new_documents"] + totals["offtopic"] == 120
    with open_archive(url) as archive, archive.session() as s:
        notes = [n for run in s.scalars(select(CrawlRun)) for n in (run.error_summary or {}).get("notes", [])]
        raw = s.scalars(select(Capture).where(Capture.error_kind.is_not(None))).all()
    assert any("extraction worker died" in n for n in notes), notes
    assert raw == []


def _depth(pid: int, ancestor: int) -> int:
    depth = 0
    try:
        while pid not in (ancestor, 0, 1):
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            depth += 1
    except OSError:
        return -1
    return depth if pid == ancestor else -1


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_no_worker_outlives_its_crawl(tmp_path, how):
    site = build_site(tmp_path / "gen", 400, chrome="minimal")
    url = f"sqlite:///{tmp_path / 's.db'}"
    sources = list(load_registry(site.registry).values())
    with SampleServer(site.www) as server, open_archive(url) as archive:
        crawl_runs.sync_sources(archive, [s.with_base(server.base_url) for s in sources])
        run_ids = {s.id: crawl_runs.start_run(archive, s.id, "cli") for s in sources}
        spec = {"db_url": archive.url, "registry": str(site.registry), "sources": [s.id for s in sources],
                "base": server.base_url, "run_ids": run_ids, "trigger": "cli",
                "settings": {**LOOPBACK_SETTINGS, "POLICY_EXTRACT_WORKERS": 2}}
        spec_path = tmp_path / "spec.json"
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "crawler.run.crawl_child", str(spec_path)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while len(_pool_processes(child.pid)) < 3:  # the fork server and two workers
                assert child.poll() is None and time.monotonic() < deadline, "the pool never started"
                time.sleep(0.05)
            pool = _pool_processes(child.pid)
            child.send_signal(how)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pool) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [p for p in pool if _alive(p)] == []
