"""A `policy-archive schedule` process run until its log shows what a test waits for, then
stopped with SIGTERM: the scheduler tests wait on its log lines, never on the clock."""
from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import ROOT


@dataclass
class SchedulerRun:
    pid: int
    returncode: int
    log: str


def run_scheduler_until(cmd: list[str], done: Callable[[list[str]], bool], timeout: float,
                        env: dict[str, str] | None = None) -> SchedulerRun:
    """Run ``cmd`` until ``done(lines so far)``; fails with the log if that takes over ``timeout``."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reached = threading.Event()

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            if done(lines):
                reached.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert reached.wait(timeout), "".join(lines)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        reader.join(timeout=10)
    return SchedulerRun(proc.pid, proc.returncode, "".join(lines))
