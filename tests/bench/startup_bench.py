"""Start-up time of `policy-archive --help` next to a bare `python -c pass`.

    python tests/bench/startup_bench.py [--runs N]

Both are timed in the same run, the same number of times, as fresh processes (the
median of N wall-clock times is printed, in seconds, as one JSON object). The goal
(issue 12) is --help under 0.3 s: every command pays this before it does anything.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _median_wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(runs: int) -> dict[str, float | int]:
    # `-m crawler.cli` is what the console script runs, minus the script's own shim.
    help_s = _median_wall([sys.executable, "-m", "crawler.cli", "--help"], runs)
    pass_s = _median_wall([sys.executable, "-c", "pass"], runs)
    return {
        "runs": runs,
        "help_seconds": round(help_s, 4),
        "python_pass_seconds": round(pass_s, 4),
        "help_over_pass": round(help_s / pass_s, 2) if pass_s else None,
        "goal_seconds": 0.3,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    print(json.dumps({"startup": measure(args.runs)}))


if __name__ == "__main__":
    main()
