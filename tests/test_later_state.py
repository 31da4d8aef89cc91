"""The sample sites some days on (`demo --state later`): a notice revised in place, new
notices, an aggregator page in a new template, a final after its draft; and the sample
sites' URLs independent of the port the server got."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.cli import main
from crawler.run.crawl_process import LOOPBACK_SETTINGS, run_crawl
from crawler.samples.server import SAMPLE_ORIGIN, SampleServer, sample_registry_path
from spiders.registry import load_registry
from storage.api import open_archive
from storage.models import Blob, Capture

REVISED = "保政发〔2022〕8号"
NEW = "保民发〔2022〕21号"
FINAL = "黔府办发〔2018〕18号"
ON_THREE_SITES = "沈政发〔2015〕31号"
ROOT = Path(__file__).resolve().parents[1]


def _run_demo(url, capsys, *extra):
    """`policy-archive demo` as a user runs it (its crawler is a child process anyway)."""
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", url, "--json", *extra],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _cli(capsys, *args):
    assert main([*args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_later_state_is_two_new_documents_and_one_new_version(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'pc.db'}"
    first = _run_demo(url, capsys)
    assert first["ok"] and first["new_documents"] >= 20, first
    second = _run_demo(url, capsys, "--state", "later")
    assert second["ok"] and second["errors"] == 0, second
    assert (second["new_documents"], second["new_versions"]) == (2, 1), second
    assert second["documents"] == first["documents"] + 2
    assert second["unchanged"] + second["offtopic"] + 3 == second["pages"]

    history = _cli(capsys, "history", "保政发[2022]8号", "--db", url, "--json")
    assert [v["seq"] for v in history["versions"]] == [1, 2]
    diff = _cli(capsys, "diff", REVISED, "--db", url, "--json")
    (changed,) = [p for p in diff["paragraphs"] if p["op"] == "changed"]
    (added,) = [s["text"] for s in changed["sentences"] if s["op"] == "added"]
    (removed,) = [s["text"] for s in changed["sentences"] if s["op"] == "removed"]
    assert added.startswith("养老机构护理型床位占比达到60%以上，") and removed.startswith("养老机构护理型床位占比达到55%以上，")
    assert diff["summary"] == {"changed": 1, "added": 0, "removed": 0, "equal": diff["summary"]["equal"]}

    shown = _cli(capsys, "show", ON_THREE_SITES, "--db", url, "--json")
    assert [(u["source_id"], u["authoritative"]) for u in shown["urls"]] == [
        ("shenyang", True), ("shuiwu", False), ("bingdou", False)]
    assert shown["authoritative_url"] == shown["urls"][0]["url"]
    assert all(u["url"].startswith(SAMPLE_ORIGIN + "/") for u in shown["urls"])

    final = _cli(capsys, "show", FINAL, "--db", url, "--json")
    draft = _cli(capsys, "show", str(final["draft_of_id"]), "--db", url, "--json")
    assert draft["status"] == "draft" and final["id"] in draft["final_ids"]
    new = _cli(capsys, "show", NEW, "--db", url, "--json")
    revised = _cli(capsys, "show", REVISED, "--db", url, "--json")
    assert [c["document_id"] for c in new["citations"]] == [revised["id"]]
    assert [c["document_id"] for c in revised["cited_by"]] == [new["id"]]
    # The aggregator page in its new template is the same text: no version, the same document.
    template = _cli(capsys, "show", "保医保发〔2020〕15号", "--db", url, "--json")
    assert len(template["versions"]) == 1


def _counts(url):
    with open_archive(url) as archive, archive.session() as s:
        urls = set(s.scalars(select(Capture.url)))
        return urls, s.scalar(select(func.count()).select_from(Blob))


def test_two_runs_on_different_ports_store_no_new_bytes_and_no_new_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    registry = sample_registry_path()
    sources = [s for s in load_registry(registry).values() if s.enabled]
    seen = []
    with SampleServer() as one, SampleServer() as two:
        assert one.port != two.port
        for server in (one, two):
            summary = run_crawl(sources, db_url=url, registry_path=registry, base=SAMPLE_ORIGIN, timeout=300,
                                settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": server.host_map()}, progress=False)
            assert summary.ok, summary.to_dict()
            seen.append(_counts(url))
            assert server.log  # this run was served by this server
    (urls1, blobs1), (urls2, blobs2) = seen
    assert urls1 and all(u.startswith(SAMPLE_ORIGIN + "/") for u in urls1)
    assert urls2 == urls1 and blobs2 == blobs1


def test_the_later_state_overlays_the_first(tmp_path):
    with SampleServer() as first, SampleServer(state="later") as later:
        for path in ("/baoshan/xxgk/202203/t20220308_338712.html", "/baoshan/xxgk/202205/t20220516_342277.html",
                     "/bingdou/doc/11843029.html"):
            a, _, body_a = first.resolve(path, {})
            b, _, body_b = later.resolve(path, {})
            assert b == 200
            if "202205" in path:
                assert a == 404  # new in the later state
            elif "bingdou" in path:
                assert body_a == body_b  # untouched sites are served from www/
            else:
                assert body_a != body_b and "60%以上" in body_b.decode("utf-8")
    with pytest.raises(ValueError):
        SampleServer(state="yesterday")
