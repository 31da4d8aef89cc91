"""Large result sets, built small: with the exact-count limit and the ranking window lowered,
a search estimates its total (and says so), ranks within its first matches in rank order,
and facets are counted over a sample and scaled, on both backends."""
from __future__ import annotations

from datetime import date

import pytest

from crawler.cli import output
from storage.api import Filters, ingest, open_archive, search, search_facets

# Distinct sentences, combined differently per notice, so that no two notices are near-duplicates.
SENTENCES = [
    "各地要健全居家社区机构相协调的养老服务体系，推动医养康养相结合。",
    "到{y}年底，全市护理型床位占比达到百分之{n}，基层医疗卫生机构服务能力明显提升。",
    "鼓励社会力量举办普惠型养老机构，落实用地保障和税费优惠政策。",
    "建立长期护理保险制度，筹资标准为每人每年{n}元，由单位和个人分担。",
    "加强养老护理员职业技能培训，对连续从业满{n}年的护理员给予入职奖励。",
    "推进老年人居家适老化改造，为特困失能老年人提供上门服务。",
    "开展养老院服务质量建设专项行动，消除重大风险隐患。",
    "完善社区日间照料中心和老年食堂布局，发展助餐服务和喘息服务。",
    "统筹医疗卫生与养老服务资源，支持基层医疗卫生机构开展家庭医生签约服务。",
    "各级民政部门要会同财政部门加强彩票公益金使用管理，提高资金使用效益。",
    "推动智慧养老应用，建设养老服务信息平台，实现数据共享和业务协同。",
    "健全养老服务综合监管制度，依法查处欺诈骗保和非法集资行为。",
]
NOTICES = 24
MIDDLE_YEAR = 2012  # half the notices are published before it, half from it on


def _text(i: int) -> str:
    picks = [SENTENCES[(i * k + k) % len(SENTENCES)] for k in (1, 2, 5, 7)]
    return "\n".join(s.format(y=2020 + i, n=30 + i) for s in dict.fromkeys(picks)) + f"\n（第{i}号通知完）"


@pytest.fixture(scope="module")
def many(module_archive_url):
    archive = open_archive(module_archive_url)
    for i in range(NOTICES):
        ingest(archive, _page(i))
    if archive.dialect == "postgresql":
        # The planner's statistics (autovacuum's, in a running archive): PostgreSQL then
        # looks for a common term's first matches in the top stretches of rank order first.
        with archive.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE search_entry")
    yield archive
    archive.dispose()


def _page(i: int):
    from storage_samples import page

    region = "辽宁省沈阳市" if i % 2 else "云南省保山市"
    return page("gov", "gov", f"http://gov.test/{i}.html", _text(i), title=f"关于推进养老服务发展的通知（{i}）",
                doc_number=f"市民发〔{2000 + i}〕{i + 1}号", agency="市民政局", region=region, doc_type="通知",
                topics=["eldercare"], published_date=date(MIDDLE_YEAR - NOTICES // 2 + i, 3, 1))


def test_a_small_result_set_is_counted_exactly(many):
    result = search(many, "养老")
    assert (result.total, result.total_is_estimate) == (NOTICES, False)
    assert result.to_dict()["total_is_estimate"] is False


@pytest.mark.parametrize("filters, expected", [
    ({}, NOTICES),
    ({"since": f"{MIDDLE_YEAR}-01-01"}, NOTICES // 2),
    ({"until": f"{MIDDLE_YEAR - 1}-12-31"}, NOTICES // 2),
    ({"region": "沈阳"}, NOTICES // 2),
])
def test_a_large_result_set_has_its_total_estimated(many, filters, expected):
    # Every notice matches 养老, so matches are as dense below the first ones as among them:
    # the estimate is the true count, if the stretch and the archive are measured alike
    # (within the dates a filter allows).
    parsed = Filters.parse(**filters)
    exact = search(many, "养老", parsed, limit=50)
    assert (exact.total, exact.total_is_estimate) == (expected, False)
    # Only the first three matches are read (the ranking window holds them all).
    estimated = search(many, "养老", parsed, limit=2, exact_limit=3, rank_window=3)
    assert (estimated.total, estimated.total_is_estimate) == (expected, True)
    assert estimated.to_dict()["total_is_estimate"] is True and len(estimated.hits) == 2


def test_an_estimate_never_says_fewer_than_were_found(many):
    # 护理员 is in some notices only: the first few are found in a short stretch, whatever follows
    result = search(many, "护理员", limit=1, exact_limit=2, rank_window=2)
    exact = search(many, "护理员", limit=50)
    assert 2 < exact.total < NOTICES
    assert result.total_is_estimate and result.total >= 3


def test_paging_an_estimated_result_set(many):
    # A page's window is its own end at least: the last pages are ranked among every match.
    pages = {p: search(many, "养老", page=p, limit=5, exact_limit=3, rank_window=3) for p in (1, 2, 5, 6)}
    assert pages[1].total_is_estimate and pages[2].total_is_estimate
    assert all(len(pages[p].hits) == 5 for p in (1, 2))
    assert [h.id for h in pages[5].hits] == [h.id for h in search(many, "养老", limit=50).hits][20:]
    assert pages[6].hits == []  # past the last page: no hits, no error


def test_a_narrow_ranking_window_ranks_only_the_first_matches_in_rank_order(many):
    # The window is the most authoritative, newest matches: here the three newest notices.
    result = search(many, "养老", rank_window=3, exact_limit=3, limit=3)
    newest = sorted(search(many, "养老", sort="date", limit=50).hits, key=lambda h: h.published_date)[-3:]
    assert {h.id for h in result.hits} == {h.id for h in newest}


def test_facets_of_a_large_result_set_are_scaled_from_a_sample(many):
    exact = search_facets(many, "养老")
    assert not exact.estimated and dict(exact["topic"]) == {"eldercare": NOTICES}
    sampled = search_facets(many, "养老", bound=4)
    assert sampled.estimated
    # every notice has the topic: scaled from the sample, its count is the estimated total
    assert dict(sampled["topic"]) == {"eldercare": NOTICES}
    assert set(sampled) == set(exact)
    assert {v for v, _ in sampled["region"]} <= {v for v, _ in exact["region"]}
    browse = search_facets(many, "", Filters.parse(region="沈阳"), bound=4)
    assert browse.estimated and dict(browse["region"]) == {"辽宁省沈阳市": NOTICES // 2}


def test_the_cli_says_about_for_an_estimated_total():
    hit = {"id": 7, "title": "通知", "published_date": "2024-01-02"}
    estimated = {"total": 48000, "total_is_estimate": True, "hits": [hit], "page": 1, "limit": 20, "pages": 2400}
    assert output.search_text(estimated).splitlines()[0] == \
        "about 48,000 notices match, showing 1-1 (page 1 of about 2,400)"
    exact = dict(estimated, total=1, total_is_estimate=False, pages=1)
    assert output.search_text(exact).splitlines()[0] == "1 notice matches, showing 1-1 (page 1 of 1)"


def test_a_phrase_sorted_by_date_counts_only_true_matches(many):
    # 特困失能 is a phrase (its bigrams checked for adjacency, not only presence), in some notices
    by_date = search(many, "特困失能", sort="date", limit=50)
    ranked = search(many, "特困失能", limit=50)
    assert 0 < by_date.total == ranked.total == len(ranked.hits) < NOTICES
    assert not by_date.total_is_estimate
    assert [h.published_date for h in by_date.hits] == sorted((h.published_date for h in ranked.hits), reverse=True)


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_phrase_is_checked_for_adjacency_not_only_presence(many, sort):
    # Notices have both words (PostgreSQL's candidates), none has 服务 right before 养老.
    assert search(many, "服务 养老", sort=sort, limit=50).total > 0
    result = search(many, '"服务 养老"', sort=sort, limit=50)
    assert (result.total, result.hits, result.total_is_estimate) == (0, [], False)
