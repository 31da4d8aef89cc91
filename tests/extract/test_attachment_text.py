"""Text of attachment files: what a file is, its clean text, and the ways files break."""
from __future__ import annotations

import importlib.util
import io
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest

from crawler.extract.attachment import AttachmentError, attachment_text, clean_text, limits, page_furniture, sniff_kind, word
from crawler.extract.attachment.pdf import PrintedLine, join_printed_lines
from tests import third_party
from tests.extract.ofd_fixtures import layout_ofd

HERE = Path(__file__).parent
FILES = HERE / "fixtures" / "attachments"
SAMPLES = HERE.parents[1] / "crawler" / "samples"

_spec = importlib.util.spec_from_file_location("make_attachment_fixtures", FILES / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)

def _needs(tool: str, package: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} not installed (apt-get install {package})")


needs_antiword = _needs("antiword", "antiword")
needs_catdoc = _needs("catdoc", "catdoc")

# third-party data (node-word-extractor's test file): outside the repository, see README.md
WORD97 = "word97_fastsaved_small.doc"
WORD97_PATH = third_party.find(third_party.WORD97_FASTSAVED)
needs_word97 = pytest.mark.skipif(WORD97_PATH is None, reason=third_party.absent(WORD97))


def data(name: str) -> bytes:
    path = third_party.path(third_party.WORD97_FASTSAVED) if name == WORD97 else FILES / name
    return path.read_bytes()


def zipped(names: list[str], content: bytes = b"<x/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in names:
            zf.writestr(name, content)
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
ERROR_PAGE = "<!DOCTYPE html><html><head><title>404</title></head><body>文件不存在</body></html>".encode()


# --- what a file is ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, name, kind",
    [
        (data("plan_dash_footer.pdf"), None, "pdf"),
        (b"\r\n  %PDF-1.4\n" + bytes(20), "download.jsp", "pdf"),  # junk before the header
        (data("plan_dash_footer.pdf"), "附件.doc", "pdf"),  # the bytes win over the name
        (data("eldercare_standard.docx"), None, "docx"),
        (data("eldercare_standard.docx"), "a.doc", "docx"),  # a DOCX served as .doc
        (data("eldercare_list.xlsx"), "a.xls", "xlsx"),
        (data("eldercare_standard.doc"), "a.doc", "doc"),
        (data("eldercare_standard.doc"), "附件1.wps", "wps"),  # WPS saves Word inside OLE
        (data("eldercare_standard.doc"), None, "doc"),
        pytest.param(data(WORD97) if WORD97_PATH else b"", "x.DOC", "doc", marks=needs_word97),
        (data("eldercare_list.xls"), None, "xls"),
        (data("eldercare_list.xls"), "名单.et", "xls"),
        (OLE, "a.xls", "xls"),  # an OLE file naming no stream we know: the name decides
        (OLE, "a.wps", "wps"),
        (OLE, None, "other"),
        (zipped(["OFD.xml", "Doc_0/Document.xml"]), "a.ofd", "ofd"),
        (zipped(["a.pdf", "b.docx"]), "files.zip", "zip"),
        (zipped(["[Content_Types].xml", "ppt/presentation.xml"]), "a.pptx", "other"),
        (data("eldercare_standard.docx")[:200], "a.docx", "docx"),  # truncated container
        (data("eldercare_standard.docx")[:200], None, "zip"),
        (b"Rar!\x1a\x07\x00" + bytes(20), "a.rar", "zip"),
        (ERROR_PAGE, "a.pdf", "html"),  # a 404 page behind an attachment link
        (b"\xef\xbb\xbf<!doctype html><html></html>", None, "html"),
        (PNG, "scan.pdf", "other"),
        (b"\xff\xd8\xff\xe0" + bytes(20), None, "other"),
        (b"????", "http://x.gov.cn/module/download/downfile.jsp?filename=%E5%90%8D%E5%8D%95.pdf&id=1", "pdf"),
        (b"????", "http://x.gov.cn/up/A.DOCX?v=2", "docx"),
        (b"????", "/P0201.ofd", "ofd"),
        (b"????", "名单.xlsx", "xlsx"),
        (b"????", "notes.txt", "other"),
        (b"????", None, "other"),
        (b"", "a.pdf", "pdf"),
    ],
    ids=lambda v: None if isinstance(v, bytes) else str(v),
)
def test_sniff_kind(body, name, kind):
    assert sniff_kind(body, name) == kind


# --- text of each format ------------------------------------------------------------------------
CASES = [
    pytest.param("plan_dash_footer.pdf", mf.PLAN_LINES, id="pdf, dash page numbers"),
    pytest.param("notice_page_of_header.pdf", mf.NOTICE_LINES, id="pdf, page x of y, running header, letter-spaced"),
    pytest.param("eldercare_standard.docx", mf.STANDARD_LINES, id="docx, paragraphs and a table with a merged row"),
    pytest.param("eldercare_list.xlsx", mf.LIST_LINES, id="xlsx, two sheets, shared and inline strings"),
    # LibreOffice's Excel 97 export of the same workbook: xlrd reads what catdoc's xls2csv garbled
    pytest.param("eldercare_list.xls", mf.LIST_LINES, id="xls (Excel 97), two sheets, numbers and booleans"),
    pytest.param("eldercare_standard.doc", mf.STANDARD_LINES, id="doc (Word 97) with a table", marks=needs_antiword),
    pytest.param(
        WORD97,
        ["这是一个用来测试nodejs解析Word文档.doccccc", "This is a test for parsing the Word file in node."],
        id="doc fast-saved: antiword refuses, catdoc reads", marks=[needs_word97, needs_catdoc],
    ),
]


@pytest.mark.parametrize("name, lines", CASES)
def test_text_of_each_format(name, lines):
    assert attachment_text(data(name), name=name).split("\n") == lines


@pytest.mark.parametrize("name, lines", CASES)
def test_kind_given_or_sniffed_gives_the_same_text(name, lines):
    body = data(name)
    assert attachment_text(body, sniff_kind(body, name)) == "\n".join(lines)


# --- OFD, built here (tests/extract/ofd_fixtures.py) ----------------------------------------------
@pytest.mark.parametrize(
    "lines, titles",
    [
        pytest.param(mf.PLAN_LINES, (mf.PLAN_TITLE,), id="plan: indents, page numbers, split runs, fake bold"),
        pytest.param(mf.NOTICE_LINES, (mf.NOTICE_TITLE,), id="notice: a title wrapped over two lines"),
    ],
)
def test_ofd_text(lines, titles):
    body = layout_ofd(lines, titles=titles)
    assert sniff_kind(body, "notice.bin") == "ofd"
    assert attachment_text(body).split("\n") == lines
    assert attachment_text(body, "ofd", "附件.ofd") == "\n".join(lines)


def test_ofd_with_no_text_is_empty():
    assert attachment_text(layout_ofd([], page_numbers=False)) == ""


@needs_antiword
def test_wps_that_is_word_inside_reads_as_doc():
    assert attachment_text(data("eldercare_standard.doc"), "wps", "附件1.wps").split("\n") == mf.STANDARD_LINES


def test_bytes_win_over_the_kind_given():
    assert attachment_text(data("eldercare_standard.docx"), "doc").split("\n") == mf.STANDARD_LINES
    assert attachment_text(ERROR_PAGE, "pdf") == ""


@pytest.mark.parametrize("name", ["plan_dash_footer.pdf", "notice_page_of_header.pdf"])
def test_pdf_page_furniture_is_gone(name):
    text = attachment_text(data(name))
    for furniture in ("—", "第 1 页", "共 2 页", mf.NOTICE_HEADER):
        assert furniture not in text
    assert "\n\n" not in text and "  " not in text


@pytest.mark.parametrize("spacing", [0, 3, 6])
def test_letter_spaced_chinese_gets_no_spaces(spacing):
    pdf = mf.layout_pdf(mf.PLAN_LINES, titles=(mf.PLAN_TITLE,), char_spacing=spacing)
    assert attachment_text(pdf).split("\n") == mf.PLAN_LINES


def test_wrapped_title_is_one_line():
    long_title = "保山市人民政府办公室关于印发保山市推进医养结合服务高质量发展实施方案的通知"
    pdf = mf.layout_pdf([long_title, *mf.PLAN_PARAGRAPHS], titles=(long_title,))
    assert attachment_text(pdf).split("\n") == [long_title, *mf.PLAN_PARAGRAPHS]


def test_office_html_saved_as_doc():
    body = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
        "<head><meta charset=utf-8><style>p{mso-style:x}</style></head><body>"
        "<p>附件</p><p>养老机构\n名单 2023\nyear</p><table><tr><td><p>序号</p></td><td>名称</td></tr>"
        "<tr><td>1</td><td>保山市社会福利院</td></tr></table></body></html>"
    ).encode("utf-8")
    assert sniff_kind(body, "名单.doc") == "html"
    assert attachment_text(body, "doc").split("\n") == ["附件", "养老机构名单 2023 year", "序号\t名称", "1\t保山市社会福利院"]


# --- no text, and broken files --------------------------------------------------------------------
@pytest.mark.parametrize(
    "body, kind",
    [
        (data("scanned_image_only.pdf"), None),  # a scan: text needs OCR, not ours
        (zipped(["a.pdf"]), "zip"),
        (PNG, None),
        (ERROR_PAGE, None),
        (b"plain words", "other"),
    ],
)
def test_no_text_is_empty_not_an_error(body, kind):
    assert attachment_text(body, kind) == ""


@pytest.mark.parametrize(
    "body, kind, reason",
    [
        (data("corrupt.pdf"), None, "unreadable PDF"),
        (b"", "pdf", "empty file"),
        (b"not a pdf at all", "pdf", "unreadable PDF"),
        (b"not a docx", "docx", "unreadable DOCX"),
        (data("eldercare_standard.docx")[:3000], "docx", "unreadable DOCX"),
        (zipped(["[Content_Types].xml", "word/document.xml"]), "docx", "unreadable DOCX"),
        (data("eldercare_list.xlsx")[:1500], "xlsx", "unreadable XLSX"),
        (zipped(["[Content_Types].xml", "xl/workbook.xml"], b"<workbook><sheets>"), "xlsx", "unreadable XLSX"),
        pytest.param(OLE + bytes(2048), "doc", "unreadable Word file", marks=[needs_antiword, needs_catdoc]),
        (OLE + bytes(2048), "xls", "unreadable XLS"),
        (zipped(["OFD.xml", "Doc_0/Document.xml"]), "ofd", "unreadable OFD"),
        (data("eldercare_list.xls")[:3000], "xls", "unreadable XLS"),
    ],
)
def test_broken_files_raise_one_error_with_a_reason(body, kind, reason):
    with pytest.raises(AttachmentError, match=reason) as caught:
        attachment_text(body, kind)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


TRUNCATABLE = ["plan_dash_footer.pdf", "eldercare_standard.docx", "eldercare_list.xlsx", "eldercare_standard.doc"]


@pytest.mark.parametrize("name", TRUNCATABLE)
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_files_give_text_or_attachment_error_only(name, fraction):
    body = data(name)
    cut = body[: int(len(body) * fraction)]
    try:
        result = attachment_text(cut, sniff_kind(cut, name))
    except AttachmentError:
        return
    assert isinstance(result, str)


@pytest.mark.parametrize("name", ["eldercare_standard.docx", "eldercare_list.xlsx"])
def test_zip_bombs_are_refused(monkeypatch, name):
    monkeypatch.setattr(limits, "MAX_UNPACKED", 1000)
    with pytest.raises(AttachmentError, match="unpacks to"):
        attachment_text(data(name))


def test_missing_tools_are_reported(monkeypatch):
    monkeypatch.setattr(word.shutil, "which", lambda name: None)
    with pytest.raises(AttachmentError, match="antiword not installed; catdoc not installed"):
        attachment_text(data("eldercare_standard.doc"))


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs sh")
def test_a_hanging_tool_is_stopped(monkeypatch):
    monkeypatch.setattr(limits, "TOOL_TIMEOUT", 0.3)
    with pytest.raises(AttachmentError, match="took longer"):
        limits.run_tool(["sh", "-c", "sleep 5"], b"x", ".doc")


@needs_antiword
def test_file_name_never_reaches_a_shell(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    name = f"a.doc; touch {marker}; $(touch {marker}).doc"
    attachment_text(data("eldercare_standard.doc"), name=name)
    assert not marker.exists()


# --- cleaning ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, clean",
    [
        ("a\r\n\r\n\n b \f c ", "a\nb\nc"),
        ("养老  服务\u00a0\u00a0体系", "养老 服务 体系"),
        ("等级 \t 总分\t\t", "等级\t总分"),
        ("医疗(cid:12)保障", "医疗保障"),
        ("e\u0301", "\u00e9"),  # NFC
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "pages, dropped",
    [
        ([["正文一", "— 1 —"], ["正文二", "— 2 —"]], {"— 1 —", "— 2 —"}),
        ([["正文", "- 3 -"]], {"- 3 -"}),
        ([["正文", "第 3 页 共 7 页"]], {"第 3 页 共 7 页"}),
        ([["第3页", "正文"]], {"第3页"}),
        ([["正文", "共7页 第3页"]], {"共7页 第3页"}),
        ([["正文", "Page 3 of 7"]], {"Page 3 of 7"}),
        # running header and bare numbers at the edge of most pages
        ([["市医保局文件", "甲", "乙", "丙", "丁", "戊", "1"], ["市医保局文件", "己", "庚", "辛", "壬", "癸", "2"]],
         {"市医保局文件", "1", "2"}),
        ([["正文", "3/7"], ["正文二", "4/7"], ["正文三", "5/7"]], {"3/7", "4/7", "5/7"}),
        # a number alone on one page is not furniture, nor a repeated line in mid-page
        ([["一", "3", "二"]], set()),
        ([["a", "b", "c", "重复", "d", "e", "f"], ["g", "h", "i", "重复", "j", "k", "l"]], set()),
    ],
)
def test_page_furniture(pages, dropped):
    marks = page_furniture(pages)
    got = {line for page, flags in zip(pages, marks) for line, flag in zip(page, flags) if flag}
    assert got == dropped


def test_join_printed_lines_by_position():
    size = 16
    lines = [
        PrintedLine("（一）完善医养签约服务。鼓励养老机构与周边", 111, 527, size),  # full, a heading start
        PrintedLine("医疗卫生机构开展签约合作。", 79, 287, size),  # short: the paragraph ends
        PrintedLine("（二）支持养老机构内设医疗机构。养老机构可", 111, 527, size),
        PrintedLine("根据服务需求和自身能力申请开办护理院，按规", 79, 527, size),
        PrintedLine("定纳入医保定点范围。", 79, 239, size),
    ]
    assert join_printed_lines(lines).split("\n") == [
        "（一）完善医养签约服务。鼓励养老机构与周边医疗卫生机构开展签约合作。",
        "（二）支持养老机构内设医疗机构。养老机构可根据服务需求和自身能力申请开办护理院，按规定纳入医保定点范围。",
    ]


def test_join_printed_lines_latin_seam_and_fallback():
    size = 10
    lines = [
        PrintedLine("Long-term care insurance covers", 50, 300, size),
        PrintedLine("severe disability first, then the", 50, 300, size),
        PrintedLine("rest.", 50, 80, size),
        PrintedLine("第二段开始于此，长度足够长的一行文字", 50, 240, size),
    ]
    assert join_printed_lines(lines).split("\n") == [
        "Long-term care insurance covers severe disability first, then the rest.",
        "第二段开始于此，长度足够长的一行文字",
    ]
    # no right edge shows: join_broken_lines' text rules decide
    ragged = [PrintedLine("为规范养老机构等级评定工作，依据国家标准，结合", 50, 280, 10), PrintedLine("本省实际，制定本标准。", 50, 160, 10)]
    assert join_printed_lines(ragged) == "为规范养老机构等级评定工作，依据国家标准，结合本省实际，制定本标准。"


# --- fixtures and sample-site attachments ---------------------------------------------------------
def test_fixture_generator_is_deterministic_and_committed():
    first, second = mf.fixtures(), mf.fixtures()
    assert first == second
    for name, body in first.items():
        if name.endswith(".docx"):  # python-docx's template may change bytes, not text
            assert attachment_text(body) == attachment_text(data(name))
        else:
            assert body == data(name), f"{name}: run make_fixtures.py"


EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text("utf-8"))
WWW = SAMPLES / "www"
SERVED = [
    (page["path"], path)
    for page in EXPECTED["page"]
    for path in page.get("attachments", [])
    if path not in page.get("attachments_missing", [])
]


def _ground_truth(page_path: str) -> list[str]:
    page = next(p for p in EXPECTED["page"] if p["path"] == page_path)
    if page.get("attachment_text_file"):
        lines = (SAMPLES / page["attachment_text_file"]).read_text("utf-8").splitlines()
    else:  # the attached plan is the notice's text from its centred title on
        body = (SAMPLES / EXPECTED["notice"][page["notice"]]["text_file"]).read_text("utf-8").split("+++\n", 2)[2]
        lines = mf.sample_attachment_lines([line for line in body.splitlines() if line.strip()])
    return [line[2:] if line[:2] in ("# ", "> ") else line for line in lines if line.strip()]


def test_sample_sites_serve_their_attachments():
    assert len(SERVED) >= 5
    assert {path.rsplit(".", 1)[1] for _, path in SERVED} >= {"pdf", "docx"}
    for page in EXPECTED["page"]:
        for path in page.get("attachments", []):
            served = (WWW / path.lstrip("/")).is_file()
            assert served == (path not in page.get("attachments_missing", [])), path


@pytest.mark.parametrize("page_path, path", SERVED, ids=[p for _, p in SERVED])
def test_sample_site_attachment_text(page_path, path):
    body = (WWW / path.lstrip("/")).read_bytes()
    assert attachment_text(body, sniff_kind(body, path)).split("\n") == _ground_truth(page_path), (
        "stale attachment? run tests/extract/fixtures/attachments/make_fixtures.py, then python -m crawler.samples.gen demo"
    )


def test_notice_whose_body_is_its_attachment():
    pages = [p for p in EXPECTED["page"] if p.get("body_from_attachment")]
    assert len(pages) == 1
    page = pages[0]
    notice = EXPECTED["notice"][page["notice"]]
    assert notice["body_from_attachment"] and notice["attachment_text_file"] == page["attachment_text_file"]
    body = (SAMPLES / notice["text_file"]).read_text("utf-8").split("+++\n", 2)[2]
    attachment = "".join(_ground_truth(page["path"]))
    assert len(body) < 150 < 800 < len(attachment)
    assert page["attachments"][0].endswith(".docx")
