"""Several pages in one transaction (storage/write_group.py), on both backends: each page
is all or nothing inside the group, nothing is visible before the group's commit, and a
page's run counters commit with it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from storage_samples import NOTICE_A, NOTICE_B, page

from spiders.registry import Source as RegistrySource
from storage.api import ingest, start_run, sync_sources
from storage.crawl_runs import get_run
from storage.ingest import _ingest
from storage.models import Capture, Document
from storage.prepared import prepare
from storage.write_group import WriteGroup

TEXT_C = NOTICE_B.replace("养老", "医保") + "另行通知。" * 20


def _run(archive) -> int:
    sync_sources(archive, [RegistrySource(id="gov-a", name="某市卫健委", kind="gov", family="gov_portal",
                                          start_urls=("http://a.gov.cn/",), base_url="http://a.gov.cn")])
    return start_run(archive, "gov-a", "cli")


def _documents(archive) -> int:
    with archive.session() as s:
        return s.scalar(select(func.count()).select_from(Document))


def _captures(archive) -> int:
    with archive.session() as s:
        return s.scalar(select(func.count()).select_from(Capture))


def test_a_failing_page_rolls_back_alone_and_the_group_commits_the_others(archive):
    run_id = _run(archive)
    group = WriteGroup(archive, max_pages=10, max_seconds=3600)
    ingest(group, page("gov-a", "gov", "http://a.gov.cn/1.html", NOTICE_A), run_id)
    with pytest.raises(RuntimeError), group.transaction() as session:
        # a page whose write fails after its document and version are in the session
        _ingest(session, prepare(page("gov-a", "gov", "http://a.gov.cn/2.html", TEXT_C)), run_id)
        session.flush()
        raise RuntimeError("the page's write broke half-way")
    ingest(group, page("gov-a", "gov", "http://a.gov.cn/3.html", NOTICE_B), run_id)
    assert group.pages == 2
    assert _documents(archive) == 0 and get_run(archive, run_id).pages == 0  # nothing committed yet
    group.commit()
    assert group.pages == 0 and group.commits == 1
    assert _documents(archive) == 2 and _captures(archive) == 2
    assert get_run(archive, run_id).pages == 2  # counted with the pages, the failed one not


def test_the_group_commits_by_itself_at_its_page_bound(archive):
    run_id = _run(archive)
    with WriteGroup(archive, max_pages=2, max_seconds=3600) as group:
        ingest(group, page("gov-a", "gov", "http://a.gov.cn/1.html", NOTICE_A), run_id)
        assert group.commits == 0
        ingest(group, page("gov-a", "gov", "http://a.gov.cn/3.html", NOTICE_B), run_id)
        assert group.commits == 1 and _documents(archive) == 2
        ingest(group, page("gov-a", "gov", "http://a.gov.cn/4.html", TEXT_C), run_id)
        assert _documents(archive) == 2
    assert _documents(archive) == 3 and get_run(archive, run_id).pages == 3


def test_the_group_commits_by_itself_at_its_time_bound(archive):
    run_id = _run(archive)
    group = WriteGroup(archive, max_pages=100, max_seconds=0.0)
    ingest(group, page("gov-a", "gov", "http://a.gov.cn/1.html", NOTICE_A), run_id)
    assert group.commits == 1 and _documents(archive) == 1
