"""Start-up time of `policy-archive --help`, and of `search 养老` on a small archive, next
to a bare `python -c pass`.

    python tests/bench/startup_bench.py [--runs N]

All are timed in the same run, the same number of times, as fresh processes (the
median of N wall-clock times is printed, in seconds, as one JSON object). The goals:
--help under 0.3 s (issue 12), every command pays it before it does anything; a search
under 0.4 s (issue 21), a read answers at once (no migration machinery, no ingest).
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "storage")]


def _median_wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def small_archive(folder: Path) -> str:
    """An archive of the newest schema holding two notices (the storage tests' samples)."""
    from storage.api import ingest, open_archive
    from storage_samples import NOTICE_A, NOTICE_B, page

    url = f"sqlite:///{folder / 'small.db'}"
    with open_archive(url) as archive:
        ingest(archive, page("gov_a", "gov", "http://gov.example/n/1.html", NOTICE_A))
        ingest(archive, page("gov_b", "gov", "http://gov.example/n/2.html", NOTICE_B))
    return url


def measure(runs: int) -> dict[str, float | int]:
    # `-m crawler.cli` is what the console script runs, minus the script's own shim.
    help_s = _median_wall([sys.executable, "-m", "crawler.cli", "--help"], runs)
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        search_s = _median_wall([sys.executable, "-m", "crawler.cli", "search", "养老", "--db",
                                 small_archive(Path(tmp))], runs)
    pass_s = _median_wall([sys.executable, "-c", "pass"], runs)
    return {
        "runs": runs,
        "help_seconds": round(help_s, 4),
        "search_seconds": round(search_s, 4),
        "python_pass_seconds": round(pass_s, 4),
        "help_over_pass": round(help_s / pass_s, 2) if pass_s else None,
        "search_over_pass": round(search_s / pass_s, 2) if pass_s else None,
        "goal_seconds": 0.3,
        "search_goal_seconds": 0.4,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    print(json.dumps({"startup": measure(args.runs)}))


if __name__ == "__main__":
    main()
