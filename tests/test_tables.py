"""Terminal tables: every column starts at the same display column on every row.

Display width is counted here with unicodedata (a wide or fullwidth character takes two
columns), not with the library that lays the tables out, so the two check each other.
"""
from __future__ import annotations

import unicodedata

from crawler.cli import output
from crawler.cli.sources import check_text

SHORT, LONG = "国发5号", "保政办发〔2018〕66号"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def starts(line: str, cells: list[str]) -> list[int]:
    """The display column at which each cell (in order, each after the last) starts."""
    at, found = 0, []
    for cell in cells:
        at = line.index(cell, at)
        found.append(width(line[:at]))
        at += len(cell)
    return found


def test_the_sample_doc_numbers_are_four_and_thirteen_characters():
    assert (len(SHORT), len(LONG)) == (4, 13)


def test_search_rows_start_the_title_at_one_display_column():
    hits = [
        {"id": 7, "published_date": "2019-04-16", "doc_number": SHORT, "agency": "国务院",
         "title": "国务院关于推进养老服务发展的意见", "snippet_text": "推进养老服务发展", "marks": [(2, 4)]},
        {"id": 1234, "signed_date": "2018-03-04", "doc_number": LONG, "agency": "保山市人民政府办公室",
         "title": "保山市养老", "snippet_text": ""},
        {"id": 56, "published_date": "2020-01-01", "doc_number": None, "agency": None,
         "title": "关于印发《沈阳市长期护理保险制度试点实施方案》的通知"},
    ]
    text = output.search_text({"total": 3, "hits": hits, "page": 1, "limit": 20, "pages": 1})
    rows = [line for line in text.splitlines()[1:] if line.lstrip()[:1].isdigit()]
    assert len(rows) == 3
    columns = [starts(line, [h["title"]])[0] for line, h in zip(rows, hits)]
    assert len(set(columns)) == 1, text
    dates = [starts(line, [h.get("published_date") or h["signed_date"]])[0] for line, h in zip(rows, hits)]
    assert len(set(dates)) == 1, text
    snippet = text.splitlines()[2]
    assert snippet.strip() == "推进养老服务发展" and width(snippet) - width(snippet.lstrip()) == dates[0]


def test_new_rows_start_the_title_at_one_display_column():
    documents = [{"id": i, "first_seen": "2024-02-02 10:11:12", "doc_number": number, "title": title}
                 for i, (number, title) in enumerate([(SHORT, "短"), (LONG, "一个长得多的标题"), (None, "无文号")], 1)]
    text = output.new_text({"count": 3, "since": "2024-01-01T00:00:00", "documents": documents})
    columns = [starts(line, [d["title"]])[0] for line, d in zip(text.splitlines()[1:], documents)]
    assert len(set(columns)) == 1, text


def test_stats_columns_after_chinese_names_align():
    text = output.stats_text({"documents": 3, "by_region": {"辽宁省沈阳市": 12, "全国": 3, "unknown": 1}})
    block = text.split("documents by region\n")[1].splitlines()
    counts = [starts(line, [name, str(n)])[1] for line, (name, n) in zip(block[1:], [("辽宁省沈阳市", 12), ("全国", 3), ("unknown", 1)])]
    assert len(set(counts)) == 1, text


def test_sources_check_columns_align_and_failures_keep_their_message():
    rows = [
        {"source": "nhc", "status": "ok", "links": 12, "title": "关于养老", "doc_number": SHORT, "date": "2019-01-01"},
        {"source": "baoshan", "status": "ok", "links": 3, "title": "保山市人民政府办公室关于印发养老服务方案的通知",
         "doc_number": LONG, "date": "2018-03-04"},
        {"source": "gone", "status": "http_error", "links": 0, "message": "HTTP 503 from the listing",
         "title": None, "doc_number": None, "date": None},
    ]
    lines = check_text(rows).splitlines()
    dates = [starts(lines[1], [SHORT, "2019-01-01"])[1], starts(lines[2], [LONG[:5], "2018-03-04"])[1]]
    assert dates[0] == dates[1] == starts(lines[0], ["文号", "date"])[1], "\n".join(lines)
    assert lines[4].strip() == "HTTP 503 from the listing" and lines[-1] == "2 of 3 sources ok"


def test_cells_are_text_not_markup_and_control_characters_are_shown():
    [line] = output.table([("[bold]x[/bold]", ":smile:", "\x1b[31mred")])
    assert line == "[bold]x[/bold]  :smile:  \\x1b[31mred"


def test_plain_even_when_the_environment_asks_for_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    lines = output.table([(1, "养老")], ("id", "title"), right=(0,))
    assert lines == ["id  title", " 1  养老"]


def test_a_joint_announcement_number_is_cut_and_the_titles_stay_aligned():
    joint = "财政部税务总局发展改革委民政部商务部卫生健康委公告2019年第76号"  # 36 characters
    hits = [{"id": 1, "published_date": "2019-06-28", "doc_number": joint, "title": "关于养老、托育、家政等社区家庭服务业税费优惠政策的公告"},
            {"id": 2, "published_date": "2019-04-16", "doc_number": SHORT, "title": "国务院关于推进养老服务发展的意见"}]
    text = output.search_text({"total": 2, "hits": hits, "page": 1, "limit": 20, "pages": 1})
    rows = text.splitlines()[1:]
    assert joint not in text and "…" in rows[0]
    columns = [starts(line, [h["title"]])[0] for line, h in zip(rows, hits)]
    assert len(set(columns)) == 1, text
    assert columns[0] <= len("1  2019-06-28  ") + output.DOC_NUMBER_WIDTH + 2, text


def test_coverage_columns_align_after_province_names_of_any_length():
    from crawler.cli.coverage import coverage_grid, coverage_text
    from spiders.registry import Source

    def src(sid, province, kind, state="evidence"):
        return Source(id=sid, name=sid, kind="gov", family="generic", start_urls=("http://x/",), state=state,
                      home="http://x/", region=province, province=province, publisher=kind)

    grid = coverage_grid([src("a", "新疆维吾尔自治区", "mz"), src("b", "北京市", "mz", "discover"), src("c", "全国", "mz")], {})
    lines = coverage_text(grid).splitlines()
    header = starts(lines[0], ["民政"])[0]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert starts(rows["新疆维吾尔自治区"], ["新疆维吾尔自治区", "evidence"])[1] == header
    assert starts(rows["北京市"], ["北京市", "discover"])[1] == header
    assert starts(rows["全国"], ["全国", "evidence"])[1] == header
