"""The one run recorder (crawler/components/extensions.py), told apart by settings: a local crawl's
closes its runs, a distributed worker's counts and leaves them open, a check's writes
nothing and keeps what it saw."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.run.crawl_state import run_context
from crawler.components.extensions import RunRecorder
from crawler.samples.server import sample_registry_path
from spiders.registry import load_registry
from storage import crawl_runs
from storage.api import open_archive


@pytest.fixture
def opened(tmp_path):
    """An archive with one open run of the sample source ``spam``."""
    source = load_registry(sample_registry_path())["spam"]
    url = f"sqlite:///{tmp_path / 'a.db'}"
    archive = open_archive(url)
    crawl_runs.sync_sources(archive, [source])
    run_id = crawl_runs.start_run(archive, source.id, "cli")
    yield archive, source, run_id
    archive.dispose()


def _crawl(archive, source, run_id, **settings):
    """Drive the recorder as a crawl's signals would: three requests, one duplicate, one failure."""
    crawler = get_crawler(Spider, settings_dict={"POLICY_ARCHIVE_DB": archive.url,
                                                  "POLICY_RUN_IDS": {source.id: run_id}, **settings})
    recorder = RunRecorder(crawler)
    spider = SimpleNamespace(sources={source.id: source})
    recorder.spider_opened(spider)
    for n in range(3):
        recorder.request_reached(Request(f"http://127.0.0.1/{n}", meta={"source_id": source.id}), spider)
    recorder.request_dropped(Request("http://127.0.0.1/0", meta={"source_id": source.id}), spider)
    recorder.fetch_failed(source.id, "detail", "timeout", "no answer in 10 s", "http://127.0.0.1/9")
    recorder.spider_closed(spider, "finished")
    return run_context(crawler)


def test_a_local_crawl_counts_once_and_closes_its_runs(opened):
    archive, source, run_id = opened
    _crawl(archive, source, run_id)
    run = crawl_runs.get_run(archive, run_id)
    assert (run.requests, run.duplicates, run.errors) == (3, 1, 1)
    assert run.status == "failed"  # it closed normally, with an error and no page


def test_a_worker_counts_and_leaves_the_runs_to_its_coordinator(opened):
    archive, source, run_id = opened
    _crawl(archive, source, run_id, POLICY_CLOSE_RUNS=False)
    _crawl(archive, source, run_id, POLICY_CLOSE_RUNS=False)  # a second worker of the round
    run = crawl_runs.get_run(archive, run_id)
    assert run.status == "running"
    assert (run.requests, run.duplicates, run.errors) == (6, 2, 2)


def test_a_check_writes_nothing_and_keeps_what_it_saw(opened):
    archive, source, run_id = opened
    ctx = _crawl(archive, source, run_id, POLICY_ARCHIVE_WRITES=False)
    run = crawl_runs.get_run(archive, run_id)
    assert run.status == "running" and (run.requests, run.errors) == (0, 0)
    assert ctx.archive is None
    assert ctx.failures[source.id] == [("timeout", "no answer in 10 s", "detail")]
    assert ctx.seconds[source.id] >= 0
