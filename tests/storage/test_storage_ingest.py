"""Ingest mechanics: one transaction per page, raw bytes kept, parts, citations, counters."""
from __future__ import annotations

import importlib
import zlib

import pytest
from sqlalchemy import func, select

from storage.api import ArchiveError, capture_body, get_document, get_run, ingest, start_run, sync_sources
from storage.models import Base, Blob, Capture, Citation, CrawlRun, Source
from storage_samples import NOTICE_A, NOTICE_B, later, page, site_copy
from spiders.registry import Source as RegistrySource

# storage re-exports the function ingest(), which hides the module of the same name.
ingest_module = importlib.import_module("storage.ingest")

NUM_A = "市政办发〔2016〕12号"
NUM_CITED = "国办发〔2015〕84号"


def _row_counts(archive) -> dict[str, int]:
    with archive.session() as s:
        return {
            table.name: s.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def _run_counters(archive, run_id) -> tuple[int, ...]:
    run = get_run(archive, run_id)
    return (run.pages, run.new_documents, run.new_versions, run.unchanged)


@pytest.mark.parametrize(
    "failing_step",
    ["add_captures", "update_document", "record_citations", "resolve_citations_to", "count_page"],
)
def test_a_failure_mid_ingest_writes_nothing(archive, monkeypatch, failing_step):
    sync_sources(archive, [RegistrySource(id="gov", name="Gov", kind="gov", family="gov_portal",
                                          start_urls=("http://gov.test/",))])
    run_id = start_run(archive, "gov", "cli")
    ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B), run_id=run_id)
    before, counters = _row_counts(archive), _run_counters(archive, run_id)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ingest_module, failing_step, boom)
    record = page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A,
                  cited_doc_numbers=[NUM_CITED])
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest(archive, record, run_id=run_id)
    assert _row_counts(archive) == before
    assert _run_counters(archive, run_id) == counters
    monkeypatch.undo()
    assert ingest(archive, record, run_id=run_id).outcome == "new_document"


def test_run_counters_move_with_the_page(archive):
    sync_sources(archive, [RegistrySource(id="gov", name="Gov", kind="gov", family="gov_portal",
                                          start_urls=("http://gov.test/",))])
    run_id = start_run(archive, "gov", "schedule")
    pages = [
        page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A),
        page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(1), doc_number=NUM_A),
        page("gov", "gov", "http://gov.test/a.html", NOTICE_A + "\n附件：名单", at=later(2), doc_number=NUM_A),
        page("gov", "gov", "http://gov.test/b.html", NOTICE_B),
    ]
    for record in pages:
        ingest(archive, record, run_id=run_id)
    assert _run_counters(archive, run_id) == (4, 2, 1, 1)
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Capture).where(Capture.run_id == run_id)) == 4


def test_raw_bytes_are_kept_compressed_for_every_part(archive):
    body = ("<html><head><meta charset=gbk></head><body>" + NOTICE_A + "</body></html>").encode("gb18030")
    result = ingest(archive, page("agg", "aggregator", "http://agg.test/12.html", NOTICE_A, body=body,
                                  extra_parts=2))
    assert len(result.capture_ids) == 3
    with archive.session() as s:
        rows = s.scalars(select(Capture).where(Capture.id.in_(result.capture_ids)).order_by(Capture.part_no)).all()
        assert [c.part_no for c in rows] == [0, 1, 2]
        assert [c.url for c in rows] == [
            "http://agg.test/12.html", "http://agg.test/12_2.html", "http://agg.test/12_3.html"
        ]
        assert {c.version_id for c in rows} == {result.version_id}
        first = rows[0]
        blob = s.get(Blob, first.sha256)
        assert blob.codec == "zlib" and zlib.decompress(blob.data) == body
        assert first.raw_size == blob.size == len(body) and len(blob.data) < len(body)
    assert capture_body(archive, result.capture_ids[0]) == body
    assert capture_body(archive, result.capture_ids[2]) == body + bytes([3])
    assert capture_body(archive, 10_000) is None


def test_a_source_missing_from_the_registry_is_created(archive):
    ingest(archive, page("new-site", "docshare", "http://share.test/1", NOTICE_A))
    with archive.session() as s:
        src = s.get(Source, "new-site")
        assert (src.kind, src.family, src.enabled) == ("docshare", "generic", True)


def test_citations_resolve_now_and_later(archive):
    citing = ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A,
                                  cited_doc_numbers=["国办发[2015]84号", NUM_A, "国办发〔2019〕5号"]))
    # Its own number is never a citation; an unknown number waits unresolved.
    doc = get_document(archive, citing.document_id)
    assert [(c.doc_number, c.document_id) for c in doc.citations] == [
        (NUM_CITED, None), ("国办发〔2019〕5号", None)
    ]
    cited = ingest(archive, page("gov", "gov", "http://gov.test/84.html", NOTICE_B, doc_number="国办发（2015）084号",
                                 title="关于推进医疗卫生与养老服务相结合的指导意见",
                                 cited_doc_numbers=[NUM_A]))
    doc = get_document(archive, citing.document_id)
    assert doc.citations[0].document_id == cited.document_id
    assert doc.citations[0].title == "关于推进医疗卫生与养老服务相结合的指导意见"
    assert doc.citations[1].document_id is None
    # A citation of a number already archived resolves at once, and shows as cited_by.
    assert get_document(archive, cited.document_id).citations[0].document_id == citing.document_id
    assert [c.document_id for c in get_document(archive, citing.document_id).cited_by] == [cited.document_id]
    # Seeing the page again adds no duplicate citations.
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(3), doc_number=NUM_A,
                         cited_doc_numbers=[NUM_CITED]))
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Citation)) == 3


def test_a_numberless_document_that_gets_a_number_resolves_citations(archive):
    citing = ingest(archive, page("gov2", "gov", "http://gov2.test/x.html", NOTICE_B, cited_doc_numbers=[NUM_A]))
    copy = ingest(archive, page("agg", "aggregator", "http://agg.test/1", site_copy(NOTICE_A)))
    assert get_document(archive, citing.document_id).citations[0].document_id is None
    named = ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A))
    assert named.document_id == copy.document_id
    assert get_document(archive, citing.document_id).citations[0].document_id == copy.document_id


@pytest.mark.parametrize(
    "record, message",
    [
        (page("gov", "gov", "http://gov.test/a.html", NOTICE_A), None),
        (page("gov", "ministry", "http://gov.test/a.html", NOTICE_A), "source_kind"),
    ],
)
def test_bad_records_are_refused_before_any_write(archive, record, message):
    if message is None:
        record.parts.clear()
        message = "at least one"
    with pytest.raises(ValueError, match=message):
        ingest(archive, record)
    assert sum(_row_counts(archive).values()) == 0


def test_run_ids_must_exist(archive):
    # A crawl run that was never started cannot be counted against.
    with pytest.raises(ArchiveError, match="no crawl run 999"):
        ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A), run_id=999)
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(CrawlRun)) == 0
