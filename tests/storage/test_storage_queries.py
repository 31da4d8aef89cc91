"""The query API the CLI uses: search, one document, stats, sources."""
from __future__ import annotations

import json
from datetime import date

import pytest

from storage.api import Filters, archive_stats, get_document, ingest, list_sources, open_archive, search
from storage_samples import DRAFT_C, FINAL_C, NOTICE_A, NOTICE_A_REVISED, NOTICE_B, later, page, site_copy

NUM_A = "市政办发〔2016〕12号"


@pytest.fixture(scope="module")
def filled(module_archive_url):
    """One archive for the module: these tests only read."""
    archive = open_archive(module_archive_url)
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A,
                         doc_number_raw="市政办发[2016]12号", title="关于推进医养结合发展的通知", region="甲市",
                         published_date=date(2016, 3, 10), topics=["养老", "医疗"],
                         cited_doc_numbers=["国办发〔2015〕84号"]))
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A_REVISED, at=later(2), doc_number=NUM_A))
    ingest(archive, page("agg", "aggregator", "http://agg.test/1", site_copy(NOTICE_A), at=later(3)))
    ingest(archive, page("gov2", "gov", "http://gov2.test/b.html", NOTICE_B, title="关于推进养老服务发展的实施意见",
                         region="乙市", published_date=date(2019, 6, 20), topics=["养老"]))
    ingest(archive, page("gov2", "gov", "http://gov2.test/c.html", DRAFT_C, status="draft",
                         title="长期护理保险制度试点实施方案（征求意见稿）", topics=["长期护理", "医保"]))
    ingest(archive, page("gov2", "gov", "http://gov2.test/d.html", FINAL_C, title="长期护理保险制度试点实施方案",
                         doc_number="市医保发〔2020〕7号", topics=["长期护理", "医保"]))
    yield archive
    archive.dispose()


@pytest.mark.parametrize(
    "query, filters, titles",
    [
        ("医养结合", {}, ["关于推进医养结合发展的通知"]),  # title and text
        ("护理员", {}, ["关于推进养老服务发展的实施意见"]),  # text only
        ("护理型床位", {}, ["关于推进医养结合发展的通知"]),  # only in the current (revised) text
        ("市政办发(2016)12号", {}, ["关于推进医养结合发展的通知"]),  # 文号 in another bracket style
        ("养老 彩票公益金", {}, ["关于推进养老服务发展的实施意见"]),  # every word must match
        ("100%", {}, []),  # no LIKE wildcards, no FTS syntax: data only
        ("", {"topic": "养老"}, ["关于推进养老服务发展的实施意见", "关于推进医养结合发展的通知"]),
        ("", {"topic": "医保"}, ["长期护理保险制度试点实施方案", "长期护理保险制度试点实施方案（征求意见稿）"]),
        ("", {"topic": "养"}, []),  # topics match whole, not by substring
        ("养老", {"region": "乙"}, ["关于推进养老服务发展的实施意见"]),
    ],
)
def test_search(filled, query, filters, titles):
    assert sorted(d.title for d in search(filled, query, Filters(**filters))) == sorted(titles)


def test_search_browse_is_newest_first_and_pages(filled):
    result = search(filled, "", Filters(), limit=2)
    assert [d.title for d in result] == ["关于推进养老服务发展的实施意见", "关于推进医养结合发展的通知"]
    assert (result.total, result.pages) == (4, 2)


@pytest.mark.parametrize("key", [1, "1", NUM_A, "市政办发[2016]012号", " 市政办发〔2016〕12号 "])
def test_get_document_by_id_or_number(filled, key):
    doc = get_document(filled, key.strip() if isinstance(key, str) and key.strip().isdigit() else key)
    assert doc is not None and doc.doc_number == NUM_A


def test_document_detail(filled):
    doc = get_document(filled, NUM_A)
    assert doc.doc_number_raw == "市政办发[2016]12号"
    assert doc.text == NOTICE_A_REVISED
    assert [v.is_current for v in doc.versions] == [False, True]
    assert [v.captures for v in doc.versions] == [2, 1]  # the aggregator copy counts for the first
    assert [(c.source_id, c.url) for c in doc.captures] == [
        ("gov", "http://gov.test/a.html"), ("gov", "http://gov.test/a.html"), ("agg", "http://agg.test/1")
    ]
    assert [(c.doc_number, c.document_id) for c in doc.citations] == [("国办发〔2015〕84号", None)]
    data = doc.to_dict()
    assert data["published_date"] == "2016-03-10" and data["captures"][0]["fetched_at"].startswith("2024-05-01")
    json.dumps(data, ensure_ascii=False)
    assert get_document(filled, 999) is None and get_document(filled, "国发〔1999〕1号") is None


def test_summary_to_dict_is_json(filled):
    rows = [d.to_dict() for d in search(filled, "", Filters(region="市"))]
    assert json.loads(json.dumps(rows, ensure_ascii=False)) == rows
    assert {"id", "doc_number", "title", "topics", "published_date", "authoritative_url"} <= set(rows[0])


def test_archive_stats(filled):
    stats = archive_stats(filled)
    assert {k: stats[k] for k in ("documents", "documents_with_doc_number", "drafts", "versions", "captures",
                                   "citations", "citations_resolved", "sources", "runs")} == {
        "documents": 4, "documents_with_doc_number": 2, "drafts": 1, "versions": 5, "captures": 6,
        "citations": 1, "citations_resolved": 0, "sources": 3, "runs": 0,
    }
    assert stats["by_source"]["gov2"] == {"captures": 3, "pages": 3, "documents": 3}
    assert stats["by_topic"] == {"养老": 2, "医保": 2, "长期护理": 2, "医疗": 1}
    assert stats["by_region"] == {"unknown": 2, "乙市": 1, "甲市": 1}
    assert stats["by_year"] == {"2016": 1, "2019": 1, "unknown": 2}
    json.dumps(stats, ensure_ascii=False)


def test_list_sources(filled):
    sources = list_sources(filled)
    assert [(s.id, s.kind, s.captures, s.last_run_id) for s in sources] == [
        ("agg", "aggregator", 1, None), ("gov", "gov", 2, None), ("gov2", "gov", 3, None)
    ]
    json.dumps([s.to_dict() for s in sources])
