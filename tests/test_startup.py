"""Start-up cost: what `--help`, a bad argument and a crawl's waiting parent import.

Not a timing test (tests/bench/startup_bench.py prints the seconds): the modules that
cost start-up time and memory are named, and a fresh interpreter must not load them.
"""
import json
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
    """An archive of the newest schema holding two notices (one cites the other)."""
    from storage.api import ingest, open_archive
    from tests.storage.storage_samples import NOTICE_A, NOTICE_B, page

    url = f"sqlite:///{tmp_path_factory.mktemp('archive') / 'a.db'}"
    with open_archive(url) as archive:
        ingest(archive, page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A))
        ingest(archive, page("gov_b", "gov", "http://gov.example/n/2.html", NOTICE_B))
    return url


def _imported_by_command(argv: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after running the command as the console
    script does (``crawler.cli.main``), nothing of the test's own imports among them.
    sys.modules, not a -X importtime log: that leaves out what importlib.import_module
    loads (the CLI's command modules, storage.api's names)."""
    code = (
        "import contextlib, io, json, sys\n"
        "from crawler.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    code = main({argv!r})\n"
        "print(json.dumps({'code': code, 'answered': bool(out.getvalue().strip()), 'modules': sorted(sys.modules)}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["code"] == 0 and result["answered"], proc.stderr[-2000:]
    return set(result["modules"])


# A read answers from the archive's tables in SQLAlchemy Core: no migration machinery, no
# crawler (Scrapy, Twisted, trafilatura), no ORM and its mapped models, no ingest (numpy).
NOT_ON_A_READ = ("alembic", "scrapy", "twisted", "trafilatura", "sqlalchemy.orm", "storage.models",
                 "storage.ingest", "numpy", "charset_normalizer")


@pytest.mark.parametrize("argv", [["search", "养老"], ["search", "养老", "--region", "北京", "--json"],
                                  ["show", "1"], ["show", "1", "--json"], ["history", "1"], ["stats"]])
def test_a_read_imports_no_migrations_no_crawler_and_no_orm(small_archive, argv):
    loaded = _imported_by_command([*argv, "--db", small_archive])
    assert "storage.tables" in loaded and "sqlalchemy" in loaded  # the log lists what was read
    assert sorted(m for m in loaded if m.split(".")[0] in NOT_ON_A_READ or m in NOT_ON_A_READ) == []


@pytest.mark.parametrize("argv", [["runs"], ["sources"]])
def test_other_reads_of_an_up_to_date_archive_import_no_migration_machinery(small_archive, argv):
    loaded = _imported_by_command([*argv, "--db", small_archive])
    assert sorted(m for m in loaded if m.split(".")[0] in ("alembic", "scrapy", "twisted", "trafilatura")) == []


def test_each_command_is_built_from_the_module_that_adds_it():
    import importlib

    from crawler.cli import COMMAND_MODULES, COMMANDS
    from crawler.cli.common import PROG, Parser

    added = {}
    for module in COMMAND_MODULES:
        sub = Parser(prog=PROG).add_subparsers(dest="command", parser_class=Parser)
        importlib.import_module(f"crawler.cli.{module}").register(sub)
        added.update({command: module for command in sub.choices})
    assert COMMANDS == added


def test_a_search_builds_only_its_own_commands_parser(small_archive):
    loaded = _imported_by_command(["search", "养老", "--db", small_archive])
    assert "crawler.cli.archive" in loaded
    assert not {"crawler.cli.crawl", "crawler.cli.sources", "crawler.cli.samples", "crawler.cli.worker"} & loaded


def test_the_schema_head_is_alembics_head():
    from alembic.script import ScriptDirectory

    from storage import db

    assert ScriptDirectory.from_config(db._alembic_config()).get_heads() == [db.SCHEMA_HEAD]
