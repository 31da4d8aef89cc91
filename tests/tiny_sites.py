"""Small gov_portal sites written into a test's tmp dir, and one crawl of them through
the real crawl process against the sample server: the setup the crawl tests share."""
from __future__ import annotations

from pathlib import Path

from crawler.run.crawl_process import CrawlSummary, run_crawl
from spiders.registry import load_registry


def listing(links: dict[str, str]) -> str:
    """A listing page: one ``<li><a>`` per ``{href: text}`` in a ``ul.list``."""
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links.items())
    return f'<ul class="list">{items}</ul>'


def write_site(root: Path, files: dict[str, str]) -> Path:
    """``root/site`` with these files (UTF-8, declared in the header) and returns it."""
    site = root / "site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "_site.toml").write_text('charset_header = "utf-8"\n', encoding="utf-8")
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def gov_portal(source_id: str, start: str, extra: str = "") -> str:
    """The registry entry of a gov_portal source walking ``site/<start>``'s ``ul.list``."""
    return (f'[[source]]\nid="{source_id}"\nname="{source_id}"\nkind="gov"\nfamily="gov_portal"\n'
            f'start_urls=["{{base}}/site/{start}"]\nlist_links="ul.list a"\n{extra}')


def write_registry(root: Path, *entries: str) -> Path:
    registry = root / "sources.toml"
    registry.write_text("".join(entries), encoding="utf-8")
    return registry


def crawl(registry: Path, db_url: str, server, **settings) -> CrawlSummary:  # noqa: ANN001
    """Every source of ``registry`` crawled once from ``server`` (loopback defaults apply)."""
    return run_crawl(list(load_registry(registry).values()), db_url=db_url, registry_path=registry,
                     base=server.base_url, settings=settings, progress=False)


def crawl_demo(url: str, sample_server) -> str:  # noqa: ANN001
    """The archive `policy-archive demo` makes at ``url``: every enabled sample source crawled once."""
    from crawler.run.crawl_process import LOOPBACK_SETTINGS
    from crawler.samples.server import sample_registry_path

    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]
    summary = run_crawl(sources, db_url=url, registry_path=registry, base=sample_server.base_url,
                        settings=LOOPBACK_SETTINGS, timeout=300, progress=False)
    assert summary.ok
    return url



def crawl_one_notice(root: Path, db_url: str, notice: str, query: str, files: dict[str, bytes] | None = None):
    """One listing linking ``notice`` (with ``files`` beside it, e.g. its attachments) crawled
    into ``db_url`` through the real crawl process; the one document ``search(query)`` finds."""
    from crawler.samples.server import SampleServer
    from storage.api import get_document, open_archive, search

    site = write_site(root, {"index.html": listing({"n1.html": "通知"}), "n1.html": notice})
    for name, body in (files or {}).items():
        (site / name).write_bytes(body)
    registry = write_registry(root, gov_portal("evil", "index.html"))
    with SampleServer(root) as server:
        summary = crawl(registry, db_url, server)
    assert summary.sources[0].counters["new_documents"] == 1, summary.to_dict()
    with open_archive(db_url) as archive:
        (hit,) = search(archive, query).hits
        return get_document(archive, hit.id)
