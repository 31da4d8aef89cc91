"""The decoder never garbles a good page: a property over generated Chinese pages.

Any Chinese text, padded the way metadata tables pad labels (runs of U+00A0, U+3000,
spaces, tabs) and mixed with full-width punctuation, digits, rare characters and emoji,
encoded as UTF-8, GB18030, GBK or Big5, behind a right, wrong or missing ``<meta>`` and
HTTP declaration, decodes to exactly the page that was written.

Characters an encoding cannot hold are written as character references, as a real page in
that encoding writes them (``&#160;`` for NBSP in GBK and Big5). The text is made of real
phrases (simplified ones from the seed pages, traditional ones written for this test):
with its declaration wrong or missing, only the text itself says GBK from Big5, and text
drawn at random from a code table does not read like Chinese to anyone.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract.decode import decode_html, looks_mojibake
from tests.extract.extract_fixtures import seed_text


def _phrases(text: str) -> list[str]:
    pieces = re.split(r"[\s,，。:：;；、()（）《》“”|\-/0-9a-zA-Z〔〕]+", text)
    return sorted({p for p in pieces if len(p) >= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in p)})


SIMPLIFIED = _phrases(seed_text(2) + seed_text(0))[:150]
TRADITIONAL = [
    "各級人民政府", "應當加強醫療衛生服務體系建設", "推進養老服務業發展", "衛生福利部", "長期照顧服務法",
    "本辦法自發布日施行", "為因應人口高齡化", "提升長照服務品質", "直轄市及縣市政府", "社會福利機構",
    "全民健康保險", "醫療機構設置標準", "關於進一步做好老年人健康管理工作的通知", "請依照辦理",
    "中央衛生主管機關", "居家服務及日間照顧", "失智症照護政策綱領", "發布日期", "發文字號", "主旨",
]
# outside GB2312 level 1, outside the BMP, or no Han at all
RARE = ["镕", "堃", "喆", "昇", "𠀀", "㐀", "😀", "🏥", "①", "Ⅳ", "℃"]
PADDING = ["\xa0", "\xa0\xa0", "\xa0\xa0\xa0\xa0", "\u3000", "\u3000\u3000", " ", "\t", "\n", "&nbsp;"]
PUNCTUATION = list("，。：；、（）《》“”！？…—·〔〕【】％")

LABELS = {
    "utf-8": ["utf-8", "UTF8"],
    "gb18030": ["gb18030", "GBK", "gb2312"],
    "gbk": ["gbk", "gb2312", "GB18030"],
    "big5": ["big5", "Big5-HKSCS"],
}
WRONG = ["utf-8", "gb2312", "gbk", "big5", "iso-8859-1", "utf-16", "windows-1252"]


def _family(label: str) -> str:
    label = label.lower()
    if label.startswith("utf-8") or label == "utf8":
        return "utf-8"
    if label.startswith("gb"):
        return "gb"
    if label.startswith("big5"):
        return "big5"
    return label


def _right_family(encoding: str) -> str:
    return {"utf-8": "utf-8", "gb18030": "gb", "gbk": "gb", "big5": "big5"}[encoding]


@st.composite
def pages(draw) -> tuple[str, bytes, str | None]:
    encoding = draw(st.sampled_from(sorted(LABELS)))
    pool = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    if encoding == "utf-8":
        pool = SIMPLIFIED + TRADITIONAL
    extras = st.sampled_from(PADDING + PUNCTUATION + (RARE if encoding in ("utf-8", "gb18030") else []))
    pieces = draw(
        st.lists(st.tuples(st.sampled_from(pool), st.lists(extras, max_size=3)), min_size=1, max_size=14)
    )
    text = "".join(phrase + "".join(more) for phrase, more in pieces)
    label_text = draw(st.sampled_from(["文\xa0\xa0号", "索\u3000引\u3000号", "发布机构", "成文日期"]))

    def declaration():
        return draw(
            st.one_of(st.none(), st.sampled_from(LABELS[encoding]), st.sampled_from(WRONG))
        )

    meta, http = declaration(), declaration()
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    page = (
        f"<html><head>{head}<title>{pieces[0][0]}</title></head><body>"
        f"<table><tr><td>{label_text}</td><td>{pieces[-1][0]}</td></tr></table>"
        f"<div id=zoom><p>{text}</p></div></body></html>"
    )
    raw = page.encode(encoding, errors="xmlcharrefreplace")
    return raw.decode(encoding), raw, http


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_any_chinese_page_decodes_to_the_original(case):
    original, raw, http = case
    text, codec = decode_html(raw, http)
    assert text == original, (codec, http)


# -- each real failure, one row ------------------------------------------------------------------
# A 信息公开 page: valid UTF-8 declaring utf-8, its metadata labels padded with runs of
# U+00A0 (as on the provincial pages of issue 6, where the old check read the NBSPs as
# "Latin-1 runs" and decoded the page as GB18030).
NBSP_TABLE = (
    '<html><head><meta charset="utf-8"><title>关于印发养老服务体系建设实施方案的通知</title></head><body>'
    "<table><tr><td>索\xa0\xa0引\xa0\xa0号：</td><td>11340000002986061N/2023-00123</td>"
    "<td>发\xa0布\xa0机\xa0构：</td><td>省民政厅</td></tr>"
    "<tr><td>文\xa0\xa0\xa0\xa0\xa0\xa0号：</td><td>皖民发〔2023〕12号</td>"
    "<td>成\xa0文\xa0日\xa0期：</td><td>2023年03月01日</td></tr></table>"
    "<p>各市民政局：</p><p>\u3000\u3000现将《养老服务体系建设实施方案》印发给你们，请认真贯彻执行。</p>"
    "</body></html>"
)
CASES = [
    pytest.param(NBSP_TABLE.encode("utf-8"), "utf-8", "utf-8", id="utf8-nbsp-padded-labels"),
    pytest.param(NBSP_TABLE.encode("utf-8"), None, "utf-8", id="utf8-nbsp-padded-labels-http-silent"),
    pytest.param(NBSP_TABLE.encode("utf-8"), "ISO-8859-1", "utf-8", id="utf8-nbsp-behind-latin-http"),
    # the same page re-saved in GBK: its NBSPs are now entities
    pytest.param(
        NBSP_TABLE.replace("utf-8", "gbk").replace("\xa0", "&nbsp;").encode("gbk"), "ISO-8859-1", "gb18030",
        id="gbk-nbsp-entities-behind-latin-http",
    ),
    # GB18030 holds U+00A0 as four bytes: the table survives a gb2312 label
    pytest.param(NBSP_TABLE.replace("utf-8", "gb2312").encode("gb18030"), None, "gb18030", id="gb18030-real-nbsp"),
    # a Big5 page whose server says gbk
    pytest.param(
        "<html><head><meta charset=big5></head><body><p>各級人民政府\u3000\u3000應當加強醫療衛生服務體系建設，"
        "推進養老服務業發展。</p></body></html>".encode("big5"), "gbk", "big5hkscs", id="big5-behind-gbk-http",
    ),
    # ××× placeholders and a degree sign are text, not Latin-1 letters
    pytest.param(
        "<html><head><meta charset=gbk></head><body><p>×××市××区卫生健康局：室温不低于18℃±2°，"
        "×××同志任养老服务中心主任。</p></body></html>".encode("gbk"), None, "gb18030", id="gbk-multiplication-signs",
    ),
]


@pytest.mark.parametrize("raw, http, codec", CASES)
def test_real_failures(raw, http, codec):
    text, used = decode_html(raw, http)
    assert used == codec
    assert not looks_mojibake(text)
    assert text == raw.decode(codec)


@pytest.mark.parametrize(
    "text",
    [
        "文\xa0\xa0\xa0\xa0号：皖民发〔2023〕12号\xa0\xa0\xa0\xa0成文日期：2023年03月01日",
        "\xa0" * 40 + "关于做好养老服务工作的通知",
        "××市××县人民政府办公室 ××× 同志",
        "现将《方案》印发给你们😀🏥，请认真贯彻执行。",
    ],
)
def test_spacing_and_symbols_are_not_mojibake(text):
    assert not looks_mojibake(text)
