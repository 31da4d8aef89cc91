"""What a run records when things go wrong: the crawl goes on, and the run says why."""
import json

from crawler.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.sampleserver import SampleServer
from spiders.registry import load_registry

NOTICE = (
    "<html><head><title>关于做好老年人健康管理服务工作的通知</title></head><body><div id='zoom'>"
    "<p>各区县卫生健康局：</p>"
    + "".join(f"<p>第{i}条 为做好老年人健康管理和养老服务工作，推进医养结合，提高老年人健康水平，现将有关事项通知如下。</p>" for i in range(12))
    + "<p>市卫生健康委员会</p><p>2024年5月6日</p></div></body></html>"
)


def make_site(root):
    site = root / "site"
    (site / "api").mkdir(parents=True)
    (site / "_site.toml").write_text('charset_header = "utf-8"\n', encoding="utf-8")
    (site / "index.html").write_text(
        '<ul class="list"><li><a href="good.html">好</a></li><li><a href="gone.html">缺</a></li>'
        '<li><a href="blocked.html">挡</a></li></ul>', encoding="utf-8")
    (site / "good.html").write_text(NOTICE, encoding="utf-8")
    (site / "blocked.html.412").write_text("<script>challenge()</script>", encoding="utf-8")
    # a listing API that answers HTML instead of JSON (a redesign, a WAF page…)
    (site / "api" / "list__p=0.json").write_text("<html>系统维护中</html>", encoding="utf-8")
    registry = root / "sources.toml"
    registry.write_text(
        '[[source]]\nid="portal"\nname="P"\nkind="gov"\nfamily="gov_portal"\n'
        'start_urls=["{base}/site/index.html"]\nlist_links="ul.list a"\n'
        '[[source]]\nid="api"\nname="A"\nkind="gov"\nfamily="policy_api"\n'
        '[source.api]\npage_url="{base}/site/api/list?p={page}"\nitems_path="list"\n',
        encoding="utf-8",
    )
    return registry


def test_failures_are_counted_by_kind_and_the_crawl_goes_on(tmp_path):
    registry = make_site(tmp_path)
    with SampleServer(tmp_path) as server:
        summary = run_crawl(
            list(load_registry(registry).values()), db_url=f"sqlite:///{tmp_path / 'a.db'}",
            registry_path=registry, base=server.base_url, settings=LOOPBACK_SETTINGS, progress=False,
        )
    by_source = {r.source: r for r in summary.sources}
    portal = by_source["portal"]
    assert portal.counters["new_documents"] == 1  # the good page made it despite its neighbours
    assert portal.error_kinds == {"http_4xx": 1, "anti_bot": 1}
    assert portal.status == "partial"  # pages came in, some URLs failed
    api = by_source["api"]
    assert api.error_kinds == {"parse": 1}
    assert api.status == "failed"
    assert any("not JSON" in s for s in api.error_samples)
    json.dumps(summary.to_dict())  # the summary is plain data
