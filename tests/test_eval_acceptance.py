"""The extraction meets the issue's acceptance criteria on the evaluation corpus: a
regression in 文号, titles, body text or boilerplate fails the suite (runs the whole
evaluation in-process, a few seconds)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL_DIR = Path(__file__).resolve().parent / "eval"
sys.path.insert(0, str(EVAL_DIR))

from eval_corpus import load_corpus, load_labels  # noqa: E402
from eval_scoring import acceptance  # noqa: E402
from run_eval import evaluate, group_stats, render_mistakes  # noqa: E402


@pytest.fixture(scope="module")
def evaluation():
    labels = load_labels()
    results = evaluate(load_corpus(labels), labels)
    return results, group_stats(results)


def test_every_page_extracts(evaluation):
    results, _ = evaluation
    crashed = [r.page_id for r in results["ours"] if "error" in r.got]
    assert not crashed


@pytest.mark.parametrize(
    "criterion",
    ["own 文号 exact", "title exact", "body F1 above bare", "boilerplate below bare", "no junk in the seeds"],
)
def test_acceptance(evaluation, criterion):
    results, stats = evaluation
    verdict = {c.name: c for c in acceptance(stats)}[criterion]
    assert verdict.passed, f"{verdict.detail}\n{render_mistakes(results)}"


def test_no_false_own_doc_number_on_any_page(evaluation):
    results, _ = evaluation
    false = {r.page_id: r.got.get("doc_number") for r in results["ours"] if r.fields.get("doc_number") == "wrong"}
    assert not false
