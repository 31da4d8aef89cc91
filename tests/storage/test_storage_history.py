"""history, diff and the URLs of `show`: versions in order, where each was seen, the changed sentence."""
from __future__ import annotations

import json

import pytest

from crawler.cli import main
from storage.api import get_document, ingest
from storage.history import document_diff, document_history
from storage.textdiff import diff_texts, sentences
from storage_samples import NOTICE_A, NOTICE_A_REVISED, later, page

NUM = "市政办发〔2016〕12号"


@pytest.mark.parametrize("paragraph, expected", [
    ("一句。两句；三句！四句？", ["一句。", "两句；", "三句！", "四句？"]),
    ("没有句号的一段", ["没有句号的一段"]),
    ("到2020年，完成目标。请遵照执行", ["到2020年，完成目标。", "请遵照执行"]),
])
def test_sentences_split_after_chinese_sentence_ends(paragraph, expected):
    assert sentences(paragraph) == expected


@pytest.mark.parametrize("old, new, ops", [
    ("甲。\n乙。", "甲。\n乙。", ["equal", "equal"]),
    ("甲段。\n一句。改前的句子。三句。", "甲段。\n一句。改后的句子。三句。", ["equal", "changed"]),
    ("甲段。", "甲段。\n新的一段。", ["equal", "added"]),
    ("甲段。\n删掉的一段。", "甲段。", ["equal", "removed"]),
    ("完全不同的第一段内容。", "另起炉灶写的新文字！", ["removed", "added"]),
])
def test_paragraph_operations(old, new, ops):
    assert [e["op"] for e in diff_texts(old, new)] == ops


def test_a_changed_paragraph_marks_only_its_changed_sentence():
    old = "为推进工作，现通知如下。到2020年，完成目标。请遵照执行。"
    new = "为推进工作，现通知如下。到2022年，完成全部目标。请遵照执行。"
    (entry,) = diff_texts(old, new)
    assert entry["op"] == "changed"
    assert entry["sentences"] == [
        {"op": "equal", "text": "为推进工作，现通知如下。"},
        {"op": "removed", "text": "到2020年，完成目标。"},
        {"op": "added", "text": "到2022年，完成全部目标。"},
        {"op": "equal", "text": "请遵照执行。"},
    ]


@pytest.fixture
def revised(archive):
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM, at=later(0)))
    ingest(archive, page("agg", "aggregator", "http://agg.test/9.html", NOTICE_A, doc_number=NUM, at=later(1)))
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A_REVISED, doc_number=NUM, at=later(48)))
    return archive


def test_history_lists_versions_with_their_sources_and_urls(revised):
    h = document_history(revised, "市政办发[2016]12号")  # another bracket form
    assert [v["seq"] for v in h["versions"]] == [1, 2]
    first, second = h["versions"]
    assert first["sources"] == ["agg", "gov"] and second["sources"] == ["gov"]
    assert {c["url"] for c in first["carried_by"]} == {"http://gov.test/a.html", "http://agg.test/9.html"}
    assert second["is_current"] and not first["is_current"]
    assert (first["characters"], second["characters"]) == (len(NOTICE_A), len(NOTICE_A_REVISED))


def test_diff_shows_the_changed_sentence(revised):
    d = document_diff(revised, NUM)
    assert (d["from"]["seq"], d["to"]["seq"]) == (1, 2)
    assert d["summary"]["changed"] == 1 and d["summary"]["added"] == d["summary"]["removed"] == 0
    (changed,) = [e for e in d["paragraphs"] if e["op"] == "changed"]
    removed = [s["text"] for s in changed["sentences"] if s["op"] == "removed"]
    added = [s["text"] for s in changed["sentences"] if s["op"] == "added"]
    assert len(removed) == len(added) == 1
    assert "到2020年" in removed[0] and "到2022年" in added[0]
    assert any(s["op"] == "equal" for s in changed["sentences"])  # not the whole paragraph replaced


def test_show_lists_every_url_and_the_government_one_first(revised):
    doc = get_document(revised, NUM).to_dict()
    assert [u["url"] for u in doc["urls"]] == ["http://gov.test/a.html", "http://agg.test/9.html"]
    assert doc["urls"][0]["authoritative"] and not doc["urls"][1]["authoritative"]
    assert [v["seq"] for v in doc["versions"]] == [1, 2]


def test_cli_history_and_diff(revised, capsys):
    url = revised.url
    assert main(["history", NUM, "--db", url, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["versions"]) == 2
    assert main(["diff", NUM, "1", "2", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "- 到2020年" in out and "+ 到2022年" in out
    assert main(["diff", NUM, "1", "7", "--db", url]) == 2
    assert "versions 1..2" in capsys.readouterr().err
    assert main(["history", "999", "--db", url]) == 2
