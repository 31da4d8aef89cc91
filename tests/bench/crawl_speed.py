"""End-to-end crawl speed of a generated government site, against bare trafilatura.

    python tests/bench/crawl_speed.py [--notices 2000] [--pairs 3] [--workers N] [--ten-k]

Serves the generated bench site (crawler/samples/gen/bench) on loopback and runs, in
pairs, a crawl of it into a fresh SQLite archive (``run_crawl``) and bare
``trafilatura.extract`` over a sample of the same detail pages on one core. Within a pair
the two run back to back, the side that goes first alternating from pair to pair, and
the report takes medians over the pairs (of each side and of the per-pair ratio): load
from the rest of the machine falls on both sides of a pair alike, so it cannot flatter
the ratio. The last pair's archive is then re-crawled unchanged (conditional requests).
While a crawl runs, /proc is sampled every 0.2 s for the crawler's process tree (the
crawl process and its descendants: the extraction workers): CPU time, peak summed RSS and
PSS (RSS counts pages the workers share with each other once per process). CPU-ms per
page is reported per process kind beside bare trafilatura's, and taken apart by stage on
one core by tests/bench/stage_cpu.py over a sample of the same pages. Prints JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawler.samples.gen.bench import DETAIL_PATTERN, LISTING_PATTERN, SITE as site_name, build_site  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    tree, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, ()))
    return out


def _proc_numbers(pid: int) -> tuple[float, int, int] | None:
    """(user+sys seconds, RSS KiB, PSS KiB) of one process, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / _TICK
        rss = int(fields[21]) * _PAGE_KIB
        pss = rss
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
                break
        return cpu, rss, pss
    except (OSError, IndexError, ValueError):
        return None


class TreeSampler:
    """Samples the process tree under this process's children (not this process: it is
    the web server here) until stopped."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.cpu: dict[int, float] = {}
        self.depth_of: dict[int, int] = {}
        self.peak_rss_kib = 0
        self.peak_pss_kib = 0
        self.peak_processes = 0
        # peak RSS by depth under this process: 1 the crawl, 2 the fork server, 3 workers (summed)
        self.peak_rss_by_depth: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            tree = _children()
            depths: dict[int, int] = {}
            todo = [(p, 1) for p in tree.get(me, ())]
            while todo:
                pid, depth = todo.pop()
                depths[pid] = depth
                todo.extend((c, depth + 1) for c in tree.get(pid, ()))
            pids = list(depths)
            rss = pss = 0
            by_depth: dict[int, int] = {}
            for pid in pids:
                numbers = _proc_numbers(pid)
                if numbers is None:
                    continue
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), numbers[0])
                self.depth_of[pid] = depths[pid]
                rss += numbers[1]
                pss += numbers[2]
                by_depth[depths[pid]] = by_depth.get(depths[pid], 0) + numbers[1]
            for depth, kib in by_depth.items():
                self.peak_rss_by_depth[depth] = max(self.peak_rss_by_depth.get(depth, 0), kib)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            self.peak_pss_kib = max(self.peak_pss_kib, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self._stop.wait(self.interval)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())

    def cpu_seconds_at(self, depth: int) -> float:
        return sum(cpu for pid, cpu in self.cpu.items() if self.depth_of.get(pid) == depth)


def bare_trafilatura(files: list[Path]) -> dict[str, float]:
    """Decode + trafilatura.extract over the pages on one core: pages/s of wall time (what a
    crawl's pages/s compares with) and CPU-ms per page."""
    import trafilatura

    pages = [f.read_bytes() for f in files]
    for body in pages[:5]:  # its imports and caches are not the pages' cost
        trafilatura.extract(body.decode("utf-8"))
    start, cpu = time.perf_counter(), time.process_time()
    for body in pages:
        trafilatura.extract(body.decode("utf-8"))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - start
    return {"pages_per_s": len(pages) / wall, "cpu_ms_per_page": cpu * 1000 / len(pages)}


def _crawl(site: Any, server: Any, db_url: str, settings: dict[str, Any]) -> dict[str, Any]:
    from crawler.run.crawl_process import run_crawl
    from spiders.registry import load_registry

    sources = list(load_registry(site.registry).values())
    server.reset_counts()
    before = os.times()
    with TreeSampler() as sampler:
        start = time.perf_counter()
        summary = run_crawl(sources, db_url=db_url, registry_path=site.registry, base=server.base_url,
                            settings=settings, progress=False)
        wall = time.perf_counter() - start
    after = os.times()
    # Children the crawl process waited for are in its rusage too; the sampler's last look
    # at each process misses at most its last 0.2 s, so take the larger of the two.
    waited = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    cpu = max(sampler.cpu_seconds, waited)
    totals = summary.to_dict()
    return {
        "wall_s": wall,
        "requests": len(server.log),
        "pages": totals["pages"],
        "new_documents": totals["new_documents"],
        "offtopic": totals["offtopic"],
        "unchanged": totals["unchanged"],
        "errors": totals.get("errors", 0),
        "status": [s.status for s in summary.sources],
        "cpu_s": cpu,
        "cpu_utilization": cpu / wall,
        "peak_rss_tree_mib": sampler.peak_rss_kib / 1024,
        "peak_pss_tree_mib": sampler.peak_pss_kib / 1024,
        "processes": sampler.peak_processes,
        "peak_rss_mib_crawl_forkserver_workers": [sampler.peak_rss_by_depth.get(d, 0) / 1024 for d in (1, 2, 3)],
        # Which process the CPU went to: the crawl process (reactor and archive writer) or
        # the extraction workers (summed, restarted ones included).
        "cpu_s_crawl_forkserver_workers": [round(sampler.cpu_seconds_at(d), 2) for d in (1, 2, 3)],
    }


def fetch_floor(start_url: str, concurrency: int) -> dict[str, Any]:
    """Scrapy alone on the same site (tests/bench/fetch_floor.py, a process of its own)."""
    import subprocess

    follow = f"{DETAIL_PATTERN}|{LISTING_PATTERN}"
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("fetch_floor.py")), start_url,
                          "--follow", follow, "--concurrency", str(concurrency)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def measure(notices: int = 2000, workers: int | None = None, concurrency: int = 16,
            reference_pages: int = 600, chrome: str = "portal", floor: bool = False, pairs: int = 3,
            stage_pages: int = 150) -> dict[str, Any]:
    from crawler.run.crawl_process import LOOPBACK_SETTINGS
    from crawler.samples.server import SampleServer

    settings: dict[str, Any] = {**LOOPBACK_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                                "CONCURRENT_REQUESTS": concurrency}
    if workers is not None:
        settings["POLICY_EXTRACT_WORKERS"] = workers
    load_before = os.getloadavg()
    crawls: list[dict[str, Any]] = []
    bares: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as tmp:
        site = build_site(Path(tmp) / "site", notices, chrome=chrome)
        files = site.detail_files()
        step = max(1, len(files) // reference_pages)
        sample = files[::step][:reference_pages]
        with SampleServer(site.www) as server:
            for pair in range(pairs):
                db_url = f"sqlite:///{tmp}/archive-{pair}.db"
                if pair % 2 == 0:
                    bares.append(bare_trafilatura(sample))
                    crawls.append(_crawl(site, server, db_url, settings))
                else:
                    crawls.append(_crawl(site, server, db_url, settings))
                    bares.append(bare_trafilatura(sample))
            again = _crawl(site, server, db_url, settings)
            if floor:
                server.reset_counts()
                floor_numbers = fetch_floor(f"{server.base_url}/{site_name}/xxgk/index.html", concurrency)
        from tests.bench import stage_cpu

        stage_step = max(1, len(files) // stage_pages)
        stages = stage_cpu.measure(files[::stage_step][:stage_pages], site.www, site.registry)
    return summarize(notices, chrome, workers, crawls, bares, again, stages,
                     {"load_avg_before": load_before, "load_avg_after": os.getloadavg()},
                     {**floor_numbers} if floor else None)


def _cpu_ms(crawl: dict[str, Any], depth: int | None = None) -> float:
    seconds = crawl["cpu_s"] if depth is None else crawl["cpu_s_crawl_forkserver_workers"][depth]
    return seconds * 1000 / max(1, crawl["pages"])


def summarize(notices: int, chrome: str, workers: int | None, crawls: list[dict[str, Any]],
              bares: list[dict[str, float]], again: dict[str, Any], stages: dict[str, Any],
              load: dict[str, Any], floor: dict[str, Any] | None) -> dict[str, Any]:
    """The pairs' medians: of each side, of the per-pair ratios, and of CPU-ms per page."""
    med = statistics.median
    rates = [c["pages"] / c["wall_s"] for c in crawls]
    ratios = [rate / bare["pages_per_s"] for rate, bare in zip(rates, bares)]
    cpu_ratios = [_cpu_ms(c) / bare["cpu_ms_per_page"] for c, bare in zip(crawls, bares)]
    reference = med(b["pages_per_s"] for b in bares)
    first = crawls[-1]
    return {
        "notices": notices,
        "chrome": chrome,
        "workers": workers,
        "pairs": len(crawls),
        **load,
        "load_avg": load["load_avg_after"],
        "bare_trafilatura_pages_per_s": reference,
        "bare_trafilatura_per_pair": [round(b["pages_per_s"], 1) for b in bares],
        "crawl_pages_per_s": med(rates),
        "crawl_pages_per_s_per_pair": [round(r, 1) for r in rates],
        # the median of the pairs' own ratios: each pair's sides shared the same load
        "crawl_vs_bare": med(ratios),
        "crawl_vs_bare_per_pair": [round(r, 3) for r in ratios],
        "cpu_ms_per_page": {
            "crawl_tree": med(_cpu_ms(c) for c in crawls),
            "crawl_process": med(_cpu_ms(c, 0) for c in crawls),
            "extraction_workers": med(_cpu_ms(c, 2) for c in crawls),
            "bare_trafilatura": med(b["cpu_ms_per_page"] for b in bares),
        },
        "cpu_vs_bare": med(cpu_ratios),
        "cpu_vs_bare_per_pair": [round(r, 2) for r in cpu_ratios],
        "cpu_ms_per_page_by_stage": stages,
        "cpu_utilization": med(c["cpu_utilization"] for c in crawls),
        "peak_rss_tree_mib": max(c["peak_rss_tree_mib"] for c in crawls),
        "peak_pss_tree_mib": max(c["peak_pss_tree_mib"] for c in crawls),
        "first_crawl": first,
        "recrawl": again,
        **({"scrapy_alone": {**floor, "vs_bare": floor["pages_per_s"] / reference}} if floor else {}),
        "recrawl_summary": {
            "first_crawl_s": first["wall_s"],
            "recrawl_s": again["wall_s"],
            "speedup": first["wall_s"] / again["wall_s"],
            "first_requests": first["requests"],
            "recrawl_requests": again["requests"],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--ten-k", action="store_true", help="also measure 10,000 notices")
    parser.add_argument("--workers", type=int, default=None, help="POLICY_EXTRACT_WORKERS (default: the setting's)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=3, help="crawl/bare pairs, alternated; medians are reported")
    parser.add_argument("--chrome", choices=("portal", "minimal"), default="portal",
                        help="page template of the generated site (crawler/samples/gen/bench)")
    parser.add_argument("--fetch-floor", action="store_true",
                        help="also time Scrapy alone on the site (no extraction, no archive)")
    args = parser.parse_args()
    report = {"crawl": measure(args.notices, args.workers, args.concurrency, chrome=args.chrome,
                               floor=args.fetch_floor, pairs=args.pairs)}
    if args.ten_k:
        report["crawl_10k"] = measure(10_000, args.workers, args.concurrency, chrome=args.chrome, pairs=args.pairs)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
