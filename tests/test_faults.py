"""A crawl against the fault site (`samples serve --faults`) ends in bounded time with
exit 1 and every failed URL on record with its kind; a crawl against the healthy server
then completes the archive: nothing missing, no duplicate document."""
import json
import subprocess
import sys

from sqlalchemy import func, select

from crawler.samples.server import SampleServer, sample_root
from storage.api import open_archive
from storage.models import Document
from tests.conftest import ROOT


def cli(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def test_faults_are_on_record_and_a_healthy_rerun_completes_the_archive(tmp_path):
    db = f"sqlite:///{tmp_path / 'a.db'}"
    registry = tmp_path / "sources.toml"
    with SampleServer(sample_root(), faults=True) as server:
        proc = cli("samples", "registry", "--base", server.base_url, "--faults")
        assert proc.returncode == 0, proc.stderr
        registry.write_text(proc.stdout, encoding="utf-8")

        proc = cli("crawl", "--sources", str(registry), "--db", db, "--json")
        assert proc.returncode == 1, proc.stderr
        summary = json.loads(proc.stdout)
        faults = next(r for r in summary["sources"] if r["source"] == "faults")
        assert faults["status"] == "partial"
        assert [h["source_id"] for h in summary["unhealthy_sources"]] == []  # partial is not failing

        runs = json.loads(cli("runs", "--db", db, "--json").stdout)
        run = next(r for r in runs if r["source_id"] == "faults")
        failed = {f["url"].split("/faults/", 1)[1]: f["kind"] for f in run["failures"]}
        assert failed == {
            "n/5xx.html": "http_5xx",
            "n/slow.html": "timeout",
            "n/reset.html": "reset",
            "n/truncated.html": "truncated",
            "n/huge.html": "too_large",
            "loop/a.html": "redirect_loop",
            "private/n.html": "robots",
        }
        assert run["errors"] == 6 and run["robots"] == 1  # robots is a skip, not an error
        assert run["duplicates"] > 0  # the endless pager lists the same notices again
        one = json.loads(cli("runs", str(run["id"]), "--db", db, "--json").stdout)
        assert {f["kind"] for f in one["failures"]} == set(failed.values())
        text = cli("runs", "--db", db).stdout
        assert "http_5xx ×1" in text and "\x1b" not in text
        archive = open_archive(db)
        with archive.session() as s:
            before = s.scalar(select(func.count()).select_from(Document))

        server.faults = False  # the same server, healthy now
        proc = cli("crawl", "--sources", str(registry), "--db", db, "--json")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        with archive.session() as s:
            numbers = list(s.scalars(select(Document.doc_number).where(Document.doc_number.like("测故发%"))))
            total = s.scalar(select(func.count()).select_from(Document))
        # every fault notice but the robots-disallowed one, each once
        assert sorted(numbers) == sorted(f"测故发〔2024〕{n}号" for n in range(1, 9))
        assert total == before + 6  # the six that failed, nothing else new (no duplicate)
        archive.dispose()
