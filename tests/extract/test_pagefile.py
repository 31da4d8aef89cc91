"""Saved files for `extract`: pages, text files (UTF-16/32 with a BOM too), attachments."""
import codecs

import pytest

from crawler.extract.decode import decode_html
from crawler.cli.pagefile import NotAPageError, read_input

TEXT = "关于做好老年人健康管理工作的通知\n各区卫生健康局：\n现将有关事项通知如下。"


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_wide_text_files_with_a_bom_are_read(tmp_path, bom, codec):
    path = tmp_path / "notice.txt"
    path.write_bytes(bom + TEXT.encode(codec))
    kind, body = read_input(path)
    html, _ = decode_html(body)
    assert kind == "html"
    assert "<p>各区卫生健康局：</p>" in html and "<title>关于做好老年人健康管理工作的通知</title>" in html


def test_a_wide_html_page_keeps_its_bytes(tmp_path):
    raw = codecs.BOM_UTF16_LE + f"<html><body><p>{TEXT}</p></body></html>".encode("utf-16-le")
    path = tmp_path / "page.htm"
    path.write_bytes(raw)
    assert read_input(path) == ("html", raw)


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"%PDF-1.4\n", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le"), "doc"),
    ],
)
def test_attachments_come_back_with_their_kind(tmp_path, body, kind):
    path = tmp_path / "file.bin"
    path.write_bytes(body)
    assert read_input(path) == (kind, body)


def test_images_are_refused(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(NotAPageError, match="PNG image"):
        read_input(path)
