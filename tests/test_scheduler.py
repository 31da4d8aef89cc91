"""The scheduler's jobs: one per enabled source, on its cron, never two at once, and a
scheduled crawl is the same runner as the CLI's, recorded with trigger "schedule"."""
import sys

from apscheduler.triggers.cron import CronTrigger

import scheduler
from crawler.samples.server import sample_registry_path
from storage.api import list_runs, open_archive
from tests.scheduler_log import run_scheduler_until
from tests.slow_site import SlowSite


def test_one_job_per_enabled_source_with_safe_defaults(tmp_path):
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["http://127.0.0.1:9/"]\nschedule="15 6 * * *"\n'
        '[[source]]\nid="b"\nname="B"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["http://127.0.0.1:9/"]\nenabled=false\n',
        encoding="utf-8",
    )
    sched = scheduler.build_scheduler("sqlite:///x.db", str(registry))
    (job,) = sched.get_jobs()
    assert job.id == "crawl:a" and tuple(job.args) == ("a", "sqlite:///x.db", str(registry))
    assert isinstance(job.trigger, CronTrigger)
    assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("hour")]) == "6"
    assert job.max_instances == 1 and job.coalesce is True
    assert job.misfire_grace_time == scheduler.MISFIRE_GRACE_SECONDS > 60


def test_a_scheduled_crawl_is_recorded_as_such(sample_server, tmp_path, monkeypatch):
    # the job reads the registry by path; point the sample registry at the running server
    text = sample_registry_path().read_text(encoding="utf-8").replace("{base}", sample_server.base_url)
    registry = tmp_path / "sources.toml"
    registry.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("POLICY_ARCHIVE_LOOPBACK_ONLY", "1")
    scheduler.crawl_source("spam", url, str(registry))
    (run,) = list_runs(open_archive(url))
    assert run.trigger == "schedule" and run.status == "ok" and run.new_documents == 2


def test_a_run_due_while_the_last_still_runs_is_skipped_with_one_line(tmp_path):
    # a crawl of the slow site outlasts any interval: every tick while it runs is a skip
    with SlowSite() as site:
        cmd = [sys.executable, "-m", "crawler.cli", "schedule", "--sources", str(site.registry(tmp_path)),
               "--interval", "1", "--db", f"sqlite:///{tmp_path / 'a.db'}"]
        run = run_scheduler_until(cmd, lambda log: len([x for x in log if "skipped: still running" in x]) >= 2, 90)
    text = run.log
    assert "job crawl:slow skipped: still running (its run at 20" in text
    assert "Traceback" not in text and "Error notifying listener" not in text
