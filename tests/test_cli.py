"""The CLI as a user meets it: one clear error line and a non-zero exit for bad input,
never a traceback; --json output that parses."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300
    )


def assert_one_line_error(proc, fragment):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert fragment in lines[0]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["crawl", "no_such_source"], "unknown source: no_such_source"),
        (["search", "养老", "--db", "not-a-url"], "error"),
        (["search", "养老", "--db", "foo://x"], "error"),
        (["search", "养老", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/test"], "error"),
        (["frobnicate"], "invalid choice"),
        (["search"], "empty query"),
        (["crawl", "--registry", "/nonexistent/sources.toml"], "not found"),
    ],
)
def test_bad_input_is_one_line(args, fragment, tmp_path):
    assert_one_line_error(cli(*args, cwd=tmp_path if args[0] != "frobnicate" else None), fragment)


def test_show_unknown_document(sqlite_url):
    from storage import open_archive

    open_archive(sqlite_url).dispose()
    assert_one_line_error(cli("show", "国发〔1999〕1号", "--db", sqlite_url), "no document")


def test_extract_reports_a_non_html_file_and_goes_on(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%binary")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>关于做好老年人健康管理服务工作的通知</title></head><body>"
        "<p>各区县卫生健康局：</p><p>为做好老年人健康管理和养老服务工作，现将有关事项通知如下。</p></body></html>",
        encoding="utf-8",
    )
    proc = cli("extract", str(pdf), str(page), "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["path"] for r in rows] == [str(pdf), str(page)]
    assert "not an HTML page" in rows[0]["error"]
    assert "error" not in rows[1] and rows[1]["title"]


def test_read_commands_speak_json(sqlite_url):
    from storage import open_archive

    open_archive(sqlite_url).dispose()  # read commands never create an archive
    for args in (["runs"], ["stats"], ["search", "养老"], ["sources"]):
        proc = cli(*args, "--db", sqlite_url, "--json")
        assert proc.returncode == 0, proc.stderr
        json.loads(proc.stdout)


def test_crawl_of_an_unreachable_source_ends_with_a_failure_summary(tmp_path, sqlite_url):
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid="dead"\nname="Dead site"\nkind="gov"\nfamily="gov_portal"\n'
        'start_urls=["http://127.0.0.1:9/index.html"]\n',
        encoding="utf-8",
    )
    proc = cli("crawl", "--registry", str(registry), "--db", sqlite_url, "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    summary = json.loads(proc.stdout)
    (result,) = summary["sources"]
    assert result["status"] == "failed"
    assert result["error_kinds"] == {"connection_refused": 1}


def test_scrapy_lists_the_family_spiders():
    proc = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.split()) == {"aggregator", "docshare", "generic", "gkmlpt", "gov_portal", "hanweb", "policy_api"}
