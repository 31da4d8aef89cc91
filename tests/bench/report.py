"""`make bench`: every speed and memory goal of the archive, in one JSON report.

    python tests/bench/report.py [--quick] [--only SECTION ...] [--out FILE]

Each section runs in a fresh process (one section's memory or imports never colour
another's) and measures its figure and that figure's reference in the same run, so a
busy machine moves both. The report lists, per goal, the value, the reference, the
ratio, the goal and whether it is met; the sections' raw numbers follow.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"


@dataclass(frozen=True)
class Section:
    name: str
    argv: Callable[[bool], list[str]]  # quick? -> arguments of the section's script
    timeout_s: int


SECTIONS = (
    Section("startup", lambda quick: ["startup_bench.py", "--runs", "5" if quick else "15"], 300),
    Section("extract", lambda quick: ["extract_speed.py", "--rounds", "1" if quick else "3"], 1200),
    # Three crawl/bare pairs each (crawl_speed.py): medians, so load cannot flatter a ratio.
    Section("crawl_2k", lambda quick: ["crawl_speed.py", "--notices", "300" if quick else "2000", "--fetch-floor",
                                       "--pairs", "3"], 3600),
    # The 3–9 KB pages of earlier benchmarks (smaller than any real government page),
    # where Scrapy alone is about as fast as bare trafilatura.
    Section("crawl_2k_minimal", lambda quick: ["crawl_speed.py", "--notices", "300" if quick else "2000",
                                               "--chrome", "minimal", "--fetch-floor", "--pairs", "3"], 3600),
    # One pair: at 10k pages its figures are memory and the trend, not the paired ratio.
    Section("crawl_10k", lambda quick: ["crawl_speed.py", "--notices", "600" if quick else "10000",
                                        "--pairs", "1"], 3600),
    Section("ingest", lambda quick: ["ingest_scale.py", *(["--small", "200", "--large", "1000", "--sample", "50"]
                                                          if quick else [])], 3600),
    Section("neardup", lambda quick: ["neardup_bench.py", "--json", "--sizes", *(["2000"] if quick else ["10000", "100000"]),
                                      "--lookups", "100" if quick else "300"], 1800),
    # 130 sources (the registry's coming size) due at once, through the scheduler's crawl service.
    Section("scheduler", lambda quick: ["scheduler_bench.py", "--sources", "12" if quick else "130"], 3600),
    Section("search", lambda quick: ["search_bench.py", "--json", "--docs", "2000" if quick else "20000",
                                     "--rounds", "20" if quick else "60"], 3600),
)


def run_section(section: Section, quick: bool) -> dict[str, Any]:
    argv = [sys.executable, str(BENCH / section.argv(quick)[0]), *section.argv(quick)[1:]]
    print(f"bench: {section.name} …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=section.timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"over {section.timeout_s} s"}
    took = round(time.perf_counter() - start, 1)
    print(f"bench: {section.name} done in {took} s", file=sys.stderr, flush=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"exit {done.returncode}: " + " | ".join(tail), "seconds": took}
    parsed = parse_json_output(done.stdout)
    if parsed is None:
        return {"error": "no JSON in the section's output", "seconds": took}
    return {"result": parsed, "seconds": took}


def parse_json_output(stdout: str) -> Any:
    """The section's JSON: its whole output, or else its last line that is JSON."""
    try:
        return json.loads(stdout)
    except ValueError:
        pass
    for line in reversed(stdout.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


@dataclass(frozen=True)
class Goal:
    name: str
    section: str
    value: tuple[str, ...]
    reference: tuple[str, ...] | None = None
    ratio: tuple[str, ...] | None = None  # where the section reports the ratio itself
    on: str = "ratio"  # which figure the goal bounds: "ratio" or "value"
    at_least: float | None = None
    at_most: float | None = None


# Figures shown beside the goals, judged by none: (name, section, path).
CONTEXT = (
    ("Scrapy alone (no extraction, no archive) vs bare trafilatura, same pages", "crawl_2k",
     ("crawl", "scrapy_alone", "vs_bare")),
    ("CPU-ms per page: crawl tree / crawl process / extraction workers / bare trafilatura", "crawl_2k",
     ("crawl", "cpu_ms_per_page")),
    ("CPU-ms per page on 3–9 KB pages: crawl tree / crawl process / workers / bare", "crawl_2k_minimal",
     ("crawl", "cpu_ms_per_page")),
    ("CPU-ms per page by stage, one core (tests/bench/stage_cpu.py)", "crawl_2k",
     ("crawl", "cpu_ms_per_page_by_stage")),
    ("Scrapy alone vs bare trafilatura on 3–9 KB pages", "crawl_2k_minimal", ("crawl", "scrapy_alone", "vs_bare")),
    ("end-to-end crawl vs bare trafilatura at 10k pages", "crawl_10k", ("crawl", "crawl_vs_bare")),
)

GOALS = (
    Goal("extraction vs bare trafilatura, pages/s", "extract",
         ("extract_page_pages_per_s",), ("bare_trafilatura_pages_per_s",), ("ratio",), at_least=0.9),
    Goal("end-to-end crawl vs single-core bare trafilatura, portal-sized pages, pages/s (median of pairs)",
         "crawl_2k", ("crawl", "crawl_pages_per_s"), ("crawl", "bare_trafilatura_pages_per_s"),
         ("crawl", "crawl_vs_bare"), at_least=1.6),
    Goal("end-to-end crawl vs single-core bare trafilatura, 3–9 KB pages, pages/s (median of pairs)",
         "crawl_2k_minimal", ("crawl", "crawl_pages_per_s"), ("crawl", "bare_trafilatura_pages_per_s"),
         ("crawl", "crawl_vs_bare"), at_least=1.0),
    Goal("crawl CPU-ms per page vs bare trafilatura's, portal-sized pages (median of pairs)", "crawl_2k",
         ("crawl", "cpu_ms_per_page", "crawl_tree"), ("crawl", "cpu_ms_per_page", "bare_trafilatura"),
         ("crawl", "cpu_vs_bare"), at_most=1.5),
    Goal("crawl CPU-ms per page vs bare trafilatura's, 3–9 KB pages (median of pairs)", "crawl_2k_minimal",
         ("crawl", "cpu_ms_per_page", "crawl_tree"), ("crawl", "cpu_ms_per_page", "bare_trafilatura"),
         ("crawl", "cpu_vs_bare"), at_most=1.5),
    Goal("unchanged re-crawl speed-up, first crawl s / re-crawl s", "crawl_2k",
         ("crawl", "recrawl_summary", "first_crawl_s"), ("crawl", "recrawl_summary", "recrawl_s"),
         ("crawl", "recrawl_summary", "speedup"), at_least=10.0),
    Goal("ingest ms/page at 20k archived documents vs at 1k", "ingest",
         ("ingest_ms_per_page_at_20k",), ("ingest_ms_per_page_at_1k",), ("ratio_20k_over_1k",), at_most=1.3),
    Goal("peak RSS of the process tree at 2k pages, MiB", "crawl_2k", ("crawl", "peak_rss_tree_mib"),
         on="value", at_most=300),
    Goal("peak RSS of the process tree at 10k pages, MiB", "crawl_10k", ("crawl", "peak_rss_tree_mib"),
         on="value", at_most=300),
    Goal("scheduler round, 130 sources due at once, vs one crawl of the same pages, pages/s", "scheduler",
         ("scheduler", "service_pages_per_s"), ("scheduler", "reference_pages_per_s"),
         ("scheduler", "service_vs_one_crawl"), at_least=0.8),
    Goal("peak RSS of the scheduler's process tree, 130 sources due at once, MiB", "scheduler",
         ("scheduler", "peak_rss_tree_mib"), on="value", at_most=600),
    Goal("incremental scheduler round speed-up, first round s / second round s", "scheduler",
         ("scheduler", "service", "first", "wall_s"), ("scheduler", "service", "incremental", "wall_s"),
         ("scheduler", "incremental_speedup"), at_least=10.0),
    Goal("policy-archive --help, s (reference: python -c pass)", "startup", ("startup", "help_seconds"),
         ("startup", "python_pass_seconds"), ("startup", "help_over_pass"), on="value", at_most=0.3),
    Goal("read_startup: policy-archive search 养老 on the demo archive, s (reference: python -c pass)", "startup",
         ("startup", "read_search_seconds"), ("startup", "python_pass_seconds"), ("startup", "read_search_over_pass"),
         on="value", at_most=0.4),
    Goal("read_startup: policy-archive show on the demo archive, s (reference: python -c pass)", "startup",
         ("startup", "read_show_seconds"), ("startup", "python_pass_seconds"), ("startup", "read_show_over_pass"),
         on="value", at_most=0.4),
)


def judge(goal: Goal, sections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    section = sections.get(goal.section, {})
    result = section.get("result")
    value = _dig(result, *goal.value)
    reference = _dig(result, *goal.reference) if goal.reference else None
    ratio = _dig(result, *goal.ratio) if goal.ratio else None
    if ratio is None and _number(value) and _number(reference) and reference:
        ratio = value / reference
    judged = ratio if goal.on == "ratio" else value
    met = None
    if _number(judged):
        met = (goal.at_least is None or judged >= goal.at_least) and (goal.at_most is None or judged <= goal.at_most)
    bounds = [f">= {goal.at_least}" if goal.at_least is not None else "", f"<= {goal.at_most}" if goal.at_most is not None else ""]
    out = {
        "goal": goal.name,
        "value": _round(value),
        "reference": _round(reference),
        "ratio": _round(ratio),
        "target": f"{goal.on} " + " and ".join(b for b in bounds if b),
        "met": met,
    }
    if "error" in section:
        out["error"] = section["error"]
    return out


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _round(x: Any) -> Any:
    return round(x, 3) if isinstance(x, float) else x


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in load] if load else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a check that every section runs, not the goals")
    ap.add_argument("--only", nargs="+", choices=[s.name for s in SECTIONS], help="run these sections only")
    ap.add_argument("--out", type=Path, help="also write the report to this file")
    args = ap.parse_args(argv)
    chosen = [s for s in SECTIONS if not args.only or s.name in args.only]
    sections = {s.name: run_section(s, args.quick) for s in chosen}
    report = {
        "machine": machine(),
        "quick": args.quick,
        # at --quick sizes a goal's figure is not the one it names: shown, never judged
        "goals": [judge(g, sections) | ({"met": None} if args.quick else {}) for g in GOALS if g.section in sections],
        "context": [{"figure": name, "value": _round(_dig(sections[sec].get("result"), *path))}
                    for name, sec, path in CONTEXT if sec in sections],
        "sections": sections,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
