"""A notice revised at its URL becomes a new version on the next (incremental) crawl;
an untouched one is re-checked with a conditional request and stays as it was."""
from crawler.samples.server import SampleServer
from storage.api import get_document, open_archive
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site

BODY = "".join(
    f"<p>（{n}）为推进医养结合，提高老年人健康服务水平，第{n}项任务由各区县卫生健康部门负责落实，按季度报送进展情况。</p>"
    for n in "一二三四五六七八"
)


def notice(number, title, extra=""):
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><div id='zoom'>"
        f"<h1>{title}</h1><p>{number}</p><p>各区县卫生健康局：</p>{BODY}{extra}"
        "<p>江城市卫生健康委员会</p><p>2024年5月6日</p></div></body></html>"
    )


def test_revision_at_the_same_url_is_a_new_version(tmp_path):
    site = write_site(tmp_path, {
        "index.html": listing({"a.html": "a", "b.html": "b"}),
        "a.html": notice("江卫老龄发〔2024〕3号", "关于推进医养结合工作的通知"),
        "b.html": notice("江卫老龄发〔2024〕4号", "关于做好老年人健康管理工作的通知"),
    })
    registry = write_registry(tmp_path, gov_portal("jc", "index.html"))
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with SampleServer(tmp_path) as server:
        def crawl_once():
            server.reset_counts()
            return crawl(registry, url, server).to_dict()

        first = crawl_once()
        (site / "a.html").write_text(
            notice("江卫老龄发〔2024〕3号", "关于推进医养结合工作的通知", "<p>（九）本通知自印发之日起施行，有效期五年。</p>"),
            encoding="utf-8")
        second = crawl_once()
        statuses = {r.target: r.status for r in server.log}
    assert (first["new_documents"], first["new_versions"]) == (2, 0)
    assert (second["new_documents"], second["new_versions"], second["unchanged"]) == (0, 1, 1)
    assert statuses["/site/a.html"] == 200 and statuses["/site/b.html"] == 304
    doc = get_document(open_archive(url), "江卫老龄发〔2024〕3号").to_dict()
    assert len(doc["versions"]) == 2
    assert "有效期五年" in doc["text"]  # the current version is the newest text
    assert "有效期五年" not in doc["versions"][0]["text"]
