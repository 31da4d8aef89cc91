"""The scheduler's crawl service: every due source crawled by one long-lived process, each
with a run record of its own; a source that hangs is cut off by its deadline without
stopping the others; a service that dies leaves its runs interrupted and the next source
starts a new one; two sources of one host take turns; watches are told what it archived."""
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import defaultdict

import pytest
from watch_receivers import HttpReceiver

from crawler.cli import main
from crawler.run.admission import Admission
from crawler.run.service_client import CrawlServiceClient
from crawler.samples.server import sample_registry_path
from spiders.registry import load_registry
from storage.api import list_runs, open_archive
from tests.conftest import ROOT
from tests.scheduler_log import run_scheduler_until
from tests.slow_site import SlowSite
from tests.storage.conftest import private_pg_schema
from tests.test_clean_stops import alive, children_of


def sample_registry(directory, base_url, extra=""):
    text = sample_registry_path().read_text(encoding="utf-8").replace("{base}", base_url)
    path = directory / "sources.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def slow_source(site, deadline_minutes=None):
    return ('\n[[source]]\nid = "slow"\nname = "慢站"\nkind = "gov"\nfamily = "gov_portal"\n'
            f'start_urls = ["{site.base_url}/list/0.html"]\nlist_links = "ul.list a"\nnext_page = "a.next"\n'
            "max_pages = 1000000\n" + (f"deadline_minutes = {deadline_minutes}\n" if deadline_minutes else ""))


def crawl_all(client, source_ids):
    answers = {}

    def one(source_id):
        answers[source_id] = client.crawl(source_id)

    threads = [threading.Thread(target=one, args=(s,)) for s in source_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    return answers


def crawling_slow(client, site):
    """The slow site's crawl under way in the service: (its pid, the thread waiting for the
    answer, the dict the answer lands in)."""
    answer = {}
    waiting = threading.Thread(target=lambda: answer.update(slow=client.crawl("slow")))
    waiting.start()
    assert site.listed.wait(120)
    return client.pid, waiting, answer


def test_due_sources_are_crawled_by_one_service_process_one_run_each(sample_server, tmp_path):
    registry = sample_registry(tmp_path, sample_server.base_url)
    enabled = sorted(s.id for s in load_registry(registry).values() if s.enabled)
    db = f"sqlite:///{tmp_path / 'a.db'}"
    # every source due at once, and due again every 2 s: a tick while its run is open is skipped
    cmd = [sys.executable, "-m", "crawler.cli", "schedule", "--sources", str(registry), "--interval", "2", "--db", db]
    env = {**os.environ, "POLICY_ARCHIVE_LOOPBACK_ONLY": "1"}
    closed = defaultdict(int)

    def twice(log):
        if found := re.search(r"scheduler (\w+): run #\d+ ", log[-1]):
            closed[found.group(1)] += 1
        return all(closed[s] >= 2 for s in enabled)

    run = run_scheduler_until(cmd, twice, 600, env)
    text = run.log
    (service,) = {int(p) for p in re.findall(r"crawl service started \(pid (\d+)\)", text)}
    runs = list_runs(open_archive(db), limit=1000)
    by_source = defaultdict(list)
    for r in runs:
        by_source[r.source_id].append(r)
    assert sorted(by_source) == enabled
    # one crawl process did them all, and it was neither the scheduler nor a child per crawl
    assert {r.pid for r in runs} == {service} and service != run.pid
    for source_id, own in by_source.items():
        done = sorted((r for r in own if r.status != "interrupted"), key=lambda r: r.id)
        assert len(done) >= 2 and all(r.status == "ok" for r in done), (source_id, [r.status for r in own])
        # never two runs of one source at once
        spans = sorted((r.started_at, r.finished_at) for r in own)
        assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:])), source_id
    assert run.returncode == 0 and "Traceback" not in text


def test_a_hanging_source_is_cut_off_by_its_deadline_and_the_others_crawl_on(sample_server, tmp_path):
    # The slow site holds every listing page until the test ends: at its deadline (3 s) its
    # crawler cannot close (a download is in flight for longer than the grace), so it is cut off.
    db = f"sqlite:///{tmp_path / 'a.db'}"
    settings = {"DOWNLOAD_TIMEOUT": 7200, "POLICY_SERVICE_DEADLINE_GRACE": 1, "POLICY_SERVICE_SOURCES": 3}
    try:
        with SlowSite(hold=3600) as site:
            registry = sample_registry(tmp_path, sample_server.base_url, slow_source(site, deadline_minutes=0.05))
            client = CrawlServiceClient(db, str(registry), settings)
            client.start()
            pid = client.pid
            answers = crawl_all(client, ["slow", "spam", "bingdou", "shenyang", "baoshan"])
            assert client.pid == pid  # the same service crawled on
    finally:
        client.stop()  # once the site let its held page go: the cut-off crawler can close
    assert {a.status for s, a in answers.items() if s != "slow"} == {"ok"}, answers
    assert answers["slow"].status == "partial"
    runs = {r.source_id: r for r in list_runs(open_archive(db), limit=100)}
    assert {r.pid for r in runs.values()} == {pid}
    slow = runs["slow"]
    assert slow.status == "partial" and slow.finished_at is not None
    assert any("was cut off" in note for note in slow.error_summary["notes"]), slow.error_summary


def test_a_service_that_dies_leaves_its_runs_interrupted_and_the_next_source_starts_a_new_one(sample_server, tmp_path):
    with SlowSite() as site:
        registry = sample_registry(tmp_path, sample_server.base_url, slow_source(site))
        db = f"sqlite:///{tmp_path / 'a.db'}"
        client = CrawlServiceClient(db, str(registry))
        try:
            first, waiting, answer = crawling_slow(client, site)
            os.kill(first, signal.SIGKILL)
            waiting.join(120)
            assert answer["slow"].status == "lost"
            (slow,) = list_runs(open_archive(db), "slow")
            assert slow.status == "interrupted" and slow.pid == first
            again = client.crawl("spam")
            assert again.status == "ok" and client.pid not in (None, first)
            unknown = client.crawl("gone")  # taken out of the registry since it came due
            assert unknown.status == "failed" and "no source 'gone'" in unknown.error
        finally:
            client.stop()


def test_two_sources_of_one_host_take_turns_and_the_limit_holds():
    admission = Admission(limit=2)
    admission.add("a", {"www.example.gov.cn"})
    admission.add("b", {"www.example.gov.cn"})  # same publisher: waits for a
    admission.add("c", {"other.gov.cn"})
    admission.add("d", ())  # our own server: takes no turns, but counts against the limit
    assert admission.ready() == ["a", "c"]
    assert admission.holds("b") and admission.holds("d")
    admission.release("c")
    assert admission.ready() == ["d"]  # b still waits for its host
    admission.add("e", {"third.gov.cn"})
    admission.release("d")
    assert admission.ready() == ["e"]  # the limit: a and e; b waits on
    admission.release("a")
    assert admission.ready() == ["b"]
    with pytest.raises(ValueError):
        admission.add("b")


def test_a_scheduler_killed_hard_takes_its_crawl_service_down_with_the_runs_closed(tmp_path):
    with SlowSite() as site:
        db = f"sqlite:///{tmp_path / 'a.db'}"
        cmd = [sys.executable, "-m", "crawler.cli", "schedule", "--sources", str(site.registry(tmp_path)),
               "--interval", "3600", "--db", db]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert site.listed.wait(120)
        (service,) = children_of(proc.pid)
        proc.kill()
        proc.wait()
        # the kernel's SIGTERM (PR_SET_PDEATHSIG) and the end of its requests stop the service
        gone = threading.Event()
        while not gone.wait(0.2) and alive(service):
            pass
    (run,) = list_runs(open_archive(db))
    # closed by the service itself on its way out, not only read as interrupted for a dead pid
    assert run.status == "interrupted" and run.finished_at is not None and run.pid == service


@pytest.mark.postgres
def test_every_sample_source_at_once_into_postgresql(sample_server, tmp_path):
    registry = sample_registry(tmp_path, sample_server.base_url)
    enabled = sorted(s.id for s in load_registry(registry).values() if s.enabled)
    with private_pg_schema() as url:
        client = CrawlServiceClient(url, str(registry), {"POLICY_SERVICE_SOURCES": len(enabled)})
        try:
            answers = crawl_all(client, enabled)
        finally:
            client.stop()
        with open_archive(url) as archive:
            runs = list_runs(archive, limit=100)
    assert {s: a.status for s, a in answers.items()} == dict.fromkeys(enabled, "ok")
    assert sorted(r.source_id for r in runs) == enabled and len({r.pid for r in runs}) == 1
    assert all(r.new_documents > 0 for r in runs), [(r.source_id, r.counters) for r in runs]


def test_watches_are_told_what_the_service_crawled_each_notice_once(sample_server, tmp_path, capsys):
    registry = sample_registry(tmp_path, sample_server.base_url)
    enabled = sorted(s.id for s in load_registry(registry).values() if s.enabled)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_archive(url).dispose()
    with HttpReceiver() as hook:
        assert main(["watch", "add", "yl", "养老", "--notify", hook.url(), "--db", url]) == 0
        client = CrawlServiceClient(url, str(registry))
        try:
            answers = crawl_all(client, enabled)
        finally:
            client.stop()  # returns once the service left: every notification it owed is sent
        capsys.readouterr()
        assert main(["search", "养老", "--limit", "1000", "--json", "--db", url]) == 0
        matching = {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}
    assert {a.status for a in answers.values()} == {"ok"}
    # one message per matching notice, each once, however the crawls' ends and the
    # notifications interleaved
    assert len(hook.posts) == len(matching) > 0 and len(set(hook.titles)) == len(hook.titles)


def test_a_service_that_stops_answering_is_killed_and_its_runs_closed(tmp_path):
    with SlowSite() as site:
        db = f"sqlite:///{tmp_path / 'a.db'}"
        # the service says it is alive every few seconds: 30 s without a word is a wedge
        client = CrawlServiceClient(db, str(site.registry(tmp_path)), wedged_seconds=30)
        try:
            wedged, waiting, answer = crawling_slow(client, site)
            os.kill(wedged, signal.SIGSTOP)  # a reactor stuck in a spider's code answers nothing either
            waiting.join(300)
            assert answer["slow"].status == "lost" and not alive(wedged)
        finally:
            client.stop()
    (run,) = list_runs(open_archive(db))
    assert run.status == "interrupted" and run.finished_at is not None and run.pid == wedged


def test_the_service_outlives_the_thread_that_started_it(sample_server, tmp_path):
    """The scheduler's job thread that starts the service ends with its own source's crawl;
    the service must go on serving the others (a parent-death signal is sent when the
    starting *thread* ends, which stopped it mid-round)."""
    registry = sample_registry(tmp_path, sample_server.base_url)
    enabled = sorted(s.id for s in load_registry(registry).values() if s.enabled)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_archive(url).dispose()
    client = CrawlServiceClient(url, str(registry))
    try:
        first = {}
        # the thread that starts the service crawls one source through it, then ends
        starter = threading.Thread(target=lambda: first.update(answer=client.crawl(enabled[0]), pid=client.pid))
        starter.start()
        starter.join(300)
        assert first["answer"].status == "ok" and first["pid"] is not None
        answer = client.crawl(enabled[1])  # from this thread, after the starter ended
        assert (answer.status, client.pid) == ("ok", first["pid"]), answer
    finally:
        client.stop()
