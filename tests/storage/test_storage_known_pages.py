"""Incremental crawling's memory: known pages, 304 re-checks, off-topic pages kept."""
from sqlalchemy import select

from storage.api import get_document, get_run, ingest, start_run, sync_sources
from storage.history import document_history
from storage.ingest import record_offtopic
from storage.models import Capture
from storage.known_pages import known_pages, mark_unchanged
from storage_samples import NOTICE_A, NOTICE_B, T0, later, page
from spiders.registry import Source

SRC = Source(id="gov_a", name="A", kind="gov", family="gov_portal", start_urls=("http://gov.example/",))


def test_known_pages_give_the_newest_validators_and_topic(archive):
    first = page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A)
    first.parts[0].etag = '"v1"'
    ingest(archive, first)
    again = page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A, at=later(1))
    again.parts[0].etag, again.parts[0].last_modified = '"v2"', "Tue, 02 Jan 2024 00:00:00 GMT"
    ingest(archive, again)
    record_offtopic(archive, page("gov_a", "gov", "http://gov.example/n/tax.html", "关于税收征管的公告"))
    ingest(archive, page("other", "aggregator", "http://agg.example/1.html", NOTICE_B))
    known = known_pages(archive, "gov_a")
    assert set(known) == {"http://gov.example/n/1.html", "http://gov.example/n/tax.html"}
    assert known["http://gov.example/n/1.html"].etag == '"v2"'
    assert known["http://gov.example/n/1.html"].last_modified == "Tue, 02 Jan 2024 00:00:00 GMT"
    assert known["http://gov.example/n/1.html"].on_topic and not known["http://gov.example/n/tax.html"].on_topic


def test_offtopic_page_is_kept_raw_without_a_document(archive):
    sync_sources(archive, [SRC])
    run = start_run(archive, "gov_a", "cli")
    (capture_id,) = record_offtopic(archive, page("gov_a", "gov", "http://gov.example/n/tax.html", "关于税收征管的公告"), run)
    with archive.session() as s:
        capture = s.get(Capture, capture_id)
        assert capture.version_id is None and capture.raw_size > 0
    r = get_run(archive, run)
    assert (r.pages, r.offtopic, r.new_documents) == (1, 1, 0)


def test_unchanged_recheck_moves_last_seen_and_counts(archive):
    sync_sources(archive, [SRC])
    result = ingest(archive, page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A))
    record_offtopic(archive, page("gov_a", "gov", "http://gov.example/n/tax.html", "关于税收征管的公告"))
    run = start_run(archive, "gov_a", "cli")
    assert mark_unchanged(archive, "gov_a", "http://gov.example/n/1.html", later(48), run) == "unchanged"
    assert mark_unchanged(archive, "gov_a", "http://gov.example/n/tax.html", later(48), run) == "offtopic"
    doc = get_document(archive, result.document_id)
    assert doc.last_seen == later(48) and doc.first_seen == T0
    assert doc.versions[0].last_seen == later(48)
    # the URL was seen too: its last seen moves, its first seen and its fetches do not
    (url,) = doc.urls
    assert (url["first_seen"], url["last_seen"], url["fetches"]) == (T0, later(48), 1)
    (carrier,) = document_history(archive, result.document_id)["versions"][0]["carried_by"]
    assert carrier["last_seen"] == later(48)
    r = get_run(archive, run)
    assert (r.pages, r.unchanged, r.offtopic) == (2, 1, 1)
    with archive.session() as s:  # a 304 is no new capture
        assert len(s.scalars(select(Capture)).all()) == 2
