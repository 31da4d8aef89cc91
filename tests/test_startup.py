"""Start-up cost: what `--help`, a bad argument and a crawl's waiting parent import.

Not a timing test (tests/bench/startup_bench.py prints the seconds): the modules that
cost start-up time and memory are named, and a fresh interpreter must not load them.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "scrapy", "trafilatura", "datasketch", "scipy", "twisted", "rich")


def _loaded_heavy(code: str) -> list[str]:
    probe = (
        f"{code}\n"
        "import sys\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_building_the_parser_imports_nothing_heavy():
    assert _loaded_heavy("import crawler.cli\ncrawler.cli.build_parser()") == []


@pytest.mark.parametrize("argv", [["--help"], ["crawl", "--help"], ["crawl", "--no-such-flag"], ["bogus"]])
def test_help_and_argument_errors_import_nothing_heavy(argv):
    code = (
        "import contextlib, io, crawler.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        crawler.cli.main({argv!r})\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code in (0, 2), exc.code\n"
    )
    assert _loaded_heavy(code) == []


def test_the_parent_of_a_crawl_does_not_load_the_crawler():
    # The parent only opens and closes runs while the child crawls: Scrapy, trafilatura
    # and datasketch (with scipy) would be ~60 MB held for nothing the whole crawl long.
    loaded = _loaded_heavy("import crawler.run.crawl_process")
    assert "sqlalchemy" in loaded  # it does use the archive: the probe sees real imports
    assert [m for m in loaded if m != "sqlalchemy"] == []


def test_a_signature_does_not_load_datasketch_or_scipy():
    # An extraction worker computes a signature for every page: datasketch's package
    # import (scipy, redis) would be ~45 MB in each worker for one small function.
    code = (
        "from storage import neardup\n"
        "sig = neardup.minhash_signature('关于进一步加强养老服务体系建设的通知，各区县人民政府，市政府各部门' * 3)\n"
        "assert sig is not None and len(sig.values) == neardup.NUM_PERM\n"
    )
    assert _loaded_heavy(code) == []


def test_an_extraction_worker_does_not_load_the_archive():
    loaded = _loaded_heavy("import crawler.work.page_work; crawler.work.page_work.warm_up()")
    assert loaded == ["trafilatura"]


def test_user_errors_of_lazily_imported_modules_are_still_one_line(tmp_path, capsys):
    from crawler.cli import main

    assert main(["sources", "--registry", str(tmp_path / "missing.toml"), "--db", f"sqlite:///{tmp_path}/a.db"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policy-archive: error: source registry not found") and err.count("\n") == 1
    assert main(["stats", "--db", "mysql://nobody@127.0.0.1/x"]) == 2
    assert "unsupported database" in capsys.readouterr().err


def test_the_crawl_process_leaves_extraction_to_its_workers():
    # With extraction workers the crawl process never extracts a page itself.
    loaded = _loaded_heavy("import crawler.components.pipelines, crawler.run.crawl_process")
    assert "scrapy" in loaded and "sqlalchemy" in loaded
    assert not {"trafilatura", "datasketch", "scipy"} & set(loaded)


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    from storage.api import open_archive

    path = tmp_path_factory.mktemp("archive") / "a.db"
    open_archive(f"sqlite:///{path}").dispose()  # made and brought to the newest schema
    return f"sqlite:///{path}"


@pytest.mark.parametrize("argv", [["search", "养老"], ["stats"], ["runs"], ["sources"]])
def test_a_read_of_an_up_to_date_archive_imports_no_migration_machinery(small_archive, argv):
    code = (
        "import contextlib, io, sys, crawler.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert crawler.cli.main({[*argv, '--db', small_archive]!r}) == 0\n"
        "print(' '.join(m for m in ('alembic', 'numpy', 'storage.ingest') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []


def test_the_schema_head_is_alembics_head():
    from alembic.script import ScriptDirectory

    from storage import db

    assert ScriptDirectory.from_config(db._alembic_config()).get_heads() == [db.SCHEMA_HEAD]
