"""Issue 11's acceptance, as a user runs it: the sample sites crawled into an archive on
each backend, then search, show, new (with an Atom feed feedparser reads), export and
stats through the command line; hostile input; read-only and missing archives."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import main
from storage.api import open_archive
from storage.models import Document, Version
from storage.search_tokens import FALSE_BIGRAMS
from tests.tiny_sites import crawl_demo

ROOT = Path(__file__).resolve().parents[2]
FALSE_FRIENDS = re.compile("|".join(map(re.escape, FALSE_BIGRAMS)))


def cli(*args: str, db: str | None = None) -> subprocess.CompletedProcess:
    """The command line, run in this process (its main() is what the console script calls)."""
    argv = [*args] + (["--db", db] if db else [])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own errors
            code = exc.code
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def ok_json(*args: str, db: str):
    proc = cli(*args, "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def demo(module_archive_url, sample_server):
    """The archive `policy-archive demo` makes: every enabled sample source crawled once."""
    return crawl_demo(module_archive_url, sample_server)


def _documents(url: str) -> dict[int, tuple[Document, str]]:
    with open_archive(url) as archive, archive.session() as session:
        rows = session.query(Document, Version.text).outerjoin(Version, Version.id == Document.current_version_id)
        return {doc.id: (doc, text or "") for doc, text in rows}


@pytest.mark.parametrize("term", ["养老", "医保", "护理", "沈阳"])
def test_search_finds_every_notice_containing_the_term_and_nothing_else(demo, term):
    expected = set()
    for doc_id, (doc, text) in _documents(demo).items():
        searched = FALSE_FRIENDS.sub("\x00", " ".join([doc.title or "", doc.doc_number or "", text]))
        if term in searched:
            expected.add(doc_id)
    result = ok_json("search", term, "--limit", "1000", db=demo)
    assert {h["id"] for h in result["hits"]} == expected
    assert result["total"] == len(expected) > 0


def test_notices_with_the_term_in_their_title_rank_first(demo):
    hits = ok_json("search", "医养结合", db=demo)["hits"]
    in_title = [("医养结合" in h["title"]) for h in hits]
    assert in_title[: sum(in_title)] == [True] * sum(in_title) and sum(in_title) >= 2


@pytest.mark.parametrize("term", ["养老", "医保", "健康", "医养结合", "沈阳"])
def test_copies_without_metadata_rank_below_the_documents_with_some(demo, term):
    hits = ok_json("search", term, "--limit", "100", db=demo)["hits"]
    bare = [not (h["agency"] or h["region"] or h["doc_number"]) for h in hits]
    assert bare == sorted(bare), [(h["id"], h["title"]) for h in hits]


def test_query_language_on_the_archive(demo):
    either = ok_json("search", '"长期护理" OR 失能', "--limit", "100", db=demo)
    care = ok_json("search", "长期护理", "--limit", "100", db=demo)
    assert either["total"] > care["total"] > 0
    assert {h["id"] for h in ok_json("search", "養老", "--limit", "100", db=demo)["hits"]} == {
        h["id"] for h in ok_json("search", "养老", "--limit", "100", db=demo)["hits"]}
    for form in ("国办发[2019]5号", "国办发（2019）5号", "国办发〔2019〕5号"):
        assert ok_json("search", form, db=demo)["hits"][0]["doc_number"] == "国办发〔2019〕5号"
    marked = ok_json("search", "失能", db=demo)["hits"][0]
    assert "<mark>失能</mark>" in marked["snippet"]


def test_show_resolves_any_bracket_form(demo):
    assert ok_json("show", "保政办发[2018]66号", db=demo)["doc_number"] == "保政办发〔2018〕66号"


def test_new_writes_an_atom_feed_a_feed_parser_reads(demo, tmp_path):
    feedparser = pytest.importorskip("feedparser")
    feed_path = tmp_path / "feed.xml"
    listed = ok_json("new", "--since", "3650d", "--atom", str(feed_path), db=demo)
    feed = feedparser.parse(feed_path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == listed["count"] > 20
    assert {e.id for e in feed.entries} == {f"urn:policy-archive:document:{d['id']}" for d in listed["documents"]}
    assert all(e.link.startswith("http://127.0.0.1") for e in feed.entries)
    assert ok_json("new", "--since", "2000-01-01", "--topic", "eldercare", db=demo)["count"] < listed["count"]


def test_the_feed_of_one_query_keeps_its_id_from_run_to_run(demo, tmp_path):
    """A feed reader tells feeds and entries apart by id: the same query is the same feed."""
    from xml.etree import ElementTree as ET

    def ids(*args: str) -> tuple[str, list[str]]:
        path = tmp_path / "feed.xml"
        assert cli("new", *args, "--atom", str(path), db=demo).returncode == 0
        root = ET.fromstring(path.read_bytes())
        ns = {"a": "http://www.w3.org/2005/Atom"}
        return root.find("a:id", ns).text, [e.find("a:id", ns).text for e in root.findall("a:entry", ns)]

    first, again = ids("--since", "3650d"), ids("--since", "3650d")
    assert first == again and first[1]
    assert ids("--since", "3650d", "--topic", "eldercare")[0] != first[0]


def test_csv_export_for_excel_starts_with_a_byte_order_mark(demo, tmp_path):
    out = tmp_path / "excel.csv"
    assert cli("export", "--format", "csv", "--bom", "--out", str(out), db=demo).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == ok_json("stats", db=demo)["documents"]
    refused = cli("export", "--bom", db=demo)
    assert refused.returncode == 2 and "--bom is for --format csv" in refused.stderr


def test_export_one_row_per_document(demo, tmp_path):
    total = ok_json("stats", db=demo)["documents"]
    out = tmp_path / "a.csv"
    proc = cli("export", "--format", "csv", "--out", str(out), db=demo)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == total and {r["id"] for r in rows} == {str(i) for i in _documents(demo)}
    assert all(r["urls"].startswith("http://") and r["text"] for r in rows)
    proc = cli("export", "--region", "保山", db=demo)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines and all("保山" in r["region"] for r in lines)


def test_stats_counts_by_topic_region_year_source(demo):
    stats = ok_json("stats", db=demo)
    assert sum(stats["by_region"].values()) == sum(stats["by_year"].values()) == stats["documents"]
    assert set(stats["by_topic"]) == {"health", "eldercare"} and "shenyang" in stats["by_source"]
    text = cli("stats", db=demo).stdout
    assert "documents by region" in text and "documents by year" in text


@pytest.mark.parametrize(
    "args",
    [
        ["search", '" OR 1=1 --'], ["search", "*"], ["search", "ab " * 3400], ["search", "ab " * 3300],
        ["search", "x", "--since", "notadate"], ["search", "x", "--limit", "-1"], ["search", "x", "--page", "0"],
        ["search", "x", "--topic", "养老"], ["search", "'; DROP TABLE document; --"], ["search", "养老 NEAR/3 医保"],
        ["new", "--since", "yesterday"], ["export", "--signed-since", "2020-02-30"], ["search", "a" * 3000],
    ],
)
def test_hostile_input_gives_results_or_one_error_line(demo, args):
    proc = cli(*args, db=demo)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr and "SELECT" not in proc.stderr + proc.stdout[:2000]
    if proc.returncode:
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_warc_export_is_wired_or_says_it_is_not_available(demo, tmp_path):
    proc = cli("export", "--warc", str(tmp_path / "a.warc.gz"), "--topic", "eldercare", db=demo)
    try:
        import storage.warc  # noqa: F401 - written on another branch
    except ImportError:
        assert proc.returncode == 2 and "WARC export not available" in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr


# --- opening archives safely ----------------------------------------------------------


def test_read_commands_never_create_an_archive(tmp_path):
    missing = tmp_path / "nothing-here.db"
    for args in (["search", "养老"], ["stats"], ["show", "1"], ["new"], ["export"]):
        proc = cli(*args, db=f"sqlite:///{missing}")
        assert proc.returncode == 2 and f"no archive at {missing}; run crawl or demo first" in proc.stderr
    assert not missing.exists()


def test_a_postgres_url_without_a_database_is_refused():
    proc = cli("search", "养老", db="postgresql://postgres@127.0.0.1")
    assert proc.returncode == 2 and "no database name" in proc.stderr


def test_read_commands_work_on_a_read_only_file_system(demo, tmp_path):
    """A 0444 archive in a folder mounted read-only (a private mount namespace, so nothing
    outside sees it). Needs `unshare` and mount rights; skipped where they are missing."""
    if not demo.startswith("sqlite") or shutil.which("unshare") is None:
        pytest.skip("SQLite only, and needs unshare")
    folder = tmp_path / "ro"
    folder.mkdir()
    source = Path(demo.removeprefix("sqlite:///"))
    with open_archive(demo) as archive, archive.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, folder / "archive.db")
    (folder / "archive.db").chmod(0o444)
    url = f"sqlite:///{folder}/archive.db"
    commands = " && ".join(
        f"{sys.executable} -m crawler.cli {c} --db {url} > /dev/null"
        for c in ("search 养老 --json", "stats --json", "show 1 --json", "new --since 3650d --json", "export")
    )
    script = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} && {commands}"
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    if "mount:" in proc.stderr or "unshare:" in proc.stderr:
        pytest.skip(f"cannot make a read-only mount here: {proc.stderr.strip()[:100]}")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]


def test_search_text_starts_every_title_at_one_display_column(demo):
    from tests.test_tables import starts, width

    hits = ok_json("search", "养老", "--limit", "100", db=demo)["hits"]
    numbers = {h["doc_number"] or "" for h in hits}
    assert len({width(n) for n in numbers}) >= 3 and "" in numbers  # short, long and no 文号 among the rows
    text = cli("search", "养老", "--limit", "100", db=demo).stdout
    rows = [line for line in text.splitlines()[1:] if re.match(r"\s*\d+  ", line)]
    assert [int(r.split()[0]) for r in rows] == [h["id"] for h in hits]
    columns = {starts(line, [h["title"] or "(untitled)"])[0] for line, h in zip(rows, hits)}
    assert len(columns) == 1, text
