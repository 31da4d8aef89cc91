from datetime import date

import pytest

from crawler.extract.signature import Signature, find_adoption, find_signature
from extract_fixtures import seed_text


LETTER = "各区人民政府：\n  现将《方案》印发给你们，请认真贯彻执行。\n"


@pytest.mark.parametrize(
    "text, agency, signed",
    [
        (LETTER + "沈阳市人民政府\n\n2015年7月12日\n", "沈阳市人民政府", date(2015, 7, 12)),
        (LETTER + "保山市人民政府办公室\n2018年12月19日\n（此件公开发布）\n", "保山市人民政府办公室", date(2018, 12, 19)),
        (LETTER + "　　　　民政部\n　　　　2019年9月23日\n", "民政部", date(2019, 9, 23)),
        (LETTER + "国家卫生健康委员会\n民政部\n国家医疗保障局\n2019年10月23日\n",
         "国家卫生健康委员会、民政部、国家医疗保障局", date(2019, 10, 23)),
        (LETTER + "国家卫生健康委员会   民政部\n2019年10月23日\n", "国家卫生健康委员会、民政部", date(2019, 10, 23)),
        (LETTER + "沈阳市人民政府（印章）\n二〇一五年七月十二日\n", "沈阳市人民政府", date(2015, 7, 12)),
        (LETTER + "沈阳市人民政府　　2015年7月12日\n", "沈阳市人民政府", date(2015, 7, 12)),
        # the letter's signature, not the one closing an attached plan
        (LETTER + "沈阳市人民政府\n2015年7月12日\n附件\n沈阳市卫生健康委员会\n2015年6月1日\n", "沈阳市人民政府", date(2015, 7, 12)),
        # no agency line: a date line closing the letter
        (LETTER + "2015年7月12日\n", None, date(2015, 7, 12)),
    ],
)
def test_find_signature(text, agency, signed):
    sig = find_signature(text)
    assert (sig.agency, sig.signed) == (agency, signed)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "到2020年12月31日，全市建成养老机构100家。\n",
        "发布时间：2015-07-12\n正文。\n",
        "来源:税屋\n2015-07-12\n",
        "一、主要任务\n2015年7月12日\n",  # a heading is no agency, and no sentence ends above
        "各区：\n  为做好工作，请于2019年11月30日前完成。\n",
    ],
)
def test_no_signature(text):
    assert find_signature(text) is None


def test_signature_start_points_at_agency_line():
    text = LETTER + "沈阳市人民政府\n\n2015年7月12日\n"
    sig = find_signature(text)
    assert text[sig.start :].startswith("沈阳市人民政府")
    assert sig == Signature("沈阳市人民政府", date(2015, 7, 12), sig.start)


@pytest.mark.parametrize(
    "n, agency, signed",
    [
        (0, "沈阳市人民政府", date(2015, 7, 12)),
        (2, "保山市人民政府办公室", date(2018, 12, 19)),
        (1, None, None),
        (3, None, None),
        (4, None, None),
    ],
)
def test_seed_signatures(n, agency, signed):
    sig = find_signature(seed_text(n))
    if agency:
        assert (sig.agency, sig.signed) == (agency, signed)
    else:
        assert sig is None


def test_site_header_above_the_letter_is_no_signature():
    text = "保山市人民政府\n2018年12月24日\n关于XX的通知\n" + LETTER + "保山市人民政府办公室\n2018年12月19日\n"
    sig = find_signature(text)
    assert (sig.agency, sig.signed) == ("保山市人民政府办公室", date(2018, 12, 19))


def test_full_width_digits_in_date_line():
    sig = find_signature(LETTER + "沈阳市人民政府\n２０１５年７月１２日\n")
    assert (sig.agency, sig.signed) == ("沈阳市人民政府", date(2015, 7, 12))


@pytest.mark.parametrize(
    "text, agency, adopted",
    [
        ("全国人民代表大会常务委员会关于批准…的决议\n（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）\n正文。",
         "全国人民代表大会常务委员会", date(2007, 6, 29)),
        ("中华人民共和国监察法\n（2018年3月20日第十三届全国人民代表大会第一次会议通过）", "全国人民代表大会", date(2018, 3, 20)),
        ("医疗保障基金使用监督管理条例\n(2020年12月9日国务院第117次常务会议通过 2021年1月15日中华人民共和国国务院令第735号公布)",
         "国务院", date(2020, 12, 9)),
        ("（2019年3月1日沈阳市第十六届人民代表大会常务委员会第十次会议通过　"
         "2019年5月30日辽宁省第十三届人民代表大会常务委员会第十一次会议批准）",
         "沈阳市人民代表大会常务委员会", date(2019, 3, 1)),
        ("（二〇一九年三月一日江城市人民政府第三十次常务会议审议通过）", "江城市人民政府", date(2019, 3, 1)),
    ],
)
def test_find_adoption(text, agency, adopted):
    found = find_adoption(text)
    assert (found.agency, found.signed) == (agency, adopted)


@pytest.mark.parametrize(
    "text",
    [
        "",
        # inside a sentence, not a line of its own
        "《医疗保障基金使用监督管理条例》已经2020年12月9日国务院第117次常务会议通过，现予公布。",
        # a meeting that adopted nothing
        "（2019年3月1日江城市人民政府第三十次常务会议）",
        # too far down the text to be the heading's line
        "\n".join(["第一条 正文。"] * 10 + ["（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）"]),
    ],
)
def test_no_adoption(text):
    assert find_adoption(text) is None
