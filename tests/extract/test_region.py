import pytest

from crawler.extract.divisions import DATA_FILE, prefecture_cities
from crawler.extract.region import region_of


@pytest.mark.parametrize(
    "agency, doc_number, default, expected",
    [
        ("保山市人民政府办公室", None, None, "云南省保山市"),
        ("沈阳市人民政府", None, None, "辽宁省沈阳市"),
        ("贵州省卫生健康委员会", None, None, "贵州省"),
        ("中共辽宁省委", None, None, "辽宁省"),
        ("隆阳区人民政府", None, None, "云南省保山市隆阳区"),
        ("保山市隆阳区卫生健康局", None, None, "云南省保山市隆阳区"),
        ("吉林市人民政府", None, None, "吉林省吉林市"),
        ("红河州卫生健康委员会", None, None, "云南省红河哈尼族彝族自治州"),
        ("北京市卫生健康委员会", None, None, "北京市"),
        ("中国银保监会云南监管局", None, None, "云南省"),
        ("国家税务总局保山市税务局", None, None, "云南省保山市"),
        # national
        ("国务院", None, None, "全国"),
        ("国务院办公厅", None, None, "全国"),
        ("民政部", None, None, "全国"),
        ("国家卫生健康委员会", None, None, "全国"),
        ("国家医疗保障局", None, None, "全国"),
        ("民政部、国家卫生健康委员会", None, None, "全国"),
        ("国家市场监督管理总局", None, None, "全国"),
        ("国家税务总局江城市税务局", None, None, None),  # a local bureau of a city we do not know
        # a county name several provinces share: only with context
        ("朝阳区卫生健康委员会", None, None, None),
        ("朝阳区卫生健康委员会", None, "北京市", "北京市朝阳区"),
        ("朝阳区卫生健康委员会", None, "吉林省长春市", "吉林省长春市朝阳区"),
        # an unnamed local office is not national
        ("市委组织部", None, None, None),
        ("市委组织部", None, "云南省保山市", "云南省保山市"),
        # from the doc number when the agency says nothing
        (None, "云政办发〔2016〕133号", None, "云南省"),
        (None, "国办发〔2015〕84号", None, "全国"),
        (None, "沈政发〔2015〕31号", None, "辽宁省沈阳市"),
        (None, "保政办发〔2018〕66号", "云南省保山市", "云南省保山市"),
        (None, "保政办发〔2018〕66号", None, None),
        (None, None, "贵州省", "贵州省"),
        (None, None, None, None),
        ("税屋", None, None, None),
    ],
)
def test_region_of(agency, doc_number, default, expected):
    assert region_of(agency, doc_number, default) == expected


def test_divisions_table_is_small_and_complete():
    assert DATA_FILE.stat().st_size < 300_000
    cities = dict(prefecture_cities())
    assert cities["保山市"] == "云南省"
    assert cities["沈阳市"] == "辽宁省"
    assert len(cities) > 300
    header = DATA_FILE.read_text(encoding="utf-8").splitlines()[:20]
    assert any("MIT" in line for line in header) and any("cpca" in line for line in header)
