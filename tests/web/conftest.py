"""The web tests' archives: the storage tests' fixtures (SQLite and a private PostgreSQL
schema), and the app over an archive with Starlette's TestClient."""
from __future__ import annotations

import pytest

from tests.storage.conftest import archive_url, module_archive_url, pg_url  # noqa: F401  (fixtures)
from tests.tiny_sites import crawl_demo


@pytest.fixture(scope="module")
def demo_archive(module_archive_url, sample_server):  # noqa: F811
    return crawl_demo(module_archive_url, sample_server)

