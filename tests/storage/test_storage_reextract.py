"""Re-extraction after an extractor change: metadata and re-cleaned text updated in place,
no new version, a report of what changed; a page that now reads differently is left alone."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from crawler.items import CapturedPart, PageItem, PageRecord
from crawler.work.item_extraction import extract_item
from crawler.run.reextraction import reextract
from crawler.samples.server import sample_registry_path, sample_root
from spiders.registry import load_registry
from storage.api import get_document, ingest
from storage.models import Version

PAGES = ["baoshan/xxgk/202203/t20220308_338712.html", "baoshan/xxgk/202009/t20200928_297731.html"]
NOISE = "\n【打印本页】【关闭窗口】"


def _store(archive, path, old_reading):
    """Archive a sample page as an older extractor read it."""
    source = load_registry(sample_registry_path())["baoshan"]
    url = "http://baoshan.sample.test/" + path.removeprefix("baoshan/")
    part = CapturedPart(url=url, final_url=url, status=200, body=(sample_root() / path).read_bytes(),
                        fetched_at=datetime(2024, 5, 1, tzinfo=timezone.utc), content_type="text/html; charset=utf-8")
    ex, _ = extract_item(PageItem(source_id="baoshan", parts=[part]), source)
    old = old_reading(dataclasses.replace(ex))
    return ingest(archive, PageRecord("baoshan", "gov", [part], old)), ex


def test_reextract_updates_metadata_and_recleans_text_without_a_version(archive):
    cleaned, clean_ex = _store(archive, PAGES[0], lambda ex: dataclasses.replace(
        ex, text=ex.text + NOISE, agency=None, index_number=None))
    rewritten, _ = _store(archive, PAGES[1], lambda ex: dataclasses.replace(
        ex, text=ex.text.replace("。", "。据悉，", 3)))
    before = get_document(archive, cleaned.document_id)
    assert before.agency is None and before.text.endswith(NOISE)

    report = reextract(archive, source_id="baoshan")
    assert report["pages"] == 2 and report["errors"] == 0
    assert report["text_recleaned"] == 1 and report["text_differs"] == 1
    assert report["metadata_updated"] >= 1 and report["fields"].get("agency") == 1
    after = get_document(archive, cleaned.document_id)
    assert after.agency == clean_ex.agency and after.index_number == clean_ex.index_number
    assert after.text == clean_ex.text and len(after.versions) == 1
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Version)) == 2
    # The page read differently now keeps its text until a crawl makes it a version.
    assert "据悉" in get_document(archive, rewritten.document_id).text

    again = reextract(archive, source_id="baoshan")
    assert (again["text_recleaned"], again["metadata_updated"], again["text_differs"]) == (0, 0, 1)
    # The re-cleaned page is recognized by its new hash (the next crawl reads it so).
    cleaned_again, _ = _store(archive, PAGES[0], lambda ex: ex)
    assert cleaned_again.outcome == "unchanged" and cleaned_again.version_id == cleaned.version_id


def test_since_and_source_filters(archive):
    _store(archive, PAGES[0], lambda ex: ex)
    assert reextract(archive, source_id="other")["pages"] == 0
    from datetime import date
    assert reextract(archive, since=date(2024, 5, 2))["pages"] == 0
    assert reextract(archive, since=date(2024, 5, 1))["pages"] == 1


def test_cli_reextract_reports_json(archive, capsys):
    import json

    from crawler.cli import main

    _store(archive, PAGES[0], lambda ex: dataclasses.replace(ex, agency=None))
    assert main(["reextract", "--db", archive.url, "--source", "baoshan", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"] == 1 and report["fields"] == {"agency": 1} and report["new_versions"] == 0
    with pytest.raises(SystemExit) as bad:
        main(["reextract", "--db", archive.url, "--since", "yesterday"])
    assert bad.value.code == 2
