"""Issue 6's acceptance criteria on the evaluation corpus's `test` split (real pages of
sites nobody tuned on), plus the seeds' no-junk rule: a regression, or a threshold not yet
reached, fails the suite. Runs the whole evaluation in-process (ours, trafilatura, GNE).
Skipped whole when the real pages (third-party data, tests/third_party.py) are not present:
the criteria are judged on them, and no verdict on a part of them is issue 6's.

A failure prints the criterion's numbers only, never the test pages it failed on: those
are not for reading before the fix they motivate is done (dev failures are listed)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL_DIR = Path(__file__).resolve().parent / "eval"
sys.path.insert(0, str(EVAL_DIR))

from eval_corpus import absent_real_pages, load_corpus, load_labels  # noqa: E402
from eval_scoring import acceptance  # noqa: E402
from run_eval import evaluate, render_mistakes, split_stats  # noqa: E402

from tests import third_party  # noqa: E402

# a skip wins over the strict xfail markers below: a skipped test is never run, so never judged
_ABSENT = absent_real_pages()
pytestmark = pytest.mark.skipif(bool(_ABSENT), reason=third_party.absent(f"{len(_ABSENT)} real pages"))

CRITERIA = [
    "own 文号 exact, no false one",
    "title exact",
    "agency exact",
    "索引号 exact",
    "成文日期 exact",
    "no mojibake page",
    "body F1 above trafilatura and GNE",
    "no junk in the seeds",
]


@pytest.fixture(scope="module")
def evaluation():
    labels = load_labels()
    results = evaluate(load_corpus(labels), labels)
    return results, split_stats(results)


def test_every_page_extracts(evaluation):
    results, _ = evaluation
    crashed = [r.page_id for r in results["ours"] if "error" in r.got]
    assert not crashed


def test_the_criteria_are_the_issues(evaluation):
    _, stats = evaluation
    assert [c.name for c in acceptance(stats)] == CRITERIA


# Criteria issue 6 has not reached yet on the test split (it stays open): strict, so each
# marker must go the day its criterion passes, and a criterion passing now cannot regress.
NOT_YET = {
    "title exact": "22/26 on the test split, needs 92%",
    "agency exact": "fewer than 10 labeled test pages: not measurable yet",
    "索引号 exact": "fewer than 10 labeled test pages: not measurable yet",
    "成文日期 exact": "fewer than 10 labeled test pages: not measurable yet",
}


@pytest.mark.parametrize("criterion", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=f"issue 6 open: {NOT_YET[c]}")) if c in NOT_YET else c
    for c in CRITERIA
])
def test_acceptance(evaluation, criterion):
    results, stats = evaluation
    verdict = {c.name: c for c in acceptance(stats)}[criterion]
    assert verdict.passed, f"{criterion}: {verdict.detail}\n(dev and regression mistakes:)\n{render_mistakes(results)}"


def test_no_false_own_doc_number_on_any_page(evaluation):
    results, _ = evaluation
    false = sum(r.fields.get("doc_number") == "wrong" for r in results["ours"])
    assert false == 0, "pages given a false own 文号"
