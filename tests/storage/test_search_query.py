"""The query language and the tokenizer, as pure functions: bigrams, terms, FTS5 and tsquery."""
from __future__ import annotations

import pytest

from storage.search_query import QueryError, parse, to_fts5, to_gin_tsquery, to_tsquery
from storage.search_tokens import distinct_chars, tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        ("养老", ["养老"]),
        ("医养结合", ["医养", "养结", "结合"]),
        ("养", ["养"]),
        ("国办发〔2019〕5号", ["国办", "办发", "2019", "5", "号"]),
        ("国办发[2019]5号", ["国办", "办发", "2019", "5", "号"]),  # brackets are separators
        ("ＣＯＶＩＤ－１９疫情", ["covid", "19", "疫情"]),  # NFKC, case-folded
        ("推广中医保健知识", ["推广", "广中", "中医", "保健", "健知", "知识"]),  # no 医保 across 中医|保健
        ("保护理念与护理服务", ["保护", "理念", "念与", "与护", "护理", "理服", "服务"]),
        ("a" * 65 + " ok", ["ok"]),  # no word that long
        ("，。！", []),
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_distinct_chars_are_the_one_character_index():
    assert distinct_chars("养老养老", None, "老人") == "养 老 人"


@pytest.mark.parametrize(
    "query, fts",
    [
        ("养老", '"养老"'),
        ("养老 医保", '"养老" AND "医保"'),
        ("医养结合", '"医养" + "养结" + "结合"'),
        ('"长期护理" OR 失能', '("长期" + "期护" + "护理" OR "失能")'),
        ("养老 -征求意见稿", '("养老") NOT "征求" + "求意" + "意见" + "见稿"'),
        ("养", 'chars : "养"'),
        ("5号", '"5" + "号" *'),
        ("養老", '("養老" OR "养老")'),
        ("国办发[2019]5号", '"国办" + "办发" + "2019" + "5" + "号" *'),
        ('" OR 1=1 --', '"or" + "1" + "1"'),  # an unclosed quote is a phrase to the end
        ("养老 养老 ab ab", '"养老" AND "ab"'),  # repeated words count once
    ],
)
def test_fts5(query, fts):
    assert to_fts5(parse(query)) == fts
    assert to_fts5(parse(query), ['"x"']) == f'({fts}) AND "x"'


@pytest.mark.parametrize(
    "query, tsq",
    [
        ("养老 医保", "'养老' & '医保'"),
        ("医养结合", "('医养' <-> '养结' <-> '结合')"),
        ('"长期护理" OR 失能', "(('长期' <-> '期护' <-> '护理') | '失能')"),
        ("养老 -医保", "('养老') & !'医保'"),
        ("养", "'养':C"),
    ],
)
def test_tsquery(query, tsq):
    assert to_tsquery(parse(query)) == tsq


@pytest.mark.parametrize(
    "query, message",
    [
        ("*", "nothing to search for"),
        ('"" () -- OR', "nothing to search for"),
        ("-养老", "at least one word that is not excluded"),
        ("x" * 10_001, "query too long"),
        (" ".join(f"词{i}" for i in range(40)), "query too long"),
    ],
)
def test_queries_that_cannot_be_searched(query, message):
    with pytest.raises(QueryError, match=message) as info:
        parse(query)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_needles_are_what_snippets_mark():
    assert parse("\"長期護理\" OR 失能 -征求意见稿").needles == ["長期護理", "长期护理", "失能"]


@pytest.mark.parametrize("query, gin, exact", [
    ("养", "'养'", True),  # every character is among a document's distinct characters: no weight needed
    ("养老", "'养老'", True),
    ("养老 OR 医保", "('养老' | '医保')", True),
    ("医养结合", "('医养' & '养结' & '结合')", False),  # a phrase: all its tokens, adjacency checked later
    ("养老 -征求意见稿", "'养老'", False),  # the exclusion too is checked later
])
def test_the_gin_form_of_a_query_is_the_query_or_a_superset_of_it(query, gin, exact):
    assert to_gin_tsquery(parse(query)) == (gin, exact)
