"""Text and 文号 normalization, and near-duplicate signatures (pure functions)."""
from __future__ import annotations

import pytest

from storage import neardup
from crawler.vocab.docnumber import normalize_doc_number
from storage.normalize import normalize_text, sha256_hex, text_hash
from storage_samples import DRAFT_C, FINAL_C, NOTICE_A, NOTICE_A_REVISED, NOTICE_B, site_copy

BASE = "各县（市、区）人民政府：\n现将《实施方案》印发给你们，请认真贯彻执行。"


@pytest.mark.parametrize(
    "variant",
    [
        BASE.replace("\n", ""),  # no line break
        BASE.replace("\n", "\r\n\r\n"),  # Windows and blank lines
        "\u3000\u3000" + BASE.replace("\n", "\n\u3000\u3000"),  # ideographic-space indents
        BASE.replace("，", ", ").replace("。", ". "),  # half-width punctuation and spaces
        BASE.replace("（", "(").replace("）", ")").replace("：", ":"),
        BASE.replace("《", "“").replace("》", "”"),  # another quoting style
        BASE.replace("，", "\xa0，\u200b"),  # NBSP and zero-width space
        BASE.replace("实施方案", "实施方案\ufeff"),  # a stray BOM
        " ".join(BASE),  # a space between every character
    ],
)
def test_site_noise_in_text_does_not_change_the_hash(variant):
    assert text_hash(variant) == text_hash(BASE)


@pytest.mark.parametrize(
    "other",
    [
        BASE.replace("认真贯彻执行", "结合实际执行"),
        BASE.replace("人民政府", "人民政府办公室"),
        BASE + "附件：名单",
        BASE.replace("县", "区"),
    ],
)
def test_a_change_of_words_changes_the_hash(other):
    assert text_hash(other) != text_hash(BASE)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width letters and digits
        ("第１条\u3000总则", "第1条总则"),
        ("“健康中国2030”规划纲要", "健康中国2030规划纲要"),
        ("65周岁以上、80周岁以下", "65周岁以上80周岁以下"),
        ("", ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("国办发〔2019〕4号", "国办发〔2019〕4号"),
        ("国办发[2019]4号", "国办发〔2019〕4号"),
        ("国办发［2019］4号", "国办发〔2019〕4号"),
        ("国办发(2019)4号", "国办发〔2019〕4号"),
        ("国办发（2019）4号", "国办发〔2019〕4号"),
        ("国办发【2019】4号", "国办发〔2019〕4号"),
        ("国办发﹝2019﹞4号", "国办发〔2019〕4号"),
        ("国办发〖2019〗4号", "国办发〔2019〕4号"),
        ("国办发 〔 2019 〕 4 号", "国办发〔2019〕4号"),
        ("保政办发〔2018〕066号", "保政办发〔2018〕66号"),
        ("国办发明电〔2018〕15号", "国办发明电〔2018〕15号"),
        ("国令第０７０６号", "国令第706号"),
        ("国家医保局公告2023年第5号", "国家医保局公告2023年第5号"),
        ("沈政发[2015]31号", "沈政发〔2015〕31号"),
        ("卫办发〔2020〕10号（试行）", "卫办发〔2020〕10号(试行)"),  # only the year's brackets change
        ("国发〔2010〕0号", "国发〔2010〕0号"),
        ("国发｛2010｝3号", "国发〔2010〕3号"),
        ("中华人民共和国国务院令第0706号", "国令第706号"),  # the 令 rules the renderer's copy lacked
        ("", None),
        ("\u3000 ", None),
        (None, None),
    ],
)
def test_normalize_doc_number(raw, expected):
    assert normalize_doc_number(raw) == expected
    if expected is not None:
        assert normalize_doc_number(expected) == expected  # idempotent


def test_sha256_hex():
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def _sig(text: str) -> neardup.MinHashSignature:
    sig = neardup.minhash_signature(normalize_text(text))
    assert sig is not None
    return sig


@pytest.mark.parametrize(
    "a, b, low, high",
    [
        (NOTICE_A, site_copy(NOTICE_A), neardup.COPY_THRESHOLD, 1.0),
        (NOTICE_B, site_copy(NOTICE_B, width=13), neardup.COPY_THRESHOLD, 1.0),
        (DRAFT_C, FINAL_C, neardup.MATCH_THRESHOLD, 1.0),
        (NOTICE_A, NOTICE_A_REVISED, neardup.MATCH_THRESHOLD, neardup.COPY_THRESHOLD),
        (NOTICE_A, NOTICE_B, 0.0, 0.1),
        (NOTICE_B, FINAL_C, 0.0, 0.1),
    ],
    ids=["copy A", "copy B", "draft-final", "revision", "unrelated A-B", "unrelated B-C"],
)
def test_similarity_bands(a, b, low, high):
    score = _sig(a).jaccard(_sig(b))
    assert low <= score <= high


def test_signature_round_trip_and_bands():
    sig = _sig(NOTICE_A)
    data = sig.to_bytes()
    assert len(data) == neardup.NUM_PERM * 4
    again = neardup.MinHashSignature.from_bytes(data, sig.scheme)
    assert again.jaccard(sig) == 1.0
    bands = sig.bands()
    assert [n for n, _ in bands] == list(range(neardup.BANDS))
    assert all(-(2**63) <= h < 2**63 for _, h in bands)
    # identical normalized text, identical bands (what the database lookup relies on)
    assert _sig(NOTICE_A.replace("\n", "\n\n")).bands() == bands


def test_signatures_of_different_schemes_never_compare():
    sig = _sig(NOTICE_A)
    other = neardup.MinHashSignature(sig.values, scheme="minhash-legacy-p128")
    with pytest.raises(ValueError, match="schemes differ"):
        sig.jaccard(other)
    assert set(other.bands()).isdisjoint(sig.bands())


@pytest.mark.parametrize("text", ["", "详见附件。", "关于印发实施方案的通知"])
def test_short_texts_have_no_signature(text):
    assert neardup.minhash_signature(normalize_text(text)) is None


def test_scheme_names_the_parameters():
    for part in (neardup.HASH_SCHEME, f"p{neardup.NUM_PERM}", f"c{neardup.SHINGLE_SIZE}"):
        assert part in neardup.SCHEME
