"""Clean stops: SIGTERM to `crawl` or to the scheduler stops the crawling child and
closes its runs as interrupted within seconds; one scheduler per archive; a bad cron
names its source and file; the scheduler crawls on an interval for trials."""
import os
import signal
import subprocess
import sys

import pytest

import scheduler
from crawler.samples.server import sample_registry_path
from storage.api import list_runs, open_archive
from tests.conftest import ROOT
from tests.slow_site import SlowSite


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_sigterm_to_crawl_stops_the_child_and_closes_its_run(tmp_path):
    with SlowSite() as site:
        db = f"sqlite:///{tmp_path / 'a.db'}"
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "slow", "--sources",
                                 str(site.registry(tmp_path)), "--db", db],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert site.listed.wait(60)
        (child,) = children_of(proc.pid)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "Traceback" not in err
    assert not alive(child)
    (run,) = list_runs(open_archive(db))
    assert run.status == "interrupted" and run.finished_at is not None


def test_the_scheduler_stops_cleanly_and_runs_alone(tmp_path):
    # A site whose crawl never ends by itself: at the stop a run is open, whatever the load
    # (the fault site's slow page times out after 10 s, and a stop that came later found
    # the run closed `partial` and the next one not yet opened).
    with SlowSite() as site:
        db = f"sqlite:///{tmp_path / 'a.db'}"
        cmd = [sys.executable, "-m", "crawler.cli", "schedule", "--sources", str(site.registry(tmp_path)),
               "--interval", "2", "--db", db]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert site.listed.wait(60)
        second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2 and "another scheduler is running" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        crawling = children_of(proc.pid)
        assert crawling
        proc.send_signal(signal.SIGTERM)
        _, log = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert not any(alive(p) for p in crawling)
    (run,) = list_runs(open_archive(db))
    assert run.status == "interrupted" and run.finished_at is not None
    assert f"slow: stopped, run #{run.id} closed as interrupted" in log
    # quiet by default: no migration chatter, no APScheduler job bookkeeping
    assert "alembic" not in log and "Adding job tentatively" not in log and "Traceback" not in log


def test_a_stale_run_is_closed_at_the_next_start(tmp_path):
    from spiders.registry import Source
    from storage import crawl_runs

    archive = open_archive(f"sqlite:///{tmp_path / 'a.db'}")
    crawl_runs.sync_sources(archive, [Source(id="s", name="S", kind="gov", family="gov_portal", start_urls=("x",))])
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = crawl_runs.start_run(archive, "s", "cli", pid=gone.pid)
    mine = crawl_runs.start_run(archive, "s", "cli")
    assert crawl_runs.close_stale_runs(archive) == [stale]
    assert crawl_runs.get_run(archive, stale).status == "interrupted"
    assert crawl_runs.get_run(archive, mine).status == "running"


def test_a_bad_cron_names_the_source_and_the_file(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\n'
                        'start_urls=["http://127.0.0.1:9/"]\nschedule="0 3 * *"\n', encoding="utf-8")
    with pytest.raises(scheduler.SchedulerError, match=rf"source 'a' in {registry}: bad schedule '0 3 \* \*'"):
        scheduler.build_scheduler("sqlite://", str(registry))
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "schedule", "--sources", str(registry),
                           "--db", f"sqlite:///{tmp_path / 'a.db'}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "source 'a'" in proc.stderr and "Traceback" not in proc.stderr


def test_interval_overrides_every_cron(tmp_path):
    sched = scheduler.build_scheduler("sqlite://", str(sample_registry_path()), interval=5)
    jobs = sched.get_jobs()
    assert jobs and all(j.trigger.interval.total_seconds() == 5 for j in jobs)


def test_tldextract_never_asks_the_internet_for_its_suffix_list():
    code = ("import crawler.settings, scrapy.downloadermiddlewares.cookies as c; "
            "print(c._split_domain.suffix_list_urls)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if not k.startswith("TLDEXTRACT")}, timeout=60)
    assert out.stdout.strip() == "()", out.stderr
