"""Start-up time of `policy-archive --help`, and of the read commands `search 养老` and
`show` on the demo archive (read_startup), next to a bare `python -c pass`.

    python tests/bench/startup_bench.py [--runs N]

All are timed in the same run, the same number of times, as fresh processes, interleaved
(the median of N wall-clock times is printed, in seconds, as one JSON object). The goals:
--help under 0.3 s (issue 12), every command pays it before it does anything; a search
and a show under 0.4 s (issue 21), a read answers at once (SQLAlchemy Core on the
archive's tables: no ORM, no migration machinery, no crawler, no ingest).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `-m crawler.cli` is what the console script runs, minus the script's own shim.
CLI = [sys.executable, "-m", "crawler.cli"]


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Each command's median wall time, the commands taking turns, so that a machine
    busy for a while slows all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_wall(argv))
    return {name: statistics.median(ts) for name, ts in times.items()}


def demo_archive(folder: Path) -> str:
    """The demo's archive (its sample sites crawled over loopback), as `make demo` makes it."""
    url = f"sqlite:///{folder / 'demo.db'}"
    subprocess.run([*CLI, "demo", "--db", url], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return url


def measure(runs: int) -> dict[str, float | int | None]:
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        url = demo_archive(Path(tmp))
        seconds = _medians({
            "help": [*CLI, "--help"],
            "search": [*CLI, "search", "养老", "--db", url],
            "show": [*CLI, "show", "国办发〔2019〕5号", "--db", url],
            "pass": [sys.executable, "-c", "pass"],
        }, runs)
    pass_s = seconds["pass"]
    over = lambda s: round(s / pass_s, 2) if pass_s else None  # noqa: E731
    return {
        "runs": runs,
        "help_seconds": round(seconds["help"], 4),
        "read_search_seconds": round(seconds["search"], 4),
        "read_show_seconds": round(seconds["show"], 4),
        "python_pass_seconds": round(pass_s, 4),
        "help_over_pass": over(seconds["help"]),
        "read_search_over_pass": over(seconds["search"]),
        "read_show_over_pass": over(seconds["show"]),
        "goal_seconds": 0.3,
        "read_goal_seconds": 0.4,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    print(json.dumps({"startup": measure(args.runs)}))


if __name__ == "__main__":
    main()
