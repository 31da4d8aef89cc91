"""Opening rules: only a crawl makes an archive; a read never builds a schema; what the
database refuses is one line; ids and limits a user types are checked, not passed on."""
from __future__ import annotations

import contextlib
import io
import subprocess

import pytest
from sqlalchemy import create_engine, text

from crawler.cli import main
from spiders.registry import Source
from storage.api import NoArchive, get_document, get_run, list_runs, open_archive, start_run, sync_sources
from storage.db import ArchiveError

SRC = Source(id="gov_a", name="A", kind="gov", family="gov_portal", start_urls=("http://gov.example/",))
HUGE = "9" * 20


def cli(*args: str) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own errors
            code = exc.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def one_line(proc: subprocess.CompletedProcess, fragment: str, code: int = 2) -> None:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == code and len(lines) == 1, proc.stderr
    assert fragment in lines[0] and "Traceback" not in proc.stderr


def _pg_tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")))
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", [["reindex"], ["reextract"]])
def test_write_commands_on_a_mistyped_path_create_nothing(tmp_path, command):
    missing = tmp_path / "typo" / "archive.db"
    one_line(cli(*command, "--db", f"sqlite:///{missing}"), f"no archive at {missing}")
    assert not missing.parent.exists()


@pytest.mark.parametrize("command", [["search", "养老"], ["stats"], ["runs"], ["reindex"], ["show", "1"]])
def test_a_zero_byte_file_is_not_an_archive_and_stays_empty(tmp_path, command):
    empty = tmp_path / "empty.db"
    empty.touch()
    one_line(cli(*command, "--db", f"sqlite:///{empty}"), "not an archive: sqlite:///")
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


@pytest.mark.parametrize("command", [["search", "养老"], ["show", "1"], ["stats"], ["reindex"]])
def test_an_archive_of_a_newer_schema_is_refused_in_one_line_and_left_alone(tmp_path, command):
    # what a newer policy-archive leaves behind: a revision this one does not know
    path = tmp_path / "a.db"
    open_archive(f"sqlite:///{path}").dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    one_line(cli(*command, "--db", f"sqlite:///{path}"), "the archive's schema (9999) is newer than this policy-archive's")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "9999"
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["search", "养老"], ["stats"], ["runs"], ["reindex"]])
def test_an_empty_postgres_database_is_not_an_archive_and_stays_empty(pg_url, command):
    one_line(cli(*command, "--db", pg_url), "not an archive: postgresql+psycopg://")
    assert _pg_tables(pg_url) == []


@pytest.mark.postgres
def test_open_archive_without_create_refuses_an_empty_database(pg_url):
    with pytest.raises(NoArchive):
        open_archive(pg_url, create=False)
    open_archive(pg_url).dispose()  # a crawl's opening makes it
    open_archive(pg_url, create=False).dispose()
    assert "listing_walk" in _pg_tables(pg_url)


@pytest.mark.postgres
def test_a_postgres_scheme_url_is_taken_as_postgresql(pg_url):
    open_archive(pg_url).dispose()
    libpq_style = pg_url.replace("postgresql+psycopg://", "postgres://")
    proc = cli("stats", "--json", "--db", libpq_style)
    assert proc.returncode == 0, proc.stderr
    with open_archive(libpq_style, read_only=True) as archive:
        assert archive.dialect == "postgresql"


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["reindex"], ["demo"], ["crawl", "dead"]])
def test_a_read_only_archive_refuses_writes_in_one_line(pg_url, command, tmp_path):
    open_archive(pg_url).dispose()
    registry = tmp_path / "sources.toml"
    registry.write_text('[[source]]\nid="dead"\nname="Dead"\nkind="gov"\nfamily="gov_portal"\n'
                        'start_urls=["http://127.0.0.1:9/index.html"]\n', encoding="utf-8")
    if command[0] == "crawl":
        command = [*command, "--registry", str(registry)]
    read_only = pg_url + "%20-cdefault_transaction_read_only%3Don"
    one_line(cli(*command, "--json", "--db", read_only), "the database refused: cannot execute", code=1)


def test_ids_past_64_bits_name_no_row(archive):
    assert get_document(archive, HUGE) is None and get_run(archive, int(HUGE)) is None


def test_runs_of_a_source_the_archive_never_had_is_an_error(archive):
    sync_sources(archive, [SRC])
    start_run(archive, "gov_a", "cli")
    assert len(list_runs(archive, source_id="gov_a")) == 1
    with pytest.raises(ArchiveError, match="unknown source 'nosuch'"):
        list_runs(archive, source_id="nosuch")
    with pytest.raises(ValueError):
        list_runs(archive, limit=-1)


@pytest.mark.parametrize("command, fragment", [
    (["show", HUGE], f"no document '{HUGE}'"), (["history", HUGE], f"no document '{HUGE}'"),
    (["diff", HUGE], f"no document '{HUGE}'"), (["runs", HUGE], f"no crawl run {HUGE}"),
    (["runs", "--limit", "-1"], "--limit: must be 1 or more"), (["runs", "--limit", "0"], "--limit: must be 1 or more"),
    (["runs", "--source", "nosuch"], "unknown source 'nosuch'"),
])
def test_ids_limits_and_sources_typed_by_a_user_are_one_line(archive_url, command, fragment):
    with open_archive(archive_url) as archive:
        sync_sources(archive, [SRC])
    one_line(cli(*command, "--db", archive_url), fragment)
