"""crawler/components/write_lane.py: the run recorder's writes, in order, off the calling thread."""
from __future__ import annotations

import threading

from crawler.components.write_lane import WriteLane


def test_writes_run_in_order_on_another_thread_and_close_waits_for_them():
    lane, seen, caller = WriteLane(), [], threading.get_ident()
    release = threading.Event()

    def write(n: int) -> None:
        if n == 0:
            assert release.wait(5)  # a slow first write must not let a later one pass it
        seen.append((n, threading.get_ident() != caller))

    for n in range(5):
        lane.submit(write, n)
    # submitting did not wait for the writes: the first one is still held back
    assert seen == []
    release.set()
    lane.close()
    assert seen == [(n, True) for n in range(5)]


def test_a_failed_write_is_logged_and_the_rest_still_run(caplog):
    lane, seen = WriteLane(), []

    def broken() -> None:
        raise RuntimeError("database is locked")

    lane.submit(broken)
    lane.submit(seen.append, "after")
    lane.close()
    assert seen == ["after"]
    assert "run journal write failed" in caplog.text and "database is locked" in caplog.text


def test_after_close_a_write_runs_in_the_caller():
    lane, seen = WriteLane(), []
    lane.close()
    lane.submit(lambda: seen.append(threading.get_ident()))
    assert seen == [threading.get_ident()]
