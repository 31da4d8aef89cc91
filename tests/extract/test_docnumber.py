import pytest

from crawler.extract.docnumber import cited_doc_numbers, find_doc_numbers, normalize_doc_number, own_doc_number
from extract_fixtures import seed_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("沈政发[2015]31号", "沈政发〔2015〕31号"),
        ("沈政发［2015］31号", "沈政发〔2015〕31号"),
        ("沈政发【2015】31号", "沈政发〔2015〕31号"),
        ("沈政发(2015)31号", "沈政发〔2015〕31号"),
        ("沈政发（2015）31号", "沈政发〔2015〕31号"),
        ("沈政发﹝2015﹞31号", "沈政发〔2015〕31号"),
        ("沈政发〖2015〗31号", "沈政发〔2015〕31号"),
        ("沈政发〔2015〕31号", "沈政发〔2015〕31号"),
        ("沈政发 〔 2015 〕 31 号", "沈政发〔2015〕31号"),
        ("沈政发〔２０１５〕３１号", "沈政发〔2015〕31号"),
        ("保政办发〔2018〕066号", "保政办发〔2018〕66号"),
        ("国发〔2013〕第40号", "国发〔2013〕40号"),
        ("国办发明电〔2018〕15号", "国办发明电〔2018〕15号"),
        ("国令第706号", "国令第706号"),
        ("国务院令第706号", "国令第706号"),
        ("中华人民共和国国务院令第0706号", "国令第706号"),
        ("国家医保局公告2021年第2号", "国家医保局公告2021年第2号"),
        ("国家医保局公告2021年第02号", "国家医保局公告2021年第2号"),
        ("XX办法(试行)〔2019〕1号", "XX办法(试行)〔2019〕1号"),
        # brackets one of the old copies (boilerplate, the sample renderer) did not know
        ("沈政发{2015}31号", "沈政发〔2015〕31号"),
        ("沈政发｛2015｝31号", "沈政发〔2015〕31号"),
        ("沈政发〔1998〕31号", "沈政发〔1998〕31号"),
        ("沈政发（试行）", "沈政发(试行)"),  # no year in the brackets: they stay
    ],
)
def test_normalize_doc_number(raw, expected):
    assert normalize_doc_number(raw) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("现将沈政发〔2015〕31号印发给你们", ["沈政发〔2015〕31号"]),
        ("根据国办发〔2015〕84号文件精神", ["国办发〔2015〕84号"]),
        ("按照《国务院关于促进健康服务业发展的若干意见》(国发[2013]40号)精神", ["国发〔2013〕40号"]),
        ("贯彻落实国卫老龄发〔2019〕17号要求", ["国卫老龄发〔2019〕17号"]),
        ("依据医保发〔2020〕1号和民发〔2019〕3号", ["医保发〔2020〕1号", "民发〔2019〕3号"]),
        ("关于印发的通知国发〔2013〕40号", ["国发〔2013〕40号"]),
        ("2015年7月12日沈政发〔2015〕31号", ["沈政发〔2015〕31号"]),
        ("转发人社部发〔2016〕1号", ["人社部发〔2016〕1号"]),
        ("见附件云政办发〔2016〕133号", ["云政办发〔2016〕133号"]),
        ("根据国务院令第706号", ["国令第706号"]),
        ("《医疗机构管理条例》（国务院令第149号）", ["国令第149号"]),
        ("国家卫生和计划生育委员会令第8号", ["国家卫生和计划生育委员会令第8号"]),
        ("现将国家医保局公告2021年第2号转发", ["国家医保局公告2021年第2号"]),
        ("国办发明电〔2018〕15号", ["国办发明电〔2018〕15号"]),
        ("国卫办老龄发（2019）17号", ["国卫办老龄发〔2019〕17号"]),
        # a joint announcement: its issuers one space apart are part of the number
        ("财政部 税务总局 发展改革委 民政部 商务部 卫生健康委公告2019年第76号",
         ["财政部税务总局发展改革委民政部商务部卫生健康委公告2019年第76号"]),
        ("财政部　税务总局公告2019年第76号 2019-06-28", ["财政部税务总局公告2019年第76号"]),
        ("国家税务总局 国家医保局令第1号", ["国家税务总局国家医保局令第1号"]),
        # …but not the words of a sentence before it
        ("根据财政部 税务总局公告2019年第76号规定", ["税务总局公告2019年第76号"]),
        ("按照规定 税务总局公告2019年第76号", ["税务总局公告2019年第76号"]),
        ("执行。\n税务总局公告2019年第76号", ["税务总局公告2019年第76号"]),
        # no 机关代字 left, or a sentence too long to hold one: no number
        ("（2015）31号", []),
        ("执行命令第3号", []),
        ("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未〔2015〕31号", []),
    ],
)
def test_find_doc_numbers(text, expected):
    assert [d.normalized for d in find_doc_numbers(text)] == expected


def test_find_doc_numbers_offsets_and_raw():
    text = "现将沈政发[2015]31号印发"
    (num,) = find_doc_numbers(text)
    assert num.raw == "沈政发[2015]31号"
    assert text[num.start : num.end] == num.raw


@pytest.mark.parametrize(
    "kwargs, expected, source",
    [
        # the metadata table first; a label-like value is no value
        (dict(table_value="保政办发〔2018〕66号", header=None, title=None, text=""), "保政办发〔2018〕66号", "table"),
        (dict(table_value="来 源：", header=None, title=None, text=""), None, None),
        (dict(table_value="", header="沈政发[2015]31号        2015-07-12", title=None, text=""),
         "沈政发〔2015〕31号", "header"),
        (dict(table_value="来 源：", header="沈政发[2015]31号\xa0 \xa0 2015-07-12", title=None, text=""),
         "沈政发〔2015〕31号", "header"),
        (dict(table_value=None, header="江民发〔2019〕12号　　发布时间：2019-10-28", title=None, text=""),
         "江民发〔2019〕12号", "header"),
        (dict(table_value=None, header="根据国办发〔2015〕84号文件", title=None, text=""), None, None),
        # the title: a leading number, or a bracketed one closing the title
        (dict(table_value=None, header=None, title="沈政发[2015]31号 沈阳市人民政府关于印发…的通知", text=""),
         "沈政发〔2015〕31号", "title"),
        (dict(table_value=None, header=None, title="国务院关于促进健康服务业发展的若干意见（国发〔2013〕40号）", text=""),
         "国发〔2013〕40号", "title"),
        (dict(table_value=None, header=None,
              title="关于贯彻落实《国务院关于促进健康服务业发展的若干意见》（国发〔2013〕40号）的实施意见", text=""),
         None, None),
        (dict(table_value=None, header=None,
              title="关于转发国务院办公厅关于推进医养结合的通知（国办发〔2015〕84号）的通知", text=""), None, None),
        (dict(table_value=None, header=None, title="关于转发《XX的通知》（国办发〔2015〕84号）", text=""), None, None),
        # the text: a number standing alone near the top
        (dict(table_value=None, header=None, title=None,
              text="国务院办公厅关于推进医疗卫生与养老服务相结合的通知\n国办发〔2015〕84号\n各省、自治区、直辖市人民政府：\n"),
         "国办发〔2015〕84号", "text"),
        (dict(table_value=None, header=None, title=None,
              text="某市人民政府关于印发某方案的通知\n（某政发〔2019〕3号）\n各区人民政府：\n"),
         "某政发〔2019〕3号", "text"),
        (dict(table_value=None, header=None, title=None,
              text="文号：国卫老龄发〔2019〕17号\n关于XX的通知\n"), "国卫老龄发〔2019〕17号", "text"),
        (dict(table_value=None, header=None, title=None,
              text="国家税务总局江城市税务局公告2023年第5号\n为进一步优化纳税服务…"),
         "国家税务总局江城市税务局公告2023年第5号", "text"),
        (dict(table_value=None, header="财政部 税务总局 民政部公告2019年第76号 2019-06-28", title=None, text=""),
         "财政部税务总局民政部公告2019年第76号", "header"),
        # cited, never own
        (dict(table_value=None, header=None, title=None,
              text="各区：\n根据《国务院办公厅关于推进医疗卫生与养老服务相结合的指导意见》（国办发〔2015〕84号）精神，…"),
         None, None),
        (dict(table_value=None, header=None, title=None,
              text="《国务院关于促进健康服务业发展的若干意见》\n（国发〔2013〕40号）\n各地：\n"), None, None),
        (dict(table_value=None, header=None, title=None, text="根据\n国发〔2013〕40号\n"), None, None),
        (dict(table_value=None, header=None, title=None, text="某某" * 200 + "\n国发〔2013〕40号\n"), None, None),
    ],
)
def test_own_doc_number(kwargs, expected, source):
    num, where = own_doc_number(**kwargs)
    assert (num.normalized if num else None, where) == (expected, source)


def test_own_doc_number_keeps_raw():
    num, _ = own_doc_number(table_value=None, header="沈政发[2015]31号  2015-07-12", title=None, text="")
    assert num.raw == "沈政发[2015]31号"


def test_cited_doc_numbers_unique_ordered_without_own():
    text = "沈政发[2015]31号\n按照（国发[2013]40号）、（国办发〔2015〕84号）和国发〔2013〕40号"
    assert cited_doc_numbers(text, own="沈政发[2015]31号") == ["国发〔2013〕40号", "国办发〔2015〕84号"]
    assert cited_doc_numbers(text) == ["沈政发〔2015〕31号", "国发〔2013〕40号", "国办发〔2015〕84号"]


# --- acceptance on the shared seed pages ---------------------------------------------------


def test_seed_000_own_and_cited():
    text = seed_text(0)
    num, where = own_doc_number(table_value=None, header=None, title=None, text=text)
    assert num.normalized == "沈政发〔2015〕31号"
    assert num.raw == "沈政发[2015]31号"
    assert where == "text"
    assert cited_doc_numbers(text, num.normalized) == ["国发〔2013〕40号"]


def test_seed_000_header_and_title_paths():
    text = seed_text(0)
    header = text[text.index("沈阳市人民政府关于印发", 50) : text.index("各区、县")]
    num, where = own_doc_number(table_value=None, header=header, title=None, text=text)
    assert (num.normalized, num.raw, where) == ("沈政发〔2015〕31号", "沈政发[2015]31号", "header")
    title = text.splitlines()[0]
    num, where = own_doc_number(table_value=None, header=None, title=title, text="")
    assert (num.normalized, where) == ("沈政发〔2015〕31号", "title")


def test_seed_002_table_and_cited():
    text = seed_text(2)
    num, where = own_doc_number(table_value="保政办发〔2018〕66号", header=None, title=None, text=text)
    assert (num.normalized, where) == ("保政办发〔2018〕66号", "table")
    assert cited_doc_numbers(text, num.normalized) == ["云政办发〔2016〕133号"]
    # without the table, the pipe-table line in the text still gives it
    num, where = own_doc_number(table_value=None, header=None, title=None, text=text)
    assert (num.normalized, where) == ("保政办发〔2018〕66号", "text")


@pytest.mark.parametrize(
    "n, cited",
    [
        (1, ["国办发〔2017〕44号"]),
        (3, ["辽委发〔2016〕51号", "国发〔2016〕31号", "国办发〔2016〕47号"]),
        (4, ["豫政办〔2017〕108号", "平发〔2017〕13号"]),
    ],
)
def test_seeds_without_own_number(n, cited):
    text = seed_text(n)
    first_line = text.strip().splitlines()[0]
    assert own_doc_number(table_value=None, header=None, title=first_line, text=text) == (None, None)
    assert cited_doc_numbers(text) == cited


def test_a_number_in_a_table_row_is_not_the_pages_own():
    # a 许可结果公示 (www.jiangxi.gov.cn, eval corpus): a licence table flattened one cell a line
    text = "序号\n企业名称\n许可文件编号\n1\n余干县计量检定所\n赣法计（2020）01710号\n承担国家法定计量任务的授权\n江西省市场监督管理局"
    assert own_doc_number(table_value=None, header=None, title="计量授权许可结果公示（第三批）", text=text) == (None, None)
