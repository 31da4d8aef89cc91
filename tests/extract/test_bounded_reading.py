"""Hostile attachments and pages are refused or read within bounds, each with its reason
(issue 21): the caps act before the reading library sees the bytes."""
from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.extract.attachment import AttachmentError, attachment_text, limits
from crawler.extract.htmltree import flatten_nesting, parse_html
from crawler.vocab.failures import TIMEOUT, TOO_LARGE
from tests.extract.bomb_files import MIB, NOTICE_TEXT, deep_html, docx_bomb, pdf_bomb, xls_bomb, xls_workbook


def _never(*_args, **_kwargs):  # noqa: ANN202
    raise AssertionError("the reading library was handed a file past the caps")


def _refused_before_its_library(monkeypatch, library, entry: str, body: bytes, kind: str, match: str) -> None:  # noqa: ANN001
    monkeypatch.setattr(library, entry, _never)
    with pytest.raises(AttachmentError, match=match) as caught:
        attachment_text(body, kind)
    assert caught.value.kind == TOO_LARGE


def test_a_docx_unpacking_to_190_mib_is_refused_before_python_docx_opens_it(monkeypatch):
    import docx

    body = docx_bomb(190 * MIB)
    assert len(body) < 2 * MIB
    _refused_before_its_library(monkeypatch, docx, "Document", body, "docx", "unpacks to 19[01] MiB")


def test_one_xml_member_past_its_cap_is_refused_though_the_whole_is_under_the_total(monkeypatch):
    import docx

    body = docx_bomb(40 * MIB)
    _refused_before_its_library(monkeypatch, docx, "Document", body, "docx", "word/document.xml unpacks to 40 MiB")


def test_a_pdf_stream_inflating_to_200_mb_is_refused_before_pdfminer_reads_it(monkeypatch):
    import pdfminer.high_level

    body = pdf_bomb()
    assert len(body) < 2 * MIB
    _refused_before_its_library(monkeypatch, pdfminer.high_level, "extract_pages", body, "pdf", "inflates past the 64 MiB cap")


def test_pdf_streams_are_counted_one_by_one_and_together(monkeypatch):
    small = pdf_bomb(20_000)
    assert attachment_text(small, "pdf") == ""  # read (it prints only spaces), not refused
    monkeypatch.setattr(limits, "MAX_PDF_STREAM", 10_000)
    with pytest.raises(AttachmentError, match="inflates past"):
        attachment_text(small, "pdf")
    monkeypatch.setattr(limits, "MAX_PDF_STREAM", 30_000)
    monkeypatch.setattr(limits, "MAX_PDF_INFLATED", 10_000)
    with pytest.raises(AttachmentError, match="together"):
        attachment_text(small, "pdf")


def test_an_xls_laid_out_past_the_cell_cap_is_refused_before_xlrd_reads_it(monkeypatch):
    import xlrd

    body = xls_bomb()
    assert len(body) < 3 * MIB
    _refused_before_its_library(monkeypatch, xlrd, "open_workbook", body, "xls", "past 4,000,000 cells")


def test_xls_cells_are_counted_as_xlrd_lays_them_out_over_every_sheet(monkeypatch):
    # two sheets of 100 rows: 100 × 10 cells, and 100 × 6 though only its diagonal is filled
    body = xls_workbook({"甲": [(r, c, f"养老{r}") for r in range(100) for c in range(10)],
                         "乙": [(r, r % 6, r) for r in range(100)]})
    text = attachment_text(body, "xls")
    assert "养老99" in text and "乙" in text  # read, not refused
    monkeypatch.setattr(limits, "MAX_XLS_CELLS", 1_600)
    assert attachment_text(body, "xls") == text
    monkeypatch.setattr(limits, "MAX_XLS_CELLS", 1_599)
    with pytest.raises(AttachmentError, match="past 1,599 cells") as caught:
        attachment_text(body, "xls")
    assert caught.value.kind == TOO_LARGE


def test_a_reader_that_runs_on_is_stopped_with_kind_timeout(monkeypatch):
    from crawler.extract import attachment

    def forever(_body: bytes) -> str:
        while True:
            pass

    monkeypatch.setattr(attachment, "_reader", lambda kind: forever)
    monkeypatch.setattr(limits, "READ_SECONDS", 0.2)
    with pytest.raises(AttachmentError, match="longer than 0.2 s") as caught:
        attachment_text(b"%PDF-1.4 whatever", "pdf")
    assert caught.value.kind == TIMEOUT


def test_a_reader_that_runs_on_outside_the_main_thread_is_stopped_too(monkeypatch):
    # A crawl extracting in its own process (POLICY_EXTRACT_WORKERS=0) reads attachments in
    # the reactor's thread pool, where no alarm signal arrives.
    import threading

    from crawler.extract import attachment

    given_up = threading.Event()  # ends the loop if the deadline never comes (the test fails)

    def forever(_body: bytes) -> str:
        while not given_up.is_set():
            pass
        return "ran to the end"

    monkeypatch.setattr(attachment, "_reader", lambda kind: forever)
    monkeypatch.setattr(limits, "READ_SECONDS", 0.2)
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(attachment_text(b"%PDF-1.4 whatever", "pdf"))
        except AttachmentError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(60)
    given_up.set()
    reader.join()
    assert isinstance(outcome[0], AttachmentError) and outcome[0].kind == TIMEOUT, outcome
    # and nothing lands in the thread after its block: a later read in it runs to the end
    monkeypatch.setattr(limits, "READ_SECONDS", 30)
    monkeypatch.setattr(attachment, "_reader", lambda kind: lambda _body: "养老服务")
    again = threading.Thread(target=read)
    again.start()
    again.join()
    assert outcome[1] == "养老服务"


def test_a_converter_past_its_time_is_kind_timeout(monkeypatch):
    monkeypatch.setattr(limits, "TOOL_TIMEOUT", 0.3)
    with pytest.raises(AttachmentError, match="took longer") as caught:
        limits.run_tool(["sh", "-c", "sleep 5"], b"x", ".doc")
    assert caught.value.kind == TIMEOUT


@pytest.mark.parametrize("wrapped", [False, True])
def test_running_out_of_memory_while_reading_is_kind_too_large(monkeypatch, wrapped):
    from crawler.extract import attachment

    def reader(_body: bytes) -> str:
        try:
            raise MemoryError()
        except MemoryError:
            if not wrapped:
                raise
            # what a reader's "except Exception" makes of it
            raise AttachmentError("unreadable PDF: MemoryError") from None

    monkeypatch.setattr(attachment, "_reader", lambda kind: reader)
    with pytest.raises(AttachmentError) as caught:
        attachment_text(b"%PDF-1.4 whatever", "pdf")
    assert caught.value.kind == TOO_LARGE


@pytest.mark.parametrize("depth", [300, 3000, 30000])
def test_html_nested_past_libxml2s_limit_is_read_paragraph_by_paragraph(depth):
    extraction = extract_page(deep_html(depth), "http://gov.example.cn/a.html")
    lines = [line for line in extraction.text.splitlines() if NOTICE_TEXT in line]
    assert len(lines) == 12, extraction.text[:300]
    assert extraction.title == "关于加强养老服务的通知"


def test_flattening_leaves_shallow_markup_and_text_alone():
    page = "<html><body><div><p>一<b>二</b></p><br><img src=a.png>三</div></body></html>"
    assert flatten_nesting(page, 200) == page
    deep = "<div>" * 5 + "<p>正文</p>" + "</div>" * 5
    assert flatten_nesting(deep, 2) == "<div><div><p>正文</p></div></div>"
    root = parse_html(deep_html(400))
    assert max(len(list(el.iterancestors())) for el in root.iter()) < 255
