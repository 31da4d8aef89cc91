"""What a run records when things go wrong: the crawl goes on, and the run says why."""
import json

from crawler.samples.server import SampleServer
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site

NOTICE = (
    "<html><head><title>关于做好老年人健康管理服务工作的通知</title></head><body><div id='zoom'>"
    "<p>各区县卫生健康局：</p>"
    + "".join(f"<p>第{i}条 为做好老年人健康管理和养老服务工作，推进医养结合，提高老年人健康水平，现将有关事项通知如下。</p>" for i in range(12))
    + "<p>市卫生健康委员会</p><p>2024年5月6日</p></div></body></html>"
)


def make_site(root):
    write_site(root, {
        "index.html": listing({"good.html": "好", "gone.html": "缺", "blocked.html": "挡"}),
        "good.html": NOTICE,
        "blocked.html.412": "<script>challenge()</script>",
        # a listing API that answers HTML instead of JSON (a redesign, a WAF page…)
        "api/list__p=0.json": "<html>系统维护中</html>",
    })
    return write_registry(
        root,
        gov_portal("portal", "index.html"),
        '[[source]]\nid="api"\nname="A"\nkind="gov"\nfamily="policy_api"\n'
        '[source.api]\npage_url="{base}/site/api/list?p={page}"\nitems_path="list"\n',
    )


def test_failures_are_counted_by_kind_and_the_crawl_goes_on(tmp_path):
    registry = make_site(tmp_path)
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, f"sqlite:///{tmp_path / 'a.db'}", server)
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
