"""Issue 23's acceptance, through the real `demo` command (a subprocess, as a user runs
it) with a watch on 养老 delivering to a real SMTP server and an HTTP receiver on
127.0.0.1: one message per matching new document; nothing on a second demo; the new
matching notices and the one revision on `demo --state later`; a kill between matching
and sending, then a rerun, delivers each message exactly once; the watch's Atom feed
reads in feedparser with the same ids on every run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import feedparser
from sqlalchemy import select
from watch_receivers import HttpReceiver, SmtpReceiver

from crawler.cli import main
from storage.api import open_archive
from storage.models import Outbox
from tests.web.web_client import client_for

ROOT = Path(__file__).resolve().parents[1]
REVISED = "保政发〔2022〕8号"


def _demo(url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "demo", "--db", url, "--json", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _run_demo(url: str, *extra: str) -> None:
    proc = _demo(url, *extra)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert json.loads(out)["ok"]


def _matching_ids(url: str, capsys) -> set[int]:
    """What `search 养老` finds: the documents the watch must be told about."""
    assert main(["search", "养老", "--limit", "1000", "--json", "--db", url]) == 0
    return {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}


def _titles(url: str, ids: set[int], capsys, kind: str = "new") -> list[str]:
    """The message titles these documents are told by: watch, kind, 文号 and title."""
    titles = []
    for doc_id in ids:
        assert main(["show", str(doc_id), "--json", "--db", url]) == 0
        doc = json.loads(capsys.readouterr().out)
        titles.append(f"[yl] {kind}: " + " ".join(x for x in (doc["doc_number"], doc["title"]) if x))
    return sorted(titles)


def _new_archive_with_watch(tmp_path, capsys, *notify: str) -> str:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    open_archive(url).dispose()  # an empty archive (only crawl and demo make one from the CLI)
    args = ["watch", "add", "yl", "养老", "--db", url]
    for target in notify:
        args += ["--notify", target]
    assert main(args) == 0
    capsys.readouterr()
    return url


def test_demo_tells_a_watch_each_notice_once(tmp_path, capsys):
    with SmtpReceiver() as smtp, HttpReceiver() as hook:
        url = _new_archive_with_watch(tmp_path, capsys, smtp.url(), hook.url())
        _run_demo(url)
        first = _matching_ids(url, capsys)
        assert len(first) >= 10
        # one message per matching document, by mail and by webhook alike, each once
        assert len(smtp.messages) == len(hook.posts) == len(first)
        assert Counter(smtp.subjects) == Counter(hook.titles) and max(Counter(smtp.subjects).values()) == 1
        assert sorted(hook.titles) == _titles(url, first, capsys)

        _run_demo(url)
        assert len(smtp.messages) == len(hook.posts) == len(first)  # nothing new: nothing sent

        _run_demo(url, "--state", "later")
        fresh = _matching_ids(url, capsys) - first
        assert fresh  # the later state brings new 养老 notices
        later = hook.titles[len(first):]
        assert len(smtp.messages) == len(hook.posts) == len(first) + len(fresh) + 1
        revised = [t for t in later if t.startswith("[yl] revised: ")]
        assert len(revised) == 1 and REVISED in revised[0]
        assert sorted(t for t in later if t.startswith("[yl] new: ")) == _titles(url, fresh, capsys)
        (body,) = [p["message"] for p in hook.posts[len(first):] if REVISED in p["title"]]
        assert "changed: 养老机构护理型床位占比达到60%以上" in body

    # the feed: what the watch was told, read by a feed reader, with the same ids every time
    feeds = []
    for _ in range(2):
        assert main(["watch", "feed", "yl", "--db", url]) == 0
        feeds.append(feedparser.parse(capsys.readouterr().out))
    for feed in feeds:
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == len(first) + len(fresh) + 1
        assert len({e.id for e in feed.entries}) == len(feed.entries)
    assert feeds[0].feed.id == feeds[1].feed.id
    assert [e.id for e in feeds[0].entries] == [e.id for e in feeds[1].entries]
    # the web page serves the same feed
    with client_for(url) as client:
        served = client.get("/watches/yl/feed.atom")
        assert served.headers["content-type"].startswith("application/atom+xml")
        web = feedparser.parse(served.content)
        assert web.feed.id == feeds[0].feed.id and [e.id for e in web.entries] == [e.id for e in feeds[0].entries]
        assert client.get("/watches/nobody/feed.atom").status_code == 404


def _outbox(url: str) -> list[tuple[int, bool]]:
    with open_archive(url) as archive, archive.session() as session:
        return [(r.id, r.sent_at is not None) for r in session.scalars(select(Outbox).order_by(Outbox.id))]


def test_a_kill_between_matching_and_sending_loses_nothing_and_repeats_nothing(tmp_path, capsys):
    # The SMTP server holds the second message's MAIL command unanswered: by then every
    # match is in the outbox and the first message is delivered and marked sent.
    with SmtpReceiver(hold_at=2) as smtp, HttpReceiver() as hook:
        url = _new_archive_with_watch(tmp_path, capsys, smtp.url(), hook.url())
        demo = _demo(url)
        try:
            assert smtp.held.wait(600), "the demo never got to sending"
            owed = _outbox(url)
            assert len(owed) >= 10 and [sent for _, sent in owed].count(True) == 1
            demo.send_signal(signal.SIGKILL)
        finally:
            demo.kill()
            demo.communicate()
        assert demo.returncode == -signal.SIGKILL
        assert (len(smtp.messages), len(hook.posts)) == (1, 1)
        smtp.release()
        smtp.hold_at = None

        _run_demo(url)  # the next crawl's end sends what is owed
        assert len(smtp.messages) == len(hook.posts) == len(owed)
        assert max(Counter(smtp.subjects).values()) == 1 and max(Counter(hook.titles).values()) == 1
        assert all(sent for _, sent in _outbox(url))
