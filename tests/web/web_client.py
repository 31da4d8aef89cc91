"""The web tests' helpers: the demo archive, and the app over an archive as `serve` opens it."""
from __future__ import annotations


def client_for(url: str):
    """A TestClient on the app over the archive at ``url`` (opened read-only)."""
    from starlette.testclient import TestClient

    from crawler.web.app import create_app

    return TestClient(create_app(url))

