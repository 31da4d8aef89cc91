"""The bench report's judging: a goal is met, missed or unknown from the numbers a
section printed (the figures themselves are `make bench`'s, never asserted here)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_report", Path(__file__).parent / "bench" / "report.py")
report = importlib.util.module_from_spec(_spec)
sys.modules["bench_report"] = report  # dataclasses look their module up
_spec.loader.exec_module(report)

GOALS = {g.name: g for g in report.GOALS}


def _goal(prefix: str):
    return next(g for name, g in GOALS.items() if name.startswith(prefix))


def test_a_ratio_goal_is_judged_on_the_ratio_it_computes_when_none_is_printed():
    goal = _goal("extraction")
    sections = {"extract": {"result": {"extract_page_pages_per_s": 90.0, "bare_trafilatura_pages_per_s": 100.0}}}
    verdict = report.judge(goal, sections)
    assert verdict["ratio"] == 0.9 and verdict["met"] is True
    sections["extract"]["result"]["extract_page_pages_per_s"] = 89.0
    assert report.judge(goal, sections)["met"] is False


def test_an_upper_bound_on_a_value():
    goal = _goal("peak RSS of the process tree at 10k")
    assert report.judge(goal, {"crawl_10k": {"result": {"crawl": {"peak_rss_tree_mib": 301}}}})["met"] is False
    assert report.judge(goal, {"crawl_10k": {"result": {"crawl": {"peak_rss_tree_mib": 280}}}})["met"] is True


def test_start_up_is_judged_in_seconds_with_bare_python_beside_it():
    goal = _goal("policy-archive --help")
    result = {"startup": {"help_seconds": 0.12, "python_pass_seconds": 0.02, "help_over_pass": 6.0}}
    verdict = report.judge(goal, {"startup": {"result": result}})
    assert verdict["met"] is True and verdict["reference"] == 0.02 and verdict["ratio"] == 6.0


def test_a_failed_section_leaves_its_goals_unknown_with_the_reason():
    verdict = report.judge(_goal("ingest"), {"ingest": {"error": "exit 1: boom"}})
    assert verdict["met"] is None and verdict["error"] == "exit 1: boom"


def test_json_is_read_from_the_whole_output_or_its_last_json_line():
    assert report.parse_json_output('{"a": 1}') == {"a": 1}
    assert report.parse_json_output('building…\n{"a": 2}\n') == {"a": 2}
    assert report.parse_json_output("no numbers") is None
