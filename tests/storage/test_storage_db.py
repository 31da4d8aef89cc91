"""Opening the archive: URLs, SQLite settings, and migrations that match the models."""
from __future__ import annotations

import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import storage.db as db
from storage import search_index
from storage.api import ArchiveError, ingest, open_archive
from storage.models import Base
from storage_samples import NOTICE_A, NOTICE_B, later, page


@pytest.mark.parametrize(
    "url, message",
    [
        ("not-a-url", "not a database URL"),
        ("foo://x", "unsupported database"),
        ("mysql+pymysql://u:secret@db.test/archive", "unsupported database"),
        ("sqlite+nosuchdriver:///x.db", "cannot use"),
    ],
)
def test_bad_urls_raise_one_line(url, message):
    with pytest.raises(ArchiveError, match=message) as info:
        open_archive(url)
    assert "\n" not in str(info.value)
    assert "secret" not in str(info.value)


@pytest.mark.postgres
def test_an_unreachable_server_raises_one_line():
    # Port 1 on loopback: refused at once, no timeout to wait out.
    with pytest.raises(ArchiveError, match=r"cannot open postgresql(\+psycopg)?://postgres:\*\*\*@127\.0\.0\.1:1/test: ") as info:
        open_archive("postgresql://postgres:pw@127.0.0.1:1/test")
    assert "\n" not in str(info.value) and ":pw@" not in str(info.value)


def test_a_file_that_is_no_database_raises_one_line(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("这不是数据库\n" * 500, encoding="utf-8")
    with pytest.raises(ArchiveError, match="cannot open sqlite:///.*notes.db: file is not a database"):
        open_archive(f"sqlite:///{bogus}")


def test_default_url_is_a_sqlite_file_under_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    with open_archive() as archive:
        assert archive.url == "sqlite:///./data/archive.db"
    assert (tmp_path / "data" / "archive.db").is_file()


def test_the_environment_names_the_archive(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "er" / "x.db"
    monkeypatch.setenv(db.ENV_VAR, f"sqlite:///{target}")
    with open_archive():
        pass
    assert target.is_file()


def test_in_memory_sqlite_works(tmp_path):
    with open_archive("sqlite://") as archive:
        assert ingest(archive, page("gov", "gov", "http://gov.test/a", NOTICE_A)).outcome == "new_document"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    with open_archive(sqlite_url) as archive, archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS


def test_readers_are_not_blocked_by_a_writer(sqlite_url):
    with open_archive(sqlite_url) as archive:
        ingest(archive, page("gov", "gov", "http://gov.test/a", NOTICE_A))
        with archive.transaction() as writer:
            writer.execute(text("UPDATE document SET title = 'changing'"))
            # Another connection reads the last committed state while the write is open.
            with archive.engine.connect() as reader:
                assert reader.execute(text("SELECT title FROM document")).scalar() is None


def test_concurrent_ingests_keep_one_document_per_number(archive_url):
    """Two processes' worth of writers racing on the same 文号 never make two documents."""
    archives = [open_archive(archive_url) for _ in range(4)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(3):
                record = page(f"site{n}", "aggregator", f"http://s{n}.test/{i}", NOTICE_A if i % 2 else NOTICE_B,
                              at=later(i), doc_number="市政办发〔2016〕12号" if i % 2 else None)
                ingest(archives[n], record)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        with archives[0].engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM document")).scalar() == 2
    finally:
        for a in archives:
            a.dispose()


def _compare(conn):
    # The FTS5 table (SQLite) and the GIN index (PostgreSQL) of migration 0005 are no models.
    context = MigrationContext.configure(conn, opts={"include_object": search_index.include_object})
    return compare_metadata(context, Base.metadata)


def test_migrations_create_exactly_the_models_schema(archive):
    with archive.engine.connect() as conn:
        assert _compare(conn) == []
        tables = set(inspect(conn).get_table_names())
        indexes = {i["name"] for i in inspect(conn).get_indexes("search_entry")}
    fts = {t for t in tables if t.startswith(search_index.FTS_TABLE)}
    assert tables - fts == set(Base.metadata.tables) | {"alembic_version"}
    if archive.dialect == "sqlite":
        assert search_index.FTS_TABLE in fts and search_index.PG_GIN_INDEX not in indexes
    else:
        assert fts == set() and search_index.PG_GIN_INDEX in indexes


def test_migrations_go_down_and_up_again(archive):
    with archive.engine.execution_options(archive_write=True).begin() as conn:
        command.downgrade(db._alembic_config(conn), "base")
    with archive.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    assert not db.schema_is_current(archive.engine)
    db.upgrade_schema(archive.engine)
    assert db.schema_is_current(archive.engine)
    with archive.engine.connect() as conn:
        assert _compare(conn) == []


def test_opening_again_keeps_the_data(archive_url):
    with open_archive(archive_url) as first:
        ingest(first, page("gov", "gov", "http://gov.test/a", NOTICE_A))
    with open_archive(archive_url) as second, second.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM capture")).scalar() == 1


def test_many_openers_of_a_new_archive_migrate_it_once(archive_url):
    opened, errors = [], []

    def work() -> None:
        try:
            opened.append(open_archive(archive_url))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == [] and len(opened) == 4
        with opened[0].engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        for a in opened:
            a.dispose()
