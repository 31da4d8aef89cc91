"""Every extraction is bounded (issue 21): an item past its deadline loses its worker, not
the crawl; a hostile attachment costs its own text only, recorded with its reason and URL,
never the notice linking it; a crawl past its deadline closes partial, with a note."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.run.crawl_process import run_crawl
from crawler.samples.faults import FAULT_SOURCE
from crawler.samples.server import SampleServer, sample_root
from crawler.work.page_pool import ItemOverran, PagePool, WorkerLost
from spiders.registry import load_registry
from storage.api import open_archive
from storage.models import Attachment, CrawlRun, Document, RunFailure
from tests import pool_tasks as tasks
from tests.extract.bomb_files import MIB, docx_bomb
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site

NOTICE = (
    "<html><head><title>关于做好老年人健康管理服务工作的通知</title></head><body><div id='zoom'>"
    "<p>各区县卫生健康局：</p>"
    + "".join(f"<p>第{i}条 为做好老年人健康管理和养老服务工作，推进医养结合，提高老年人健康水平，现将有关事项通知如下。</p>"
              for i in range(12))
    + "<p>附件：<a href='{href}'>养老服务清单{ext}</a></p>"
    "<p>市卫生健康委员会</p><p>2024年5月6日</p></div></body></html>"
)


# --- the pool ------------------------------------------------------------------------------------
def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_an_item_past_its_deadline_loses_its_worker_and_converters_and_the_next_item_runs(tmp_path):
    pool = PagePool(1, deadline=5)
    try:
        first = pool.submit(tasks.pid).result()
        marker = tmp_path / "converter.pid"
        with pytest.raises(ItemOverran, match="5 s deadline"):
            pool.submit(tasks.hang_with_a_converter, str(marker)).result()
        assert pool.overruns == 1
        converter = int(marker.read_text())
        waited = time.monotonic() + 30
        while not _gone(converter) and time.monotonic() < waited:
            time.sleep(0.05)
        assert _gone(converter), "the worker's converter outlived it"
        second = pool.submit(tasks.pid).result()
        assert second != first and not _gone(second) and _gone(first)
    finally:
        pool.shutdown()


def test_a_worker_that_dies_is_replaced_and_its_item_tried_once_more():
    pool = PagePool(1)
    try:
        with pytest.raises(WorkerLost):
            pool.submit(tasks.die).result()
        assert pool.restarts == 2  # the item, and its one retry
        assert pool.submit(tasks.allocate, 1).result() == MIB
    finally:
        pool.shutdown()


def test_an_item_that_cannot_cross_the_pipe_fails_alone():
    import threading

    pool = PagePool(1)
    try:
        with pytest.raises(RuntimeError, match="pickle"):
            pool.submit(tasks.pid_of, threading.Lock()).result()
        assert pool.submit(tasks.pid).result() > 0
    finally:
        pool.shutdown()


def test_a_worker_past_its_memory_ceiling_fails_the_item_with_memoryerror_and_is_replaced():
    pool = PagePool(1, memory_headroom=256 * MIB)
    try:
        first = pool.submit(tasks.pid).result()
        assert pool.submit(tasks.allocate, 64).result() == 64 * MIB  # well under the ceiling
        with pytest.raises(MemoryError):
            pool.submit(tasks.allocate, 512).result()
        assert pool.submit(tasks.pid).result() != first
    finally:
        pool.shutdown()


# --- a crawl -------------------------------------------------------------------------------------
def _site(root: Path, name: str, body: bytes) -> Path:
    ext = Path(name).suffix
    site = write_site(root, {"index.html": listing({"n1.html": "通知一"}),
                             "n1.html": NOTICE.format(href=name, ext=ext)})
    (site / name).write_bytes(body)
    return write_registry(root, gov_portal("portal", "index.html"))


def _archived(url: str) -> tuple[list, list, list]:
    with open_archive(url) as archive, archive.session() as s:
        docs = [(d.title, d.current_version_id) for d in s.scalars(select(Document))]
        files = [(a.url, a.kind, a.error, a.text) for a in s.scalars(select(Attachment))]
        failures = [(f.kind, f.url, f.role, f.message) for f in s.scalars(select(RunFailure))]
    return docs, files, failures


def test_a_notice_linking_a_190_mib_docx_is_archived_and_the_docx_recorded_too_large(tmp_path):
    registry = _site(tmp_path, "qingdan.docx", docx_bomb(190 * MIB))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, url, server, POLICY_EXTRACT_WORKERS=1)
    docs, files, failures = _archived(url)
    assert [title for title, _ in docs] == ["关于做好老年人健康管理服务工作的通知"]
    [(file_url, kind, error, text)] = files
    assert file_url.endswith("/qingdan.docx") and kind == "docx" and text is None
    assert error.startswith("too_large: DOCX unpacks to")
    assert [(k, u, r) for k, u, r, _ in failures] == [("too_large", file_url, "attachment")]
    [run] = summary.sources
    assert run.status == "partial" and run.counters["new_documents"] == 1


def test_an_attachment_whose_reading_hangs_costs_its_text_not_the_notice(tmp_path, monkeypatch):
    # antiword and catdoc that never answer: the page's deadline (or the converter's own
    # time limit, whichever comes first) ends the reading, and either way its kind is timeout
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("antiword", "catdoc"):
        (tools / name).write_text("#!/bin/sh\nexec sleep 3600\n")
        (tools / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 2048
    registry = _site(tmp_path, "qingdan.doc", word)
    url = f"sqlite:///{tmp_path / 'h.db'}"
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, url, server, POLICY_EXTRACT_WORKERS=1, POLICY_ITEM_DEADLINE=3)
    docs, files, failures = _archived(url)
    assert [title for title, _ in docs] == ["关于做好老年人健康管理服务工作的通知"]
    [(file_url, kind, error, _)] = files
    assert kind == "doc" and error.startswith("timeout: ")
    assert [(k, u) for k, u, _, _ in failures] == [("timeout", file_url)]
    assert summary.sources[0].status == "partial"


def test_a_crawl_past_its_sources_deadline_closes_partial_with_a_note(tmp_path):
    # The fault site's slow notice answers after 30 s; the source's deadline is 3 s, and
    # the download timeout longer than both: only the deadline can end this crawl.
    registry = tmp_path / "sources.toml"
    registry.write_text(FAULT_SOURCE + "deadline_minutes = 0.05\n", encoding="utf-8")
    sources = list(load_registry(registry).values())
    assert sources[0].deadline_minutes == 0.05
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with SampleServer(sample_root(), faults=True) as server:
        summary = run_crawl(sources, db_url=url, registry_path=registry, base=server.base_url,
                            settings={"DOWNLOAD_TIMEOUT": 600}, progress=False)
    [run] = summary.sources
    assert run.status == "partial"
    assert any("deadline (0.05 min) ended it" in note for note in run.notes), run.notes
    with open_archive(url) as archive, archive.session() as s:
        assert [r.status for r in s.scalars(select(CrawlRun))] == ["partial"]


@pytest.mark.parametrize("value", [0, -5, "soon", True])
def test_a_registry_deadline_must_be_minutes_above_zero(tmp_path, value):
    from spiders.registry import RegistryError

    registry = write_registry(tmp_path, gov_portal("portal", "index.html", f"deadline_minutes = {_toml(value)}\n"))
    with pytest.raises(RegistryError, match="deadline_minutes"):
        load_registry(registry)


def _toml(value: object) -> str:
    return "true" if value is True else f'"{value}"' if isinstance(value, str) else str(value)


def test_the_crawl_deadline_defaults_from_the_settings_and_sources_may_raise_it():
    from crawler import settings
    from crawler.run.crawl_spec import CrawlSpec, crawl_deadline_minutes, scrapy_settings

    source = next(iter(load_registry(None).values()))
    assert crawl_deadline_minutes([source], settings.POLICY_CRAWL_DEADLINE_MINUTES) == 240
    longer = source.__class__(**{**source.__dict__, "deadline_minutes": 600})
    spec = CrawlSpec(sources=[source.id])
    assert scrapy_settings(spec, [source, longer], browser=False).getfloat("CLOSESPIDER_TIMEOUT") == 600 * 60
    assert scrapy_settings(spec, [source], browser=False).getfloat("CLOSESPIDER_TIMEOUT") == 240 * 60
    # no crawl deadline at all (0) leaves none to the sources without one of their own
    assert crawl_deadline_minutes([source, longer], 0) == 0 and crawl_deadline_minutes([longer], 0) == 600
    assert sys.modules.get("crawler.settings") is settings


def _numbered_notice(n: int) -> str:
    # one 文号 per notice: each is a document of its own, however alike their texts
    return NOTICE.replace("<div id='zoom'>", f"<div id='zoom'><p>卫老发〔2024〕{n}号</p>", 1).format(href="", ext="")


def test_a_source_past_its_own_deadline_stops_while_the_others_go_on(tmp_path):
    # Two sources in one crawl: "paced" lists 40 notices and has a 3 s deadline, "open" 2
    # and none of its own (the settings' 240 min). A delay between requests to the one
    # server (at least 0.25 s, Scrapy randomizes it from half) keeps 40 notices from
    # being fetched in 3 s on any machine.
    files = {"paced/index.html": listing({f"n{i}.html": f"通知{i}" for i in range(40)}),
             "open/index.html": listing({f"n{i}.html": f"通知{i}" for i in (100, 101)})}
    files.update({f"paced/n{i}.html": _numbered_notice(i) for i in range(40)})
    files.update({f"open/n{i}.html": _numbered_notice(i) for i in (100, 101)})
    write_site(tmp_path, files)
    registry = write_registry(tmp_path, gov_portal("paced", "paced/index.html", "deadline_minutes = 0.05\n"),
                              gov_portal("open", "open/index.html"))
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, url, server, DOWNLOAD_DELAY=0.5, CONCURRENT_REQUESTS_PER_DOMAIN=1)
    runs = {run.source: run for run in summary.sources}
    assert runs["open"].status == "ok" and runs["open"].counters["new_documents"] == 2
    paced = runs["paced"]
    assert paced.status == "partial", paced
    assert any("source's deadline (0.05 min) ended its crawl" in note for note in paced.notes), paced.notes
    assert 0 < paced.counters["new_documents"] < 40
    _, _, failures = _archived(url)
    assert failures == []  # the pages not asked for are no failures: the note says why
