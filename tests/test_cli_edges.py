"""The rough edges a new user meets on the command line: --version, a closed pipe, Ctrl-C,
the shape of `extract --json`, refused options, plurals, versions in `show`."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from crawler.cli import output
from tests.conftest import ROOT

PAGE = ("<html><head><title>关于做好老年人健康管理服务工作的通知</title></head><body>"
        "<p>各区县卫生健康局：</p><p>为做好老年人健康管理和养老服务工作，现将有关事项通知如下。</p></body></html>")


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, **kwargs)


def test_version_names_the_package():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    proc = run("--version")
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (0, f"policy-archive {version}", "")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_closed_pipe_ends_the_export_quietly(sqlite_url, fmt):
    """`export | head -1`: the reader is gone before we write. The read end is closed
    before the command starts, so every write meets the broken pipe, whatever the timing."""
    from storage.api import ingest, open_archive
    from tests.storage.storage_samples import NOTICE_A, page

    with open_archive(sqlite_url) as archive:
        ingest(archive, page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A))
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--format", fmt, "--db", sqlite_url],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=300)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_ctrl_c_while_the_parser_is_built_is_one_line_and_130():
    """A real SIGINT, delivered while the command modules are imported (the first second)."""
    code = (
        "import os, signal, sys\n"
        "import crawler.cli, crawler.cli.runs as runs\n"
        "registered = runs.register\n"
        "def interrupted(sub):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    registered(sub)\n"
        "runs.register = interrupted\n"
        "sys.exit(crawler.cli.main(['runs']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (proc.returncode, proc.stderr) == (130, "policy-archive: interrupted\n")


def test_ctrl_c_during_a_demo_crawl_is_one_line_and_130(tmp_path):
    """Ctrl-C reaches the whole process group (the crawl's children too), once the
    command has said it started."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "demo", "--db", f"sqlite:///{tmp_path}/a.db"], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        first = proc.stderr.readline()
        assert first.startswith("serving the sample sites"), first
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("policy-archive: ")


def test_extract_json_is_an_array_for_one_file_and_for_many(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    one = run("extract", str(page), "--json")
    two = run("extract", str(page), str(page), "--json")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    (only,) = json.loads(one.stdout)
    assert json.loads(two.stdout) == [only, only] and only["title"] == "关于做好老年人健康管理服务工作的通知"


@pytest.mark.parametrize("value", ["-5", "0", "nan", "soon"])
def test_crawl_refuses_a_timeout_that_is_no_positive_number(value):
    proc = run("crawl", "nosuch", "--timeout", value)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "--timeout" in lines[0], proc.stderr


def test_counts_of_one_are_singular():
    search = {"total": 1, "hits": [{"id": 3, "title": "通知", "published_date": "2024-01-02"}], "page": 1,
              "limit": 20, "pages": 1}
    assert output.search_text(search).splitlines()[0] == "1 notice matches, showing 1-1 (page 1 of 1)"
    assert output.new_text({"count": 1, "since": "2024-01-01T00:00:00", "documents": [
        {"id": 3, "first_seen": "2024-01-02", "title": "通知"}]}).startswith("1 notice arrived since")
    detail = {"id": 3, "urls": [{"source_id": "a", "kind": "gov", "url": "http://a/1", "first_seen": "2024",
                                 "last_seen": "2024"}], "versions": [], "text": ""}
    assert "carried by 1 URL:" in output.document_text(detail)
    assert output.plural(2, "source") == "2 sources" and output.plural(1, "source") == "1 source"


def test_show_says_which_version_each_attachment_row_belongs_to():
    pdf = {"name": "附件1.pdf", "kind": "pdf", "raw_size": 100, "text_chars": 50, "url": "http://a/f.pdf"}
    detail = {
        "id": 3, "urls": [], "text": "",
        "versions": [{"id": 11, "seq": 1, "first_seen": "2024-01-01", "last_seen": "2024-02-01", "characters": 9,
                      "source_id": "a"},
                     {"id": 12, "seq": 2, "first_seen": "2024-02-01", "last_seen": "2024-03-01", "characters": 9,
                      "source_id": "a", "is_current": True}],
        "attachments": [{**pdf, "version_id": 11}, {**pdf, "version_id": 12}],
    }
    rows = [line for line in output.document_text(detail).splitlines() if "附件1.pdf" in line]
    assert [row.split(":")[0].strip() for row in rows] == ["version 1", "version 2"]
