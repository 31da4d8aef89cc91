"""Archives for the storage tests: a fresh SQLite file, and a private PostgreSQL schema.

PostgreSQL tests run in a schema of their own (random name, first on search_path) that
is dropped afterwards, so parallel and repeated runs never see each other's rows.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from storage.api import Archive, open_archive

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_admin():
    engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the server is down: say so, and skip instead of erroring
        engine.dispose()
        message = f"PostgreSQL not reachable at 127.0.0.1:5432: {type(exc).__name__}"
        if os.environ.get("POLICY_ARCHIVE_REQUIRE_SERVICES"):
            pytest.fail(message)  # CI starts the server: a skip there would hide a failure
        pytest.skip(message)
    return engine


@contextmanager
def private_pg_schema() -> Iterator[str]:
    """The URL of an empty schema of its own on the test server, dropped afterwards."""
    admin = _pg_admin()
    schema = f"pa_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with private_pg_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/archive.db"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def archive_url(request) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def archive(archive_url) -> Iterator[Archive]:
    arch = open_archive(archive_url)
    try:
        yield arch
    finally:
        arch.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_archive_url(request, tmp_path_factory) -> Iterator[str]:
    """Like archive_url, shared by a module's tests (for read-only tests on one filling)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('archive')}/archive.db"
    else:
        with private_pg_schema() as url:
            yield url
