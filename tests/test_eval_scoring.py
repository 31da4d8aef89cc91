"""The scorer of `make eval` scores right, and the baselines are what they claim: bare
trafilatura and GNE, the mojibake detector, body and field scores, the aggregate and the
acceptance criteria. (tests/test_eval_corpus.py checks the corpus itself.)"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

EVAL_DIR = Path(__file__).resolve().parent / "eval"
sys.path.insert(0, str(EVAL_DIR))

from baselines import trafilatura_text  # noqa: E402
from eval_scoring import (  # noqa: E402
    BodyScore,
    GroupStats,
    PageResult,
    acceptance,
    aggregate,
    body_score,
    field_verdict,
    is_mojibake,
    junk_survivors,
    page_markers,
    score_fields,
)

# ------------------------------------------------------------------ the baselines

FIXTURES = Path(__file__).resolve().parent / "extract" / "fixtures"


def test_bare_trafilatura_is_plain_trafilatura():
    bare = trafilatura_text(FIXTURES.joinpath("gov_baoshan_gbk.html").read_bytes())
    assert "19.市场退出机制" in bare
    assert "索 引 号" in bare  # defaults keep the metadata table as pipe rows


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><body></body></html>"])
def test_bare_trafilatura_on_empty_pages(html):
    assert trafilatura_text(html) == ""


# ------------------------------------------------------------------ the scorer

_GOLD_CN = "各区人民政府：现将《养老服务实施方案》印发给你们，请认真贯彻执行。沈阳市人民政府二〇一九年三月十一日"


@pytest.mark.parametrize(
    "output, garbled",
    [
        (_GOLD_CN, False),
        (_GOLD_CN.replace("养老", "\ufffd\ufffd"), True),  # replacement characters
        (_GOLD_CN.encode("utf-8").decode("latin-1"), True),  # UTF-8 read as latin-1
        (_GOLD_CN.encode("utf-8").decode("gb18030", "replace"), True),  # UTF-8 read as GBK
        (_GOLD_CN.encode("gb18030").decode("utf-8", "replace"), True),  # GBK read as UTF-8
        (_GOLD_CN + "\u00a0\u00a0\u3000", False),  # spacing is not mojibake
        ("Café " + _GOLD_CN, False),  # one accented letter is no garbled page
    ],
)
def test_mojibake_detector(output, garbled):
    assert is_mojibake(output, _GOLD_CN) is garbled


def test_mojibake_detector_knows_the_page():
    # chrome the gold leaves out is no mojibake when the page, read right, shows it
    page = "首页 > 政策文件 扫一扫在手机打开当前页 打印本页 关闭窗口 " * 3 + _GOLD_CN
    chrome = "首页 > 政策文件 扫一扫在手机打开当前页 打印本页 关闭窗口 " * 3
    assert is_mojibake(chrome + _GOLD_CN, _GOLD_CN) is True  # judged on the gold alone
    assert is_mojibake(chrome + _GOLD_CN, _GOLD_CN, page_text=page) is False
    garbled = page.encode("utf-8").decode("gb18030", "replace")
    assert is_mojibake(garbled, _GOLD_CN, page_text=page) is True


def test_mojibake_detector_reads_the_title_too():
    assert is_mojibake(_GOLD_CN, _GOLD_CN, title="å\x85³äº\x8eå\x8d°å\x8f\x91", gold_title="关于印发")

GOLD = "各区人民政府：\n现将《养老服务实施方案》印发给你们，请认真贯彻执行。\n沈阳市人民政府\n2019年3月11日"


@pytest.mark.parametrize(
    "output, optional, precision, recall",
    [
        (GOLD, (), 1.0, 1.0),  # perfect
        (GOLD.replace("\n", "  "), (), 1.0, 1.0),  # line breaks and spaces do not count
        (GOLD.replace("，", ",").replace("：", ":"), (), 1.0, 1.0),  # nor full/half width (NFKC)
        ("关于印发养老服务实施方案的通知\n" + GOLD, ("关于印发养老服务实施方案的通知",), 1.0, 1.0),  # optional title
        ("", (), 0.0, 0.0),
    ],
)
def test_body_score_exact_cases(output, optional, precision, recall):
    score = body_score(output, GOLD, optional)
    assert (score.precision, score.recall) == pytest.approx((precision, recall))


@pytest.mark.parametrize(
    "output, worse",
    [
        (GOLD + "\n版权所有 © 沈阳市人民政府 辽ICP备05005386号", "precision"),  # chrome kept
        (GOLD.split("\n", 1)[1], "recall"),  # addressee lost
        ("关于印发养老服务实施方案的通知\n" + GOLD, "precision"),  # a title that is not optional
        ("完全无关的一段文字，讲的是天气。", "f1"),
    ],
)
def test_body_score_wrong_answers_score_less(output, worse):
    score = body_score(output, GOLD)
    assert getattr(score, worse) < 1.0
    assert score.f1 < 1.0


def test_body_score_counts_repeats():
    # multiset overlap: a body printed twice is half precise
    score = body_score(GOLD + "\n" + GOLD, GOLD)
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize(
    "name, got, want, verdict",
    [
        ("title", "  养老服务通知 ", "养老服务通知", "right"),
        ("title", "保山市医疗保障局保山市财政局关于…", "保山市医疗保障局 保山市财政局关于…", "wrong"),
        ("title_ws", "保山市医疗保障局保山市财政局关于…", "保山市医疗保障局 保山市财政局关于…", "right"),
        ("title", "规划", ["关于印发规划的通知", "规划"], "right"),  # any of the listed titles
        ("agency", "国家医保局、财政部", "国家医保局 财政部", "right"),
        ("agency", "国家医保局", "国家医保局 财政部", "wrong"),
        ("agency", "市场监管总局国家医保局", "市场监管总局 国家医保局", "wrong"),
        ("signed_date", date(2019, 3, 11), date(2019, 3, 11), "right"),
        ("signed_date", date(2019, 3, 11), date(2019, 3, 12), "wrong"),
        ("published_date", None, date(2019, 3, 12), "missed"),
        ("published_date", None, None, "absent"),
        ("agency", "沈阳市人民政府", None, "wrong"),  # a value where the page has none is false
        ("doc_number", "沈政发〔2015〕31号", "沈政发〔2015〕31号", "right"),
        ("doc_number", "国发〔2013〕40号", "沈政发〔2015〕31号", "wrong"),
        ("doc_number", "国发〔2013〕40号", None, "wrong"),
        ("doc_number", None, None, "absent"),
        ("index_number", "000014349/2019-00058", "000014349/2019-00058", "right"),
    ],
)
def test_field_verdicts(name, got, want, verdict):
    assert field_verdict(name, got, want) == verdict


def test_junk_markers_apply_only_where_the_page_shows_them():
    page = "首页 > 政策\n各区人民政府：\n版权所有 沈阳市人民政府\n辽ICP备05005386号\n上一篇：关于…"
    markers = page_markers(page, [GOLD], shared=["版权所有", "ICP备", "上一篇", "扫一扫", "人民政府"], extra=["首页>政策"])
    assert markers == ["版权所有", "ICP备", "上一篇", "首页>政策"]  # 扫一扫 not shown, 人民政府 is gold text
    assert junk_survivors(GOLD + "\n辽ICP备05005386号", markers) == ["ICP备"]
    assert junk_survivors(GOLD, markers) == []


def _result(want, got, f1=1.0, junk=()):
    return PageResult(
        page_id="p", group="g", body=BodyScore(f1, f1, f1), junk=list(junk), junk_total=3,
        fields=score_fields(got, want), got=got, want=want,
    )


def test_aggregate_counts_doc_numbers_and_false_values():
    results = [
        _result({"title": "甲", "doc_number": "沈政发〔2015〕31号"}, {"title": "甲", "doc_number": "沈政发〔2015〕31号"}),
        _result({"title": "乙", "doc_number": None}, {"title": "乙", "doc_number": None}),  # none = none: right
        _result({"title": "丙", "doc_number": None}, {"title": "丁", "doc_number": "国发〔2013〕40号"}, 0.5, ["ICP备"]),
        _result({"title": "戊", "doc_number": "国发〔2013〕40号"}, {"title": "戊", "doc_number": None}),  # missed
    ]
    stats = aggregate(results)
    assert (stats.pages, stats.docnum_right, stats.docnum_false) == (4, 2, 1)
    assert (stats.right["title"], stats.labeled["title"], stats.false["title"]) == (3, 4, 1)
    assert (stats.labeled["agency"], stats.false["agency"]) == (0, 0)
    assert stats.f1 == pytest.approx(0.875)
    assert (stats.junk, stats.junk_total) == (1, 12)


def test_aggregate_of_a_perfect_run_is_perfect():
    want = {"title": "甲", "doc_number": "沈政发〔2015〕31号", "agency": "沈阳市人民政府", "signed_date": date(2015, 7, 12)}
    stats = aggregate([_result(want, dict(want))])
    assert stats.docnum_right == stats.pages == 1
    assert all(stats.right[name] == stats.labeled[name] for name in ("title", "agency", "signed_date"))
    assert (stats.precision, stats.recall, stats.f1) == (1.0, 1.0, 1.0)


def _stats(pages=100, docnum_right=100, docnum_false=0, titles=100, agency=100, index=100, signed=100,
           labeled=100, mojibake=0, f1=0.99, traf_f1=0.9, gne_f1=0.95, seed_junk=0):
    ours = GroupStats(pages=pages, docnum_right=docnum_right, docnum_false=docnum_false, f1=f1, mojibake=mojibake)
    ours.right.update(title=titles, agency=agency, index_number=index, signed_date=signed)
    ours.labeled.update(title=labeled, agency=labeled, index_number=labeled, signed_date=labeled)
    seeds = GroupStats(pages=5, junk=seed_junk, junk_total=80)
    test = {"ours": ours, "trafilatura": GroupStats(pages=pages, f1=traf_f1), "gne": GroupStats(pages=pages, f1=gne_f1)}
    # the dev split is never judged: perfect or hopeless, it changes nothing
    dev = {name: GroupStats(pages=3) for name in test}
    return {"dev": dev, "test": test, "seeds": {"ours": seeds}}


@pytest.mark.parametrize(
    "kw, failing",
    [
        ({}, set()),
        (dict(docnum_right=97), set()),  # 97% is enough
        (dict(docnum_right=96), {"own 文号 exact, no false one"}),
        (dict(docnum_right=99, docnum_false=1), {"own 文号 exact, no false one"}),  # a false number is never tolerated
        (dict(titles=92), set()),
        (dict(titles=91), {"title exact"}),
        (dict(agency=89), {"agency exact"}),
        (dict(index=94), {"索引号 exact"}),
        (dict(signed=89), {"成文日期 exact"}),
        (dict(labeled=0, titles=0, agency=0, index=0, signed=0),  # nothing to judge on is no pass
         {"title exact", "agency exact", "索引号 exact", "成文日期 exact"}),
        (dict(labeled=9, titles=9, agency=9, index=9, signed=9),  # nor is 9/9
         {"title exact", "agency exact", "索引号 exact", "成文日期 exact"}),
        (dict(labeled=10, titles=10, agency=10, index=10, signed=10), set()),
        (dict(mojibake=1), {"no mojibake page"}),
        (dict(f1=0.9), {"body F1 above trafilatura and GNE"}),  # a tie with trafilatura is not above it
        (dict(f1=0.94), {"body F1 above trafilatura and GNE"}),  # above trafilatura, below GNE
        (dict(seed_junk=1), {"no junk in the seeds"}),
    ],
)
def test_acceptance_criteria(kw, failing):
    verdicts = acceptance(_stats(**kw))
    assert {c.name for c in verdicts if not c.passed} == failing
    assert len(verdicts) == 8 and all(c.detail for c in verdicts)
