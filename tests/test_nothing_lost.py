"""Nothing lost: a page whose extraction raises, or that is over POLICY_MAX_PAGE_BYTES,
is kept as a raw capture with the reason, put on the run's record, and fetched whole
again by the next crawl."""
from sqlalchemy import select

from crawler.crawl_process import run_crawl
from crawler.sampleserver import SampleServer
from spiders.registry import load_registry
from storage import get_run, open_archive
from storage.models import Capture
from tests.test_crawl_failures import NOTICE

LIMIT = 20_000


def make_site(root):
    site = root / "site"
    site.mkdir()
    (site / "_site.toml").write_text('charset_header = "utf-8"\n', encoding="utf-8")
    (site / "index.html").write_text(
        '<ul class="list"><li><a href="good.html">好</a></li><li><a href="big.html">大</a></li></ul>', encoding="utf-8")
    (site / "good.html").write_text(NOTICE, encoding="utf-8")
    (site / "other.html").write_text('<ul class="list"><li><a href="copy.html">好</a></li></ul>', encoding="utf-8")
    (site / "copy.html").write_text(NOTICE, encoding="utf-8")
    (site / "big.html").write_text(NOTICE.replace("</body>", "<!--" + "x" * LIMIT + "--></body>"), encoding="utf-8")
    registry = root / "sources.toml"
    # "broken" has a boilerplate pattern that is not a regex: its extraction raises on every page
    registry.write_text(
        '[[source]]\nid="portal"\nname="P"\nkind="gov"\nfamily="gov_portal"\n'
        'start_urls=["{base}/site/index.html"]\nlist_links="ul.list a"\n'
        '[[source]]\nid="broken"\nname="B"\nkind="gov"\nfamily="gov_portal"\n'
        'start_urls=["{base}/site/other.html"]\nlist_links="ul.list a"\nboilerplate=["("]\n',
        encoding="utf-8",
    )
    return registry


def test_unextracted_pages_are_kept_raw_and_fetched_again(tmp_path):
    registry = make_site(tmp_path)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    sources = list(load_registry(registry).values())
    with SampleServer(tmp_path) as server:
        crawl = lambda: run_crawl(sources, db_url=db, registry_path=registry, base=server.base_url,  # noqa: E731
                                  settings={"POLICY_MAX_PAGE_BYTES": LIMIT}, progress=False)
        first = {r.source: r for r in crawl().sources}
        archive = open_archive(db)
        with archive.session() as s:
            kept = {(c.source_id, c.url.rsplit("/", 1)[1]): (c.error_kind, c.error, c.raw_size)
                    for c in s.scalars(select(Capture))}
        assert kept[("portal", "good.html")][0] is None
        kind, error, size = kept[("portal", "big.html")]
        assert kind == "too_large" and size > LIMIT and "POLICY_MAX_PAGE_BYTES" in error
        kind, error, size = kept[("broken", "copy.html")]
        assert kind == "parse" and error and size == len(NOTICE.encode())
        assert first["portal"].status == "partial"  # pages came in, one was kept raw
        assert first["broken"].status == "failed"  # nothing it fetched could be read
        failures = {(f.kind, f.url.rsplit("/", 1)[1]) for f in get_run(archive, first["portal"].run_id).failures}
        assert failures == {("too_large", "big.html")}
        failures = {(f.kind, f.url.rsplit("/", 1)[1]) for f in get_run(archive, first["broken"].run_id).failures}
        assert failures == {("parse", "copy.html")}

        server.reset_counts()
        crawl()
        asked = {r.target.rsplit("/", 1)[1]: r.headers for r in server.log if r.target.endswith(".html")}
        # the kept-raw pages are fetched whole again; the archived notice only re-checked
        assert "If-None-Match" not in asked["big.html"] and "If-None-Match" not in asked["copy.html"]
        assert "If-None-Match" in asked["good.html"] or server.hits["/site/good.html"] == 2
        archive.dispose()
