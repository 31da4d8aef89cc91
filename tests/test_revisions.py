"""A notice revised at its URL becomes a new version on the next (incremental) crawl;
an untouched one is re-checked with a conditional request and stays as it was."""
from crawler.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.sampleserver import SampleServer
from spiders.registry import load_registry
from storage import get_document, open_archive

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
    site = tmp_path / "site"
    site.mkdir()
    (site / "_site.toml").write_text('charset_header = "utf-8"\n', encoding="utf-8")
    (site / "index.html").write_text(
        '<ul class="list"><li><a href="a.html">a</a></li><li><a href="b.html">b</a></li></ul>', encoding="utf-8")
    (site / "a.html").write_text(notice("江卫老龄发〔2024〕3号", "关于推进医养结合工作的通知"), encoding="utf-8")
    (site / "b.html").write_text(notice("江卫老龄发〔2024〕4号", "关于做好老年人健康管理工作的通知"), encoding="utf-8")
    registry = tmp_path / "sources.toml"
    registry.write_text('[[source]]\nid="jc"\nname="J"\nkind="gov"\nfamily="gov_portal"\n'
                        'start_urls=["{base}/site/index.html"]\nlist_links="ul.list a"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    sources = list(load_registry(registry).values())
    with SampleServer(tmp_path) as server:
        def crawl():
            server.reset_counts()
            return run_crawl(sources, db_url=url, registry_path=registry, base=server.base_url,
                             settings=LOOPBACK_SETTINGS, progress=False).to_dict()

        first = crawl()
        (site / "a.html").write_text(
            notice("江卫老龄发〔2024〕3号", "关于推进医养结合工作的通知", "<p>（九）本通知自印发之日起施行，有效期五年。</p>"),
            encoding="utf-8")
        second = crawl()
        statuses = {r.target: r.status for r in server.log}
    assert (first["new_documents"], first["new_versions"]) == (2, 0)
    assert (second["new_documents"], second["new_versions"], second["unchanged"]) == (0, 1, 1)
    assert statuses["/site/a.html"] == 200 and statuses["/site/b.html"] == 304
    doc = get_document(open_archive(url), "江卫老龄发〔2024〕3号").to_dict()
    assert len(doc["versions"]) == 2
    assert "有效期五年" in doc["text"]  # the current version is the newest text
    assert "有效期五年" not in doc["versions"][0]["text"]
