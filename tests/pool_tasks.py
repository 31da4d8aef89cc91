"""Tasks for an extraction pool's worker in the pool's tests: a module that imports only
the standard library, so unpickling a task in a fresh worker costs nothing of its deadline."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

MIB = 1024 * 1024


def pid() -> int:
    return os.getpid()


def pid_of(_anything: object) -> int:
    return os.getpid()


def hang_with_a_converter(marker: str) -> None:
    child = subprocess.Popen(["sleep", "3600"])
    Path(marker).write_text(str(child.pid))
    time.sleep(3600)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * MIB))
