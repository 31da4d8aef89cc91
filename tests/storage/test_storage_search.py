"""Ranked full-text search on both backends: matching, ranking, snippets, filters, paging,
hostile input, and an index that ingest keeps in step (and reindex rebuilds)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from storage.api import Filters, ingest, open_archive, search
from storage.models import SearchEntry, SearchGhost
from storage.search_index import reindex
from storage.search_query import QueryError
from storage_samples import DRAFT_C, FINAL_C, NOTICE_A, NOTICE_B, later, page, site_copy

NUM_A = "市政办发〔2016〕12号"
NUM_B = "市民发〔2019〕21号"
NUM_C = "市医保发〔2020〕7号"
TITLE_A = "关于推进医养结合发展的通知"
TITLE_B = "关于推进养老服务发展的实施意见"
TITLE_C = "长期护理保险制度试点实施方案"
TITLE_D = "关于加强中医药健康管理的通知"
TITLE_SPAM = "加盟费多少钱？加盟条件"
# A notice that names 中医保健 (中医|保健) but never 医保, and 醫療 in traditional script nowhere.
NOTICE_D = (
    "各区县卫生健康局，市直各医疗卫生单位：为推广中医保健知识，提高群众健康素养，现就加强中医药健康管理有关事项通知如下。"
    "一、各社区卫生服务中心要开展中医体质辨识，为辖区居民提供中医保健指导。"
    "二、鼓励家庭医生团队将中医药服务纳入签约服务内容。"
)
# A spam page: an advertisement stuffed with policy words, with no agency, region or 文号.
SPAM = "加盟热线：400-000-0000。本市养老服务加盟，养老机构加盟费多少钱，加盟条件有哪些？" * 3


def _titles(result) -> list[str]:
    return [h.title for h in result]


@pytest.fixture(scope="module")
def filled(module_archive_url):
    archive = open_archive(module_archive_url)
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, doc_number=NUM_A, title=TITLE_A,
                         agency="市人民政府办公室", region="辽宁省甲市", doc_type="通知", topics=["eldercare", "health"],
                         published_date=date(2016, 3, 10), signed_date=date(2016, 3, 8)))
    ingest(archive, page("gov2", "gov", "http://gov2.test/b.html", NOTICE_B, doc_number=NUM_B, title=TITLE_B,
                         agency="市民政局", region="云南省乙市", doc_type="意见", topics=["eldercare"],
                         published_date=date(2019, 6, 20), signed_date=date(2019, 6, 18)))
    ingest(archive, page("agg", "aggregator", "http://agg.test/b", site_copy(NOTICE_B), at=later(1)))
    ingest(archive, page("gov2", "gov", "http://gov2.test/c.html", DRAFT_C, status="draft",
                         title=TITLE_C + "（征求意见稿）", agency="市医疗保障局", region="云南省乙市",
                         topics=["eldercare", "health"], published_date=date(2020, 1, 5)))
    ingest(archive, page("gov2", "gov", "http://gov2.test/d.html", FINAL_C, title=TITLE_C, doc_number=NUM_C,
                         agency="市医疗保障局", region="云南省乙市", doc_type="方案", topics=["eldercare", "health"],
                         published_date=date(2020, 9, 1)))
    ingest(archive, page("gov", "gov", "http://gov.test/e.html", NOTICE_D, title=TITLE_D, agency="市卫生健康委员会",
                         region="辽宁省甲市", doc_type="通知", topics=["health"], published_date=date(2021, 4, 2)))
    ingest(archive, page("spam", "aggregator", "http://spam.test/1", SPAM, title=TITLE_SPAM, topics=["eldercare"],
                         published_date=date(2023, 11, 5)))
    yield archive
    archive.dispose()


@pytest.mark.parametrize(
    "query, titles",
    [
        ("医养结合", [TITLE_A]),
        ("护理员", [TITLE_B]),  # body only (the aggregator's copy is the same document)
        ("养老 彩票公益金", [TITLE_B]),  # AND
        ("彩票公益金 护理型床位", []),
        ('"长期护理保险"', [TITLE_C, TITLE_C + "（征求意见稿）", TITLE_B]),  # NOTICE_B names it too
        ('"长期护理保险" OR 彩票公益金', [TITLE_C, TITLE_C + "（征求意见稿）", TITLE_B]),
        ("长期护理保险 -征求意见稿", [TITLE_C, TITLE_B]),  # exclusion
        ("医保", [TITLE_C, TITLE_C + "（征求意见稿）"]),  # 中医保健 is not 医保
        ("中医保健", [TITLE_D]),
        ("長期護理保險 -徵求意見稿", [TITLE_C, TITLE_B]),  # traditional characters find simplified text
        ("市政办发[2016]12号", [TITLE_A]),  # 文号 in any bracket form
        ("市政办发（2016）012号", [TITLE_A]),
        ("市医保发〔2020〕7号", [TITLE_C]),
        ("国办发〔2015〕84号", [TITLE_A]),  # cited in the text
        ("喘", []),  # one character, nowhere
        ("缴", [TITLE_C, TITLE_C + "（征求意见稿）"]),  # one character: 缴费 in both
        ("2022年", [TITLE_B]),  # digits with a character
        ("COVID", []),
    ],
)
def test_matching(filled, query, titles):
    assert sorted(_titles(search(filled, query, limit=50))) == sorted(titles)


def test_title_matches_rank_above_body_matches(filled):
    # 养老 is in NOTICE_A's text many times, but in TITLE_B's title.
    result = search(filled, "养老服务")
    assert _titles(result)[0] == TITLE_B


def test_a_copy_without_metadata_ranks_below_every_document_with_some(filled):
    titles = _titles(search(filled, "养老"))
    assert TITLE_SPAM in titles and titles[-1] == TITLE_SPAM
    titles = _titles(search(filled, "加盟条件 OR 养老"))
    assert titles[-1] == TITLE_SPAM  # even where only it matches the second word


def test_hits_carry_snippets_with_the_terms_marked(filled):
    hit = search(filled, "彩票公益金").hits[0]
    assert "<mark>彩票公益金</mark>" in hit.snippet
    (start, end), = hit.marks
    assert hit.snippet_text[start:end] == "彩票公益金"
    assert len(hit.snippet_text) <= 125
    hit = search(filled, "護理員").hits[0]  # the simplified form is what the text has
    assert any(hit.snippet_text[s:e] == "护理员" for s, e in hit.marks)


def test_total_pages_and_sort(filled):
    everything = search(filled, "市", limit=50)
    assert everything.total == len(everything.hits) == 6
    first, second = search(filled, "市", limit=2, page=1), search(filled, "市", limit=2, page=2)
    assert (first.total, first.pages, len(first.hits)) == (everything.total, -(-everything.total // 2), 2)
    assert [h.id for h in first.hits + second.hits] == [h.id for h in everything.hits[:4]]
    by_date = search(filled, "市", sort="date", limit=50)
    dates = [h.published_date for h in by_date]
    assert dates == sorted(dates, reverse=True)
    assert search(filled, "市", page=99).hits == []
    data = first.to_dict()
    assert {"total", "page", "pages", "limit", "hits"} <= set(data) and data["hits"][0]["snippet"] is not None


@pytest.mark.parametrize(
    "filters, titles",
    [
        ({"region": "乙市"}, [TITLE_B, TITLE_C, TITLE_C + "（征求意见稿）"]),
        ({"region": "辽宁"}, [TITLE_A, TITLE_D]),
        ({"agency": "民政局"}, [TITLE_B]),
        ({"topic": "health"}, [TITLE_A, TITLE_C, TITLE_C + "（征求意见稿）", TITLE_D]),
        ({"doc_type": "意见"}, [TITLE_B]),
        ({"status": "draft"}, [TITLE_C + "（征求意见稿）"]),
        ({"since": "2020-01-01", "until": "2021-12-31"}, [TITLE_C, TITLE_C + "（征求意见稿）", TITLE_D]),
        ({"signed_since": "2019-01-01"}, [TITLE_B]),
        ({"signed_until": "2016-12-31"}, [TITLE_A]),
        ({"source": "agg"}, [TITLE_B]),  # any source that carried the document
        ({"doc_number": "市政办发(2016)12号"}, [TITLE_A]),
        ({"region": "乙市", "topic": "health", "since": "2020-06-01"}, [TITLE_C]),
    ],
)
def test_filters(filled, filters, titles):
    parsed = Filters.parse(**filters)
    assert sorted(_titles(search(filled, "市", parsed, limit=50))) == sorted(titles)
    assert sorted(_titles(search(filled, "", parsed, limit=50))) == sorted(titles)  # browsing


@pytest.mark.parametrize(
    "values, message",
    [
        ({"topic": "养"}, "unknown topic"),
        ({"since": "notadate"}, "--since: not a date"),
        ({"signed_until": "2020-13-01"}, "--signed-until: not a date"),
    ],
)
def test_bad_filters_are_one_line_errors(values, message):
    with pytest.raises(QueryError, match=message) as info:
        Filters.parse(**values)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("kwargs", [{"limit": -1}, {"limit": 0}, {"limit": 10**6}, {"page": 0}, {"sort": "x"}])
def test_bad_paging_is_an_error(filled, kwargs):
    with pytest.raises(QueryError):
        search(filled, "养老", **kwargs)


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --', "'; DROP TABLE document; --", "养老 NEAR(医保)", "title:养老", "{chars}: 养",
        '"unclosed 养老', "养老*", "^养老", "(养老", "养老 AND OR NOT", "-", "--", "OR", "''", "\\",
        "a" * 5000, "ab " * 3300, " ".join(f"词{i}" for i in range(30)), "\x00养老", "😀养老",
    ],
)
def test_any_string_gives_results_or_one_query_error(filled, query):
    try:
        result = search(filled, query)
    except QueryError as exc:
        assert "\n" not in str(exc) and "SELECT" not in str(exc)
    else:
        assert result.total >= len(result.hits)


def test_index_follows_ingest_and_reindex_rebuilds_it(archive):
    ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B, title=TITLE_B, region="乙市"))
    assert _titles(search(archive, "护理员")) == [TITLE_B]
    revised = NOTICE_B.replace("护理员", "照护员")
    ingest(archive, page("gov", "gov", "http://gov.test/b.html", revised, at=later(5), title=TITLE_B, region="乙市"))
    assert _titles(search(archive, "照护员")) == [TITLE_B]
    assert _titles(search(archive, "护理员")) == []  # only the current text is searched
    # Seeing the same page again changes nothing in the index.
    with archive.session() as s:
        before = s.scalar(select(SearchEntry.rank_key))
    ingest(archive, page("gov", "gov", "http://gov.test/b.html", revised, at=later(6), title=TITLE_B, region="乙市"))
    with archive.session() as s:
        assert s.scalar(select(SearchEntry.rank_key)) == before
    assert reindex(archive) == 1
    assert _titles(search(archive, "照护员")) == [TITLE_B] and search(archive, "护理员").total == 0


def test_a_text_replaced_in_place_leaves_no_trace_in_results(archive):
    """An aggregator's copy archived first, then the government page: the version adopts
    the better text in place. The old index row cannot be deleted exactly; it must not match."""
    noisy = site_copy(NOTICE_A).replace("医养结合", "医养结合（独家）", 1) + "\n本站独家广告语"
    ingest(archive, page("agg", "aggregator", "http://agg.test/a", noisy))
    assert search(archive, "本站独家广告语").total == 1
    ingest(archive, page("gov", "gov", "http://gov.test/a.html", NOTICE_A, at=later(1), title=TITLE_A, doc_number=NUM_A))
    result = search(archive, "本站独家广告语")
    assert (result.total, result.hits) == (0, [])
    assert _titles(search(archive, "医养结合")) == [TITLE_A]
    reindex(archive)
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(SearchGhost)) == 0
    assert search(archive, "本站独家广告语").total == 0 and search(archive, "医养结合").total == 1


def test_an_archive_without_its_index_says_to_reindex(archive):
    from storage.search_index import clear

    ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B, title=TITLE_B))
    with archive.transaction() as session:
        clear(session)
    with pytest.raises(QueryError, match="reindex"):
        search(archive, "养老")
    reindex(archive)
    assert _titles(search(archive, "养老")) == [TITLE_B]


def test_the_search_migration_goes_down_and_up_over_an_archive_with_documents(archive):
    from alembic import command

    import storage.db as db

    ingest(archive, page("gov", "gov", "http://gov.test/b.html", NOTICE_B, title=TITLE_B))
    with archive.engine.execution_options(archive_write=True).begin() as conn:
        command.downgrade(db._alembic_config(conn), "-1")  # from the previous revision …
    assert not db.schema_is_current(archive.engine)
    db.upgrade_schema(archive.engine)  # … up again: the documents stay, the index is rebuilt
    assert reindex(archive) == 1 and _titles(search(archive, "护理员")) == [TITLE_B]


# --- body tokens made ahead (in the crawl's worker processes) --------------------------

def test_an_index_row_from_tokens_made_ahead_is_the_row_made_here():
    from storage import search_tokens as st
    from storage.search_index import IndexRow

    body = "关于推进医养结合发展的指导意见\n各省、自治区卫生健康委：养老服务 2019 COVID 養老"
    fields = dict(title="推进医养结合的意见", doc_number="国卫老龄发〔2019〕60号", region="北京", agency="国家卫生健康委",
                  tier=1, published=None, version_id=3, tags="")
    here = IndexRow.build(7, body=body, **fields)
    assert IndexRow.build(7, body=body, ahead=st.body_tokens(body), **fields) == here
    # tokens of another text are never used for this one
    other = st.body_tokens(body + "补充")
    assert IndexRow.build(7, body=body, ahead=other, **fields) == here
