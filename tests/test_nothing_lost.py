"""Nothing lost: a page whose extraction raises, or that is over POLICY_MAX_PAGE_BYTES,
is kept as a raw capture with the reason, put on the run's record, and fetched whole
again by the next crawl."""
from sqlalchemy import select

from crawler.samples.server import SampleServer
from storage.api import get_run, open_archive
from storage.models import Capture
from tests.test_crawl_failures import NOTICE
from tests.tiny_sites import crawl, gov_portal, listing, write_registry, write_site

LIMIT = 20_000


def make_site(root):
    write_site(root, {
        "index.html": listing({"good.html": "好", "big.html": "大"}),
        "good.html": NOTICE,
        "other.html": listing({"copy.html": "好"}),
        "copy.html": NOTICE,
        "big.html": NOTICE.replace("</body>", "<!--" + "x" * LIMIT + "--></body>"),
    })
    # "broken" has a boilerplate pattern that is not a regex: its extraction raises on every page
    return write_registry(root, gov_portal("portal", "index.html"),
                          gov_portal("broken", "other.html", 'boilerplate=["("]\n'))


def test_unextracted_pages_are_kept_raw_and_fetched_again(tmp_path):
    registry = make_site(tmp_path)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with SampleServer(tmp_path) as server:
        first = {r.source: r for r in crawl(registry, db, server, POLICY_MAX_PAGE_BYTES=LIMIT).sources}
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
        crawl(registry, db, server, POLICY_MAX_PAGE_BYTES=LIMIT)
        asked = {r.target.rsplit("/", 1)[1]: r.headers for r in server.log if r.target.endswith(".html")}
        # the kept-raw pages are fetched whole again; the archived notice only re-checked
        assert "If-None-Match" not in asked["big.html"] and "If-None-Match" not in asked["copy.html"]
        assert "If-None-Match" in asked["good.html"] or server.hits["/site/good.html"] == 2
        archive.dispose()
