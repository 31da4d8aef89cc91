"""A real site's URLs served from loopback: the host map, pure and in a real crawl."""
import pytest

from crawler.components.hostmap import HostMap
from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.server import sample_registry_path
from spiders.registry import load_registry
from storage.api import open_archive
from storage.models import Capture

from sqlalchemy import select


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("https://www.nhc.gov.cn/wjw/list.shtml", "http://127.0.0.1:9/nhc/wjw/list.shtml"),
        ("https://WWW.NHC.GOV.CN/a?b=1", "http://127.0.0.1:9/nhc/a?b=1"),
        ("https://www.nhc.gov.cn", "http://127.0.0.1:9/nhc/"),
        ("http://www.nhc.gov.cn/x", None),  # another origin: not mapped
        ("https://sousuo.www.gov.cn/x", None),
    ],
)
def test_forward(url, loopback):
    hm = HostMap({"https://www.nhc.gov.cn": "http://127.0.0.1:9/nhc"})
    assert hm.to_loopback(url) == loopback


def test_reverse_prefers_the_longest_prefix_and_the_scheme_hint():
    hm = HostMap({
        "https://a.gov.cn": "http://127.0.0.1:9/a",
        "http://a.gov.cn": "http://127.0.0.1:9/a",
        "https://ab.gov.cn": "http://127.0.0.1:9/ab",
    })
    assert hm.to_original("http://127.0.0.1:9/ab/x.html") == "https://ab.gov.cn/x.html"
    assert hm.to_original("http://127.0.0.1:9/a/x.html", "http") == "http://a.gov.cn/x.html"
    assert hm.to_original("http://127.0.0.1:9/a/x.html", "https") == "https://a.gov.cn/x.html"
    assert hm.to_original("http://127.0.0.1:9/abc/x.html") is None


def test_only_loopback_targets():
    with pytest.raises(ValueError):
        HostMap({"https://www.nhc.gov.cn": "http://10.0.0.1/nhc"})


def test_a_crawl_archives_the_real_urls(sample_server, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    registry = sample_registry_path()
    src = load_registry(registry)["baoshan"]
    real = "https://www.baoshan.gov.cn"
    summary = run_crawl(
        [src], db_url=url, registry_path=registry, base=real,
        settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": {real: sample_server.base_url}},
        timeout=300, progress=False,
    )
    assert summary.to_dict()["sources"][0]["pages"] > 0, summary.to_dict()
    archive = open_archive(url)
    with archive.session() as s:
        urls = s.scalars(select(Capture.url)).all()
    assert urls and all(u.startswith(real + "/baoshan/") for u in urls), urls[:3]
    assert any(r.target.startswith("/baoshan/xxgk/") for r in sample_server.log)
