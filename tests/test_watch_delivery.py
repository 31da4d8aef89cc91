"""Delivery of what watches are owed, through apprise to a real SMTP server (aiosmtpd) and
an HTTP receiver on 127.0.0.1: one message per notice, a day's digest in one, failures
recorded on the watch and retried only towards the targets that missed the message."""
from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from crawler.cli import main
from crawler.watch.deliver import deliver_pending, send
from storage.api import Filters, ingest, open_archive
from storage.models import Watch, utcnow
from storage.outbox import day_start
from storage.watch_match import match_watches
from storage.watches import add_watch, get_watch
from tests.storage.conftest import archive_url, pg_url, sqlite_url  # noqa: F401  (fixtures: both backends)

sys.path.insert(0, str(Path(__file__).resolve().parent / "storage"))
from storage_samples import NOTICE_A, NOTICE_B, later, page  # noqa: E402
from watch_receivers import HttpReceiver, SmtpReceiver, free_port  # noqa: E402

NUM_A = "市政办发〔2016〕12号"
NUM_B = "市民发〔2019〕21号"


@pytest.fixture
def archive(archive_url):
    arch = open_archive(archive_url)
    yield arch
    arch.dispose()


def _two_notices(archive):
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A, title="医养结合通知",
                         agency="市人民政府办公室", region="辽宁省甲市", published_date=date(2016, 3, 10)))
    ingest(archive, page("gov2", "gov", "http://gov2.test/b.html", NOTICE_B, doc_number=NUM_B, title="养老服务实施意见",
                         agency="市民政局", region="云南省乙市", at=later(1)))


def test_one_message_per_notice_by_mail_and_webhook(archive):
    with SmtpReceiver() as smtp, HttpReceiver() as hook:
        add_watch(archive, "yl", "养老", notify=[smtp.url(), hook.url()])
        _two_notices(archive)
        match_watches(archive)
        report = deliver_pending(archive)
        assert (report.sent, report.failed) == (2, 0)
        assert deliver_pending(archive).sent == 0  # sent is sent
    expected = sorted([f"[yl] new: {NUM_A} 医养结合通知", f"[yl] new: {NUM_B} 养老服务实施意见"])
    assert sorted(smtp.subjects) == sorted(hook.titles) == expected
    (body_a,) = [b for b in smtp.bodies() if NUM_A in b]
    assert "http://gov.test/a.html" in body_a and "辽宁省甲市" in body_a
    assert all(p["message"] and p["type"] == "info" for p in hook.posts)


def test_a_failing_target_is_recorded_and_retried_alone(archive, capsys):
    dead = f"json://127.0.0.1:{free_port()}/hook"  # nothing listens there
    with SmtpReceiver() as smtp:
        add_watch(archive, "yl", "养老 -彩票公益金", notify=[smtp.url(), dead])
        _two_notices(archive)
        match_watches(archive)
        now = utcnow()
        report = deliver_pending(archive, now)
        assert (report.sent, report.failed) == (0, 1)
        assert len(smtp.messages) == 1  # the mail went; the webhook did not
        info = get_watch(archive, "yl")
        assert info.failures == 1 and info.pending == 1 and "127.0.0.1" in info.last_error
        assert main(["watch", "list", "--db", archive.url]) == 0
        listed = capsys.readouterr().out
        assert "yl: last error at" in listed and "127.0.0.1" in listed
        assert deliver_pending(archive, now).failed == 0  # waiting for its backoff
        with HttpReceiver() as hook:
            with archive.transaction() as session:  # the webhook is back, at another port
                session.execute(update(Watch).where(Watch.name == "yl").values(notify=[smtp.url(), hook.url()]))
            report = deliver_pending(archive, now + timedelta(hours=7))
        assert report.sent == 1 and len(hook.posts) == 1
    # the first target was not sent the message again
    assert len(smtp.messages) == 1
    assert get_watch(archive, "yl").failures == 0


def test_a_daily_digest_is_one_message(archive):
    with HttpReceiver() as hook:
        add_watch(archive, "daily", "", Filters.parse(agency="市"), notify=[hook.url()], digest="daily")
        _two_notices(archive)
        match_watches(archive)
        assert deliver_pending(archive).sent == 0
        assert deliver_pending(archive, day_start(utcnow()) + timedelta(days=1)).sent == 1
    (post,) = hook.posts
    assert post["title"].startswith("[daily] 2 notices (")
    assert NUM_A in post["message"] and NUM_B in post["message"]


def test_send_says_why_apprise_failed():
    error = send(f"json://127.0.0.1:{free_port()}/hook", "t", "b")
    assert error and "127.0.0.1" in error
    with HttpReceiver(status=500) as hook:
        error = send(hook.url(), "t", "b")
    assert error and "500" in error
    assert send("nope://x", "t", "b").startswith("not a notification URL")


def test_watch_commands(archive, capsys):
    db = ["--db", archive.url]
    with SmtpReceiver() as smtp:
        assert main(["watch", "add", "yl", "养老", "--region", "云南", "--notify", smtp.url(), "--json", *db]) == 0
        added = json.loads(capsys.readouterr().out)
        assert added["filters"] == {"region": "云南"}
        _two_notices(archive)
        assert main(["watch", "test", "yl", "--send", "--json", *db]) == 0
        tested = json.loads(capsys.readouterr().out)
        assert tested["matches_now"] == 1 and tested["newest"][0]["doc_number"] == NUM_B
        assert tested["sent"][0]["error"] is None and smtp.subjects == ["[yl] test message from policy-archive"]
        assert main(["watch", "notify", "--json", *db]) == 0
        assert json.loads(capsys.readouterr().out)["new"] == {"yl": 1}
        assert len(smtp.messages) == 2
    assert main(["watch", "add", "x", "养老", "--notify", "nope://x", *db]) == 2
    assert main(["watch", "add", "yl", "医保", *db]) == 2
    assert main(["watch", "remove", "nobody", *db]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("policy-archive: error: ") for e in errors), errors
    assert main(["watch", "remove", "yl", *db]) == 0
    assert main(["watch", "list", "--json", *db]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_trouble_after_a_crawl_is_one_line_not_the_crawls_failure(tmp_path, capsys):
    from crawler.watch.notify import notify_after_crawl

    report = notify_after_crawl(f"sqlite:///{tmp_path / 'gone.db'}")
    assert report.error and "no archive at" in report.error
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("watches: notifications failed: ")


def test_watch_test_caps_a_long_joint_doc_number_as_search_does():
    from crawler.cli.output import DOC_NUMBER_WIDTH
    from crawler.cli.watch import _test_text

    long_number = "财政部税务总局发展改革委民政部商务部卫生健康委公告2019年第76号"
    text = _test_text({"watch": "yl", "matches_now": 2, "newest": [
        {"published_date": "2019-06-28", "doc_number": long_number, "title": "关于养老的公告"},
        {"published_date": "2023-11-05", "doc_number": None, "title": "行动规划"}]})
    rows = text.splitlines()[1:]
    assert "…" in rows[0] and long_number not in rows[0]
    # the title column starts where a capped 文号 column ends, on every row
    assert rows[1].index("行动规划") <= len("  2023-11-05  ") + DOC_NUMBER_WIDTH + 2
