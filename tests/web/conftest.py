"""The web tests' archives: the storage tests' fixtures (SQLite and a private PostgreSQL
schema), and the app over an archive with Starlette's TestClient."""
from __future__ import annotations

import pytest

from tests.storage.conftest import archive_url, module_archive_url, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def demo_archive(module_archive_url, sample_server):  # noqa: F811
    """The archive `policy-archive demo` makes: every enabled sample source crawled once."""
    from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
    from crawler.samples.server import sample_registry_path
    from spiders.registry import load_registry

    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]
    summary = run_crawl(sources, db_url=module_archive_url, registry_path=registry, base=sample_server.base_url,
                        settings=LOOPBACK_SETTINGS, timeout=300, progress=False)
    assert summary.ok
    return module_archive_url

