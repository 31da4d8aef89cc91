"""The web tests' helpers: the demo archive, and the app over an archive as `serve` opens it."""
from __future__ import annotations


def client_for(url: str):
    """A TestClient on the app over the archive at ``url`` (opened read-only)."""
    from starlette.testclient import TestClient

    from crawler.web.app import create_app

    return TestClient(create_app(url))


def crawl_demo(url: str, sample_server) -> str:  # noqa: ANN001
    """The archive `policy-archive demo` makes at ``url``: every enabled sample source crawled once."""
    from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
    from crawler.samples.server import sample_registry_path
    from spiders.registry import load_registry

    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]
    summary = run_crawl(sources, db_url=url, registry_path=registry, base=sample_server.base_url,
                        settings=LOOPBACK_SETTINGS, timeout=300, progress=False)
    assert summary.ok
    return url

