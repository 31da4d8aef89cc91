"""`policy-archive sources test ID`: offline, on the source's fixture; `sources` still lists."""
import json

from crawler.samples.server import sample_registry_path
from tests.test_cli import assert_one_line_error, cli


def test_sources_test_json_reports_the_listing_links_and_first_notice(tmp_path):
    proc = cli("sources", "test", "js_wjw", "gd_hsa", "--json")
    assert proc.returncode == 0, proc.stderr
    by_id = {r["source"]: r for r in json.loads(proc.stdout)}
    assert by_id["js_wjw"]["ok"] and by_id["js_wjw"]["notice_count"] == 3
    assert "dataproxy.jsp?startrecord=4&endrecord=6" in by_id["js_wjw"]["next_page"]
    assert by_id["gd_hsa"]["next_page"].endswith("/gkmlpt/api/all/2611?page=2&sid=2")
    assert by_id["gd_hsa"]["doc_number"].startswith("粤医保规〔")


def test_sources_test_text_and_errors(tmp_path):
    proc = cli("sources", "test", "nhc_gfxwj")
    assert proc.returncode == 0, proc.stderr
    assert "nhc_gfxwj: ok" in proc.stdout and "list_2.shtml" in proc.stdout and "文号" in proc.stdout
    assert_one_line_error(cli("sources", "test", "no_such"), "unknown source: no_such")
    assert_one_line_error(cli("sources", "test", "baoshan", "--registry", str(sample_registry_path())),
                          "has no fixture")


def test_sources_alone_still_lists(tmp_path):
    proc = cli("sources", "--json", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) >= 30
