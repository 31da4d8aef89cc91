"""After `demo --state later`: the revised notice's page links a side-by-side diff that
marks the changed sentence (the acceptance of issue 22, as a user reaches it)."""
from __future__ import annotations

import html
import re
import subprocess
import sys

from web_client import ROOT, client_for, run_demo

REVISED = "保政发〔2022〕8号"


def test_the_revised_notice_links_a_diff_showing_the_changed_sentence(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    run_demo(url)
    assert run_demo(url, "--state", "later")["new_versions"] == 1
    with client_for(url) as client:
        hits = client.get("/api/v1/search", params={"q": REVISED}).json()["hits"]
        doc_id = hits[0]["id"]
        page = client.get(f"/documents/{doc_id}").text
        links = re.findall(r'<a class="difflink" href="([^"]+)">', page)
        assert links == [f"/documents/{doc_id}/diff?a=1&amp;b=2"]
        diff = client.get(html.unescape(links[0]))
        assert diff.status_code == 200
        removed = re.findall(r"<del>([^<]*)</del>", diff.text)
        added = re.findall(r"<ins>([^<]*)</ins>", diff.text)
        assert len(removed) == len(added) == 1
        assert removed[0].startswith("养老机构护理型床位占比达到55%以上，")
        assert added[0].startswith("养老机构护理型床位占比达到60%以上，")
        # side by side: the old sentence in the left cell, the new one in the right cell of one row
        (row,) = [r for r in re.findall(r'<tr class="changed">(.*?)</tr>', diff.text, re.S) if "<del>" in r]
        left, right = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert "<del>" in left and "<ins>" not in left and "<ins>" in right and "<del>" not in right
        assert client.get(f"/documents/{doc_id}/diff?a=1&b=3").status_code == 400


def test_serve_without_an_archive_or_with_a_bad_port_is_one_line(tmp_path):
    for args, said in ((["--db", f"sqlite:///{tmp_path / 'none.db'}"], "no archive at"), (["--port", "70000"], "--port")):
        proc = subprocess.run([sys.executable, "-m", "crawler.cli", "serve", *args],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and said in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.db").exists()  # read-only: a missing archive is not created
