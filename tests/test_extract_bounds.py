"""`policy-archive extract` works under the caps a crawl's extraction does (issue 21): a
hostile file or page is refused in one line with its reason, a deep page is read."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.extract.bomb_files import MIB, NOTICE_TEXT, deep_html, docx_bomb, link_page, pdf_bomb


def extract(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", "extract", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env={**os.environ, **(env or {})})


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("name, make, reason", [
    ("bomb.docx", lambda: docx_bomb(190 * MIB), "DOCX unpacks to 19"),
    ("bomb.pdf", pdf_bomb, "inflates past the 64 MiB cap"),
])
def test_a_bomb_is_refused_with_its_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    path.write_bytes(make())
    assert reason in one_line_error(extract(str(path)))


def test_a_page_over_the_page_cap_is_refused_with_its_size(tmp_path):
    path = tmp_path / "links.html"
    path.write_bytes(link_page(1_000_000))  # 48 MB, a million links
    line = one_line_error(extract(str(path)))
    assert "refused: a page of" in line and "POLICY_MAX_PAGE_BYTES" in line


def test_a_page_that_needs_more_memory_than_a_worker_may_take_is_refused(tmp_path):
    path = tmp_path / "links.html"
    path.write_bytes(link_page(200_000))  # 10 MB of links: about a gigabyte to extract
    proc = extract(str(path), "--json", env={"POLICY_MAX_PAGE_BYTES": str(100 * MIB)})
    assert proc.returncode == 1
    assert "needs more than the 384 MiB" in json.loads(proc.stdout)[0]["error"]


def test_a_page_nested_5000_deep_gives_its_text(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text(deep_html(5000), encoding="utf-8")
    proc = extract(str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    (result,) = json.loads(proc.stdout)  # one file: an array of one
    assert result["title"] == "关于加强养老服务的通知"
    assert result["text"].count(NOTICE_TEXT) == 12
