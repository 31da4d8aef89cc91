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
    from storage.api import open_archive

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
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    proc = cli("extract", str(pdf), str(page), str(png), "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["path"] for r in rows] == [str(pdf), str(page), str(png)]
    assert "unreadable PDF" in rows[0]["error"]
    assert "error" not in rows[1] and rows[1]["title"]
    assert "not an HTML page (a PNG image)" in rows[2]["error"]


# One notice, as a ministry publishes it: title, 文号, addressee, body, 落款 agency and date.
NOTICE = [
    "保山市卫生健康委员会关于做好2023年老年人健康管理服务工作的通知",
    "保卫发〔2023〕18号",
    "各县（市、区）卫生健康局：",
    "为做好65岁及以上老年人健康管理服务工作，提高老年人健康水平，根据国家基本公共卫生服务规范要求，现将有关事项通知如下。",
    "一、各地要以乡镇卫生院和社区卫生服务中心为主体，每年为辖区内老年人提供一次生活方式和健康状况评估、体格检查、辅助检查和健康指导服务。",
    "二、各地要加强医养结合，推动家庭医生签约服务覆盖居家老年人，做好失能老年人上门服务。",
    "保山市卫生健康委员会",
    "2023年5月8日",
]


def _notice_files(tmp_path):
    import importlib.util

    from tests.extract.ofd_fixtures import layout_ofd

    spec = importlib.util.spec_from_file_location("mf", ROOT / "tests/extract/fixtures/attachments/make_fixtures.py")
    mf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mf)
    files = {
        "notice.pdf": mf.layout_pdf(NOTICE, titles=(NOTICE[0],)),
        "notice.docx": mf.docx_bytes([("title", NOTICE[0]), *(("p", line) for line in NOTICE[1:])]),
        "notice.ofd": layout_ofd(NOTICE, titles=(NOTICE[0],)),
    }
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    return list(files)


def test_extract_reads_attachments_with_the_same_metadata_rules(tmp_path):
    names = _notice_files(tmp_path)
    proc = cli("extract", *names, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [(r["path"], r["kind"]) for r in rows] == [(n, n.rsplit(".", 1)[1]) for n in names]
    for row in rows:
        assert row["title"] == NOTICE[0], row["path"]
        assert row["doc_number"] == "保卫发〔2023〕18号", row["path"]
        assert row["agency"] == "保山市卫生健康委员会", row["path"]
        assert row["signed_date"] == "2023-05-08", row["path"]
        assert row["provenance"]["text"] == "attachment"
        assert row["text"].splitlines()[-1] == "2023年5月8日"


def test_extract_reads_an_xls_and_a_utf16_page(tmp_path):
    xls = ROOT / "tests/extract/fixtures/attachments/eldercare_list.xls"
    page = tmp_path / "page.html"
    page.write_bytes(
        "\ufeff<html><head><title>关于公布养老机构等级评定结果的通知</title></head><body>"
        "<p>各县（市、区）民政局：现将2023年度养老机构等级评定结果予以公布。</p></body></html>".encode("utf-16-le")
    )
    proc = cli("extract", str(xls), str(page), "--json")
    assert proc.returncode == 0, proc.stderr
    first, second = json.loads(proc.stdout)
    assert first["kind"] == "xls" and "保山市社会福利院" in first["text"]
    assert second["kind"] == "html" and second["title"] == "关于公布养老机构等级评定结果的通知"
    assert second["encoding"] == "utf-16-le"


def test_read_commands_speak_json(sqlite_url):
    from storage.api import open_archive

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


def test_demo_archives_apart_from_the_default_archive(tmp_path, monkeypatch, capsys):
    from crawler.cli import crawl, main

    seen = {}
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICY_ARCHIVE_DB", raising=False)
    # the crawl itself is the runner's business (tests/test_end_to_end.py): here, where it goes
    monkeypatch.setattr(crawl, "_crawl", lambda args, sources, options: seen.setdefault("db", options.db_url) and 0)
    assert main(["demo"]) == 0
    assert seen["db"] == "sqlite:///data/demo.db"
    assert "archiving into data/demo.db" in capsys.readouterr().err
    seen.clear()
    assert main(["demo", "--db", f"sqlite:///{tmp_path / 'mine.db'}"]) == 0
    assert seen["db"] == f"sqlite:///{tmp_path / 'mine.db'}"


def test_a_crawl_of_the_served_samples_archives_the_demos_urls(tmp_path):
    from sqlalchemy import select

    from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
    from crawler.samples.server import SAMPLE_ORIGIN, SampleServer, sample_registry_path, sample_root
    from spiders.registry import load_registry
    from storage.api import open_archive
    from storage.models import Capture

    db = f"sqlite:///{tmp_path / 'demo.db'}"
    spam = load_registry(sample_registry_path())["spam"]
    with SampleServer(sample_root()) as demo_server:  # what demo does, for one source
        run_crawl([spam], db_url=db, registry_path=sample_registry_path(), base=SAMPLE_ORIGIN, progress=False,
                  settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": demo_server.host_map()})

    def urls():
        with open_archive(db).session() as s:
            return sorted(s.scalars(select(Capture.url)))

    first = urls()
    assert first and all(u.startswith(SAMPLE_ORIGIN) for u in first)
    registry = tmp_path / "samples.toml"
    with SampleServer(sample_root()) as served:  # `samples serve`: another port
        printed = cli("samples", "registry", "--base", served.base_url)
        assert printed.returncode == 0, printed.stderr
        registry.write_text(printed.stdout, encoding="utf-8")
        proc = cli("crawl", "spam", "--sources", str(registry), "--db", db, "--full")
        assert proc.returncode == 0, proc.stderr
        assert served.hits  # it was this server that answered
    again = urls()
    assert sorted(set(again)) == sorted(set(first))  # the same URLs, not a copy under 127.0.0.1:port


def test_a_failing_source_is_reported_once(tmp_path):
    # loopback only (tests/conftest.py): every built-in source fails at once, as without network
    proc = cli("crawl", "nhc_gfxwj", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert proc.returncode == 1
    said = [line for line in (proc.stdout + proc.stderr).splitlines()
            if line.startswith(("nhc_gfxwj", "source nhc_gfxwj"))]
    assert len(said) == 1 and said[0].split()[:2] == ["nhc_gfxwj", "failed"]


def test_a_read_without_db_after_demo_names_the_demos_archive(tmp_path, monkeypatch):
    from storage.api import open_archive

    monkeypatch.delenv("POLICY_ARCHIVE_DB", raising=False)
    (tmp_path / "data").mkdir()
    open_archive(f"sqlite:///{tmp_path / 'data' / 'demo.db'}", create=True).dispose()
    for args in (["search", "养老"], ["serve", "--port", "0"]):
        assert_one_line_error(cli(*args, cwd=tmp_path), "(the demo's archive is data/demo.db: --db sqlite:///data/demo.db)")
    assert not (tmp_path / "data" / "archive.db").exists()
