"""The whole flow, for real: the sample sites served on loopback, Scrapy in a child
process, extraction, topic filter, and the archive on a temporary SQLite file."""
import pytest

from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.server import sample_registry_path
from spiders.registry import load_registry
from storage.api import open_archive
from storage.queries import get_document
from storage.search import search

SHARED = "沈政发〔2015〕31号"


@pytest.fixture(scope="module")
def crawled(sample_server, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'archive.db'}"
    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]

    def crawl(full=False):
        sample_server.reset_counts()
        summary = run_crawl(
            sources, db_url=url, registry_path=registry, base=sample_server.base_url,
            settings={**LOOPBACK_SETTINGS, "POLICY_FULL_WALK": full}, timeout=300, progress=False,
        )
        return summary, [(r.target, r.status) for r in sample_server.log]

    first, _ = crawl()
    second, second_log = crawl()
    third, third_log = crawl(full=True)
    return url, first, second, (second_log, third, third_log)


def test_first_crawl_fills_the_archive(crawled):
    _, first, _, _ = crawled
    summary = first.to_dict()
    assert summary["ok"], summary
    assert summary["errors"] == 0, summary
    assert summary["new_documents"] >= 20
    assert summary["offtopic"] >= 2
    assert summary["documents"] == summary["new_documents"]
    for result in summary["sources"]:
        assert result["pages"] > 0, result


def test_the_notice_on_three_sites_is_one_document(crawled):
    url, _, _, _ = crawled
    archive = open_archive(url)
    doc = get_document(archive, SHARED)
    assert doc is not None
    sources = {c["source_id"] for c in doc.to_dict()["captures"]}
    assert len(sources) == 3, sources
    hits = [h for h in search(archive, "健康服务业发展三年行动计划", limit=50)]
    assert len(hits) == 1


def test_second_crawl_adds_nothing_and_rechecks_politely(crawled):
    _, first, second, (log, _, _) = crawled
    f, s = first.to_dict(), second.to_dict()
    assert s["new_documents"] == 0 and s["new_versions"] == 0 and s["errors"] == 0, s
    assert s["documents"] == f["documents"]
    assert s["unchanged"] + s["offtopic"] == s["pages"] > 0
    # incremental: listing walks stop at the first page of known notices...
    assert s["pages"] < f["pages"] and s["requests"] < f["requests"]
    # ...and every notice page asked for again was asked conditionally and not sent again
    detail_statuses = {status for target, status in log if "/index" not in target and "list" not in target
                       and "api" not in target and target != "/robots.txt"}
    assert detail_statuses == {304}, log


def test_full_walk_rechecks_everything(crawled):
    _, first, _, (_, third, log) = crawled
    f, t = first.to_dict(), third.to_dict()
    assert t["pages"] == f["pages"]
    assert t["new_documents"] == 0 and t["new_versions"] == 0
    assert t["unchanged"] == f["unchanged"] + f["new_documents"] + f["new_versions"]
    assert t["offtopic"] == f["offtopic"]


def test_search_finds_eldercare_notices(crawled):
    url, _, _, _ = crawled
    hits = search(open_archive(url), "养老", limit=100)
    assert len(hits) >= 5
    assert sum("eldercare" in h.to_dict()["topics"] for h in hits) >= 3


def test_archive_groups_pages_exactly_as_the_ground_truth(crawled, sample_server):
    """Every on-topic page lands in the Document of its notice, and no two notices share
    one: the identity rules (own 文号, near-duplicate text) on the whole sample corpus."""
    import tomllib

    from storage.models import Capture, Version

    url, _, _, _ = crawled
    expected = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))
    archive = open_archive(url)
    with archive.session() as session:
        rows = session.query(Capture.url, Version.document_id).join(Version, Version.id == Capture.version_id).filter(
            Capture.http_status == 200)
        doc_of = {u.removeprefix(sample_server.base_url): d for u, d in rows}
    notice_docs: dict[str, set] = {}
    for page in expected["page"]:
        if not page["on_topic"]:
            assert page["path"] not in doc_of, f"off-topic page archived: {page['path']}"
            continue
        notice_docs.setdefault(page["notice"], set()).add(doc_of[page["path"]])
    assert all(len(docs) == 1 for docs in notice_docs.values()), notice_docs
    all_docs = [next(iter(d)) for d in notice_docs.values()]
    assert len(all_docs) == len(set(all_docs)), "two notices merged into one document"
