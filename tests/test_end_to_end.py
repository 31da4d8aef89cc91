"""The whole flow, for real: the sample sites served on loopback, Scrapy in a child
process, extraction, topic filter, and the archive on a temporary SQLite file."""
import pytest

from crawler.runner import LOOPBACK_SETTINGS, run_crawl
from crawler.sampleserver import sample_registry_path
from spiders.registry import load_registry
from storage import open_archive
from storage.queries import get_document, search

SHARED = "沈政发〔2015〕31号"


@pytest.fixture(scope="module")
def crawled(sample_server, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'archive.db'}"
    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]

    def crawl():
        return run_crawl(
            sources, db_url=url, registry_path=registry, base=sample_server.base_url,
            settings=LOOPBACK_SETTINGS, timeout=300, progress=False,
        )

    first = crawl()
    second = crawl()
    return url, first, second


def test_first_crawl_fills_the_archive(crawled):
    _, first, _ = crawled
    summary = first.to_dict()
    assert summary["ok"], summary
    assert summary["errors"] == 0, summary
    assert summary["new_documents"] >= 20
    assert summary["offtopic"] >= 2
    assert summary["documents"] == summary["new_documents"]
    for result in summary["sources"]:
        assert result["pages"] > 0, result


def test_the_notice_on_three_sites_is_one_document(crawled):
    url, _, _ = crawled
    archive = open_archive(url)
    doc = get_document(archive, SHARED)
    assert doc is not None
    sources = {c["source_id"] for c in doc.to_dict()["captures"]}
    assert len(sources) == 3, sources
    hits = [h for h in search(archive, "健康服务业发展三年行动计划", limit=50)]
    assert len(hits) == 1


def test_second_crawl_adds_nothing(crawled):
    _, first, second = crawled
    s = second.to_dict()
    assert s["new_documents"] == 0 and s["new_versions"] == 0, s
    assert s["unchanged"] == first.to_dict()["unchanged"] + first.to_dict()["new_documents"] + first.to_dict()["new_versions"]
    assert s["documents"] == first.to_dict()["documents"]


def test_search_finds_eldercare_notices(crawled):
    url, _, _ = crawled
    hits = search(open_archive(url), "养老", limit=100)
    assert len(hits) >= 5
    assert sum("eldercare" in h.to_dict()["topics"] for h in hits) >= 3


def test_archive_groups_pages_exactly_as_the_ground_truth(crawled, sample_server):
    """Every on-topic page lands in the Document of its notice, and no two notices share
    one: the identity rules (own 文号, near-duplicate text) on the whole sample corpus."""
    import tomllib

    from storage.models import Capture, Version

    url, _, _ = crawled
    expected = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))
    archive = open_archive(url)
    with archive.session() as session:
        rows = session.query(Capture.url, Version.document_id).join(Version, Version.id == Capture.version_id)
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
