"""Each rule of the vocabulary is written once (crawler/vocab): the layers share the very
pattern objects, and no copy of the 文号 bracket set, normalize_doc_number or a failure
kind grows back elsewhere in the sources."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import crawler.extract.boilerplate as boilerplate
import crawler.extract.docnumber as extract_docnumber
import crawler.extract.listing as listing
import spiders.pages as pages
import storage.search_query as search_query
from crawler.vocab import docnumber as vocab
from crawler.vocab import failures
from crawler.vocab import listing as vocab_listing

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for top in ("crawler", "spiders", "storage") for p in (ROOT / top).rglob("*.py"))
GRAMMAR = ROOT / "crawler" / "vocab" / "docnumber.py"
FAILURES = ROOT / "crawler" / "vocab" / "failures.py"


def test_search_and_extraction_use_the_same_pattern_objects():
    assert search_query.TAILS is vocab.TAILS
    assert vocab.TAILS == (vocab.BRACKET_TAIL, vocab.ORDER_TAIL, vocab.NOTICE_TAIL)
    assert extract_docnumber.BRACKET_TAIL is search_query.TAILS[0]
    assert extract_docnumber.ORDER_TAIL is search_query.TAILS[1]
    assert extract_docnumber.NOTICE_TAIL is search_query.TAILS[2]
    assert boilerplate.BRACKET_TAIL is vocab.BRACKET_TAIL
    assert search_query.normalize_doc_number is extract_docnumber.normalize_doc_number is vocab.normalize_doc_number
    assert listing.TRS_PAGER is pages.TRS_PAGER is vocab_listing.TRS_PAGER


def test_the_vocabulary_imports_only_the_standard_library():
    code = (
        "import sys, crawler.vocab.docnumber, crawler.vocab.status, crawler.vocab.listing, "
        "crawler.vocab.failures, crawler.vocab.sources\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('crawler', 'spiders', 'storage', 'scrapy', 'sqlalchemy', 'lxml') and not m.startswith('crawler.vocab') "
        "and m != 'crawler')\n"
        "assert not bad, bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# --- scans of the sources: a copy added back anywhere fails these -------------------------

_OPENERS = set(vocab.OPEN_BRACKETS)
_SQUARE = set("[［【")


def bracket_sets(text: str) -> list[str]:
    """Runs of two or more 文号 openers holding 〔 and a square one: a bracket set written
    out (a character class or the string a class is built from)."""
    found = []
    for run in re.findall(r"(?:\\*[" + re.escape("".join(_OPENERS)) + r"]){2,}", text):
        chars = set(run.replace("\\", ""))
        if "〔" in chars and chars & _SQUARE:
            found.append(run)
    return found


def test_bracket_set_scan_sees_the_forms_a_copy_takes():
    assert bracket_sets(r'_OPEN = re.compile(r"[〔\[［【(（﹝〖]\s*(19|20)\d{2}")')
    assert bracket_sets('_OPEN = "〔\\\\[［【(（﹝〖{｛"')
    assert bracket_sets('x = r"[【〔]"')
    # what is not a set: a 文号 in prose, brackets stripped from a label, a year's pair
    assert not bracket_sets("沈政发〔2015〕31号 (〔〕, [], （）…)")
    assert not bracket_sets('_BRACKETS = "【】[]〔〕"')


def test_the_bracket_set_is_written_once():
    offenders = [f"{p.relative_to(ROOT)}: {run}" for p in SOURCES if p != GRAMMAR
                 for run in bracket_sets(p.read_text("utf-8"))]
    assert not offenders, offenders
    assert bracket_sets(GRAMMAR.read_text("utf-8"))  # the one home does hold it


def definitions(name: str) -> list[str]:
    return [f"{p.relative_to(ROOT)}:{node.lineno}" for p in SOURCES
            for node in ast.walk(ast.parse(p.read_text("utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name]


def test_normalize_doc_number_is_defined_once():
    assert definitions("normalize_doc_number") == ["crawler/vocab/docnumber.py:" + str(
        vocab.normalize_doc_number.__code__.co_firstlineno)]
    grep = subprocess.run(
        "grep -rn 'normalize_doc_number\\s*(' --include=*.py crawler spiders storage | grep -c 'def '",
        shell=True, cwd=ROOT, capture_output=True, text=True,
    )
    assert grep.stdout.strip() == "1"


def failure_kind_definitions(path: Path) -> list[str]:
    """Constants bound to a failure kind, and collections of two or more kinds and nothing
    else (a list that merely shares a word, like the sample server's fault names, is not one)."""
    kinds = set(failures.FAILURE_KINDS)
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) \
                and node.value.value in kinds:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} = {node.value.value!r}")
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            listed = [w for w in words if w in kinds]
            if len(listed) >= 2 and len(listed) == len(words):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} lists {listed}")
    return found


def test_failure_kind_scan_sees_a_copy():
    probe = ROOT / "crawler" / "vocab" / "_probe_copy.py"
    probe.write_text('NEEDS_BROWSER = "needs_browser"\nKINDS = ("dns", "timeout")\n', "utf-8")
    try:
        assert len(failure_kind_definitions(probe)) == 2
    finally:
        probe.unlink()


def test_failure_kinds_are_defined_only_in_failures():
    offenders = [hit for p in SOURCES if p != FAILURES for hit in failure_kind_definitions(p)]
    assert not offenders, offenders
    assert "needs_browser" in failures.FAILURE_KINDS


@pytest.mark.parametrize("query, number", [
    ("国办发｛2019｝5号", "国办发〔2019〕5号"),
    ("国家医保局通告2021年第2号", "国家医保局通告2021年第2号"),  # the old search pattern knew 公告 only
])
def test_search_knows_every_form_extraction_knows(query, number):
    assert search_query.parse(query).groups[0][0].doc_number == number
    assert [n.normalized for n in extract_docnumber.find_doc_numbers(query)] == [number]


def test_an_attachments_state_reads_back_the_error_line_it_was_written_as():
    from crawler.vocab.failures import (NO_TEXT, NO_TEXT_NOTE, OK, PARSE, TIMEOUT, TOO_LARGE, attachment_state,
                                        failure_note)

    assert attachment_state("正文", None) == OK
    assert attachment_state(None, None) == NO_TEXT
    assert attachment_state("", f"{NO_TEXT_NOTE} zip file") == NO_TEXT
    for kind in (TOO_LARGE, TIMEOUT):
        assert attachment_state(None, failure_note(kind, "DOCX unpacks to 190 MiB: past the cap")) == kind
    assert attachment_state(None, failure_note(PARSE, "PDFSyntaxError: No /Root object")) == PARSE
    assert attachment_state(None, "ValueError: bad: thing") == PARSE  # a reader's own message, not a kind
