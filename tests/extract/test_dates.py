from datetime import date

import pytest

from crawler.extract.dates import parse_cn_date


@pytest.mark.parametrize(
    "s, expected",
    [
        ("2015-07-12", date(2015, 7, 12)),
        ("2015/7/12", date(2015, 7, 12)),
        ("2015.07.12", date(2015, 7, 12)),
        ("2019.03.29", date(2019, 3, 29)),
        ("2015年7月12日", date(2015, 7, 12)),
        ("2015 年 7 月 12 日", date(2015, 7, 12)),
        ("２０１５年７月１２日", date(2015, 7, 12)),
        ("二〇一五年七月十二日", date(2015, 7, 12)),
        ("二零一八年十二月十九日", date(2018, 12, 19)),
        ("二〇二〇年一月三十一日", date(2020, 1, 31)),
        ("二○一九年十月二十日", date(2019, 10, 20)),
        ("2019-03-29 16:30:00", date(2019, 3, 29)),
        ("发布日期：2018-12-24", date(2018, 12, 24)),
        ("来源:税屋 作者:税屋 人气: 时间:2015-07-12", date(2015, 7, 12)),
        ("20150712", date(2015, 7, 12)),
        # invalid or absent
        ("2015-02-30", None),
        ("2015-13-01", None),
        ("二〇一五年十三月一日", None),
        ("2015-07", None),
        ("58735799-9-/2018-1224003", None),
        ("2015-7/12", None),
        ("", None),
        ("无", None),
        ("1850-01-01", None),
    ],
)
def test_parse_cn_date(s, expected):
    assert parse_cn_date(s) == expected


def test_first_valid_date_wins():
    assert parse_cn_date("2015-02-30 改为 2015-03-01") == date(2015, 3, 1)
