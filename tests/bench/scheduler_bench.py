"""The scheduler's crawl service against one crawl of the same pages.

    python tests/bench/scheduler_bench.py [--sources 130] [--seed 0]

Builds ``--sources`` sites: the six sample sites (crawler/samples: gov_portal, policy_api,
aggregator, docshare and generic families) and generated TRS portals
(crawler/samples/gen/bench, 20–60 notices each, portal and minimal page templates
alternating), each site on a loopback server of its own. Then, each into a fresh SQLite
archive:

- the scheduler: its jobs and its crawl service as ``policy-archive schedule`` runs them, in a
  process of its own: every source due at once, until every source's run is closed; then
  every source due again at once on the same archive (the incremental round: nothing
  changed on the sites; the service is warm, as a long-lived scheduler's is);
- the reference: one ``policy-archive crawl`` of all the sources (one crawl process), twice
  likewise (each crawl a process of its own, as it always is).

Per round: wall time until the last run closed (the first round's from the process's start,
the scheduler's second from when its sources came due), pages/s (pages of
the runs over that wall time), the crawl time proper (first run's start to last run's end,
from the run rows) and the peak summed RSS of the process tree (scheduler, crawl service,
extraction workers; for the reference, the crawl process and its workers). Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.crawl_speed import TreeSampler  # noqa: E402

NOTICES = (20, 60)


def build_sites(root: Path, count: int, seed: int, stack: ExitStack) -> Path:
    """Serve ``count`` sites; returns a registry of them all (URLs filled in)."""
    from crawler.samples.gen.bench import CHROMES, build_site
    from crawler.samples.server import SampleServer, sample_registry_path, sample_root

    samples = stack.enter_context(SampleServer(sample_root()))
    text = sample_registry_path().read_text(encoding="utf-8").replace("{base}", samples.base_url)
    sources = [s for s in tomllib.loads(text)["source"] if s.get("enabled", True)][:count]
    rng = random.Random(seed)
    for n in range(count - len(sources)):
        site = build_site(root / f"site{n}", rng.randint(*NOTICES), seed=seed * 1000 + n, chrome=CHROMES[n % 2])
        server = stack.enter_context(SampleServer(site.www))
        text = site.registry.read_text(encoding="utf-8").replace("{base}", server.base_url)
        (source,) = tomllib.loads(text)["source"]
        sources.append({**source, "id": f"bench{n}", "name": f"{source['name']} {n}"})
    registry = root / "sources.toml"
    registry.write_text(tomli_w.dumps({"source": sources}), encoding="utf-8")
    return registry


def run_rows(db_url: str) -> list[Any]:
    from storage.api import list_runs, open_archive

    archive = open_archive(db_url)
    try:
        return list_runs(archive, limit=100_000)
    finally:
        archive.dispose()


def drive(registry: str, db_url: str, sources: int) -> int:
    """``--drive``: the scheduler as ``schedule`` runs it (its jobs, its crawl service), two
    rounds: every source due at once, and once those runs closed, due again at once (the
    service warm, as it is for a long-lived scheduler's next round). A line per event."""
    from datetime import datetime, timezone

    import scheduler
    from crawler.run.service_client import CrawlServiceClient

    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    sched = scheduler.build_scheduler(db_url, registry, interval=3600)
    ended = threading.Condition()
    jobs_done = [0]

    def job_done(_event: Any) -> None:  # a job returns once its source's run is closed
        with ended:
            jobs_done[0] += 1
            ended.notify_all()

    sched.add_listener(job_done, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler._service = CrawlServiceClient(db_url, registry)
    scheduler._service.start()
    threading.Thread(target=sched.start, daemon=True).start()
    for event, count in (("first done", sources), ("second done", 2 * sources)):
        with ended:
            ended.wait_for(lambda count=count: jobs_done[0] >= count)
        print(json.dumps({"event": event}), flush=True)
        if event == "first done":
            print(json.dumps({"event": "second due"}), flush=True)
            now = datetime.now(timezone.utc)
            for job in sched.get_jobs():
                job.modify(next_run_time=now)
    sched.shutdown(wait=False)
    scheduler._service.stop()
    return 0


def scheduler_rounds(registry: Path, db_url: str, sources: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both rounds of the scheduler in a process of its own (``--drive``), timed here."""
    env = {**os.environ, "POLICY_ARCHIVE_LOOPBACK_ONLY": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--drive", str(registry), db_url, "--sources", str(sources)]
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # a pipe nobody reads would fill and block it
    seen: dict[str, float] = {}
    with TreeSampler() as sampler, log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        for line in proc.stdout:
            seen[json.loads(line)["event"]] = time.perf_counter()
            if "second done" in seen:
                break
        if proc.wait(timeout=300) != 0 or "second done" not in seen:
            log.seek(0)
            raise RuntimeError(f"the scheduler's driver ended with {proc.returncode}: {log.read()[-2000:]}")
    runs = sorted(run_rows(db_url), key=lambda r: r.id)
    first = _round(seen["first done"] - start, runs[:sources], sampler)
    second = _round(seen["second done"] - seen["second due"], runs[sources:], None)
    return first, second


def reference_round(registry: Path, db_url: str) -> dict[str, Any]:
    """One crawl of every source: ``policy-archive crawl`` (one crawl process), started cold
    as the scheduler is."""
    before = {r.id for r in run_rows(db_url)} if Path(db_url.removeprefix("sqlite:///")).exists() else set()
    env = {**os.environ, "POLICY_ARCHIVE_LOOPBACK_ONLY": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(registry), "--db", db_url, "--json"]
    with TreeSampler() as sampler:
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some source was not ok, which the figures say
        raise RuntimeError(f"the crawl ended with {done.returncode}: {done.stderr[-2000:]}")
    return _round(wall, [r for r in run_rows(db_url) if r.id not in before], sampler)


def _round(wall: float, runs: list[Any], sampler: TreeSampler | None) -> dict[str, Any]:
    pages = sum(r.pages for r in runs)
    crawling = max(r.finished_at for r in runs) - min(r.started_at for r in runs)
    statuses: dict[str, int] = {}
    for r in runs:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    return {
        "wall_s": round(wall, 2),
        "crawl_s": round(crawling.total_seconds(), 2),
        "pages": pages,
        "pages_per_s": round(pages / wall, 2),
        "new_documents": sum(r.new_documents for r in runs),
        "runs": len(runs),
        "statuses": statuses,
        "crawl_pids": len({r.pid for r in runs}),
        # the scheduler's rounds share one sampling: its figures are the first round's (the peak)
        **({"peak_rss_tree_mib": round(sampler.peak_rss_kib / 1024, 1), "cpu_s": round(sampler.cpu_seconds, 2)}
           if sampler is not None else {}),
    }


def measure(sources: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="scheduler-bench-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        registry = build_sites(root, sources, seed, stack)
        service_db, reference_db = f"sqlite:///{root / 'service.db'}", f"sqlite:///{root / 'reference.db'}"
        reference = reference_round(registry, reference_db)
        reference_again = reference_round(registry, reference_db)
        first, again = scheduler_rounds(registry, service_db, sources)
    return {
        "sources": sources,
        "load_avg": os.getloadavg(),
        "service_pages_per_s": first["pages_per_s"],
        "reference_pages_per_s": reference["pages_per_s"],
        "service_vs_one_crawl": round(first["pages_per_s"] / reference["pages_per_s"], 3),
        "peak_rss_tree_mib": first["peak_rss_tree_mib"],
        "incremental_speedup": round(first["wall_s"] / again["wall_s"], 2),
        "reference_incremental_speedup": round(reference["wall_s"] / reference_again["wall_s"], 2),
        "service": {"first": first, "incremental": again},
        "one_crawl": {"first": reference, "incremental": reference_again},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=130, help="sources due at once (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drive", nargs=2, metavar=("REGISTRY", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        return drive(*args.drive, args.sources)
    print(json.dumps({"scheduler": measure(args.sources, args.seed)}, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
