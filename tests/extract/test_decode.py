import pytest

from crawler.extract.decode import codec_name, decode_html, looks_mojibake, meta_charset

NOTICE = "保山市人民政府办公室关于印发保山市大健康产业发展工作实施方案的通知。各县(市、区)人民政府，市直各委、办、局："
GBK_ONLY = "朱镕基同志视察医养结合机构，堃、喆、昇等字常见于人名。"  # 镕 喆 are not in GB2312


def page(body: str, meta: str | None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>通知</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    "label, expected",
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("gb_2312-80", "gb18030"),
        ("GB18030", "gb18030"),
        ("utf8", "utf-8"),
        ("UTF-8", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("big5", "big5hkscs"),
        ("utf-16", None),  # no BOM: the label was readable as ASCII, so it lies
        ("no-such-charset", None),
        ("", None),
        (None, None),
    ],
)
def test_codec_name(label, expected):
    assert codec_name(label) == expected


@pytest.mark.parametrize(
    "html, expected",
    [
        (b'<meta charset="gb2312">', "gb2312"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'>", "GBK"),
        (b'<meta content="text/html;charset=utf-8" http-equiv="Content-Type"/>', "utf-8"),
        (b'<?xml version="1.0" encoding="gb18030"?><html>', "gb18030"),
        (b"<html><head><title>x</title></head>", None),
    ],
)
def test_meta_charset(html, expected):
    assert meta_charset(html) == expected


@pytest.mark.parametrize(
    "raw, declared, meta, expected_codec",
    [
        # plain GBK page, declared both ways
        (page(NOTICE, "gb2312").encode("gb18030"), None, "gb2312", "gb18030"),
        (page(NOTICE, None).encode("gb18030"), "GBK", None, "gb18030"),
        # a GBK-only character behind a gb2312 label: read as GB18030, not replaced
        (page(GBK_ONLY, "gb2312").encode("gb18030"), "gb2312", "gb2312", "gb18030"),
        # UTF-8 bytes behind a lying <meta charset=gb2312>
        (page(NOTICE, "gb2312").encode("utf-8"), None, "gb2312", "utf-8"),
        # header says UTF-8, bytes and meta are GBK
        (page(NOTICE, "gbk").encode("gb18030"), "utf-8", "gbk", "gb18030"),
        # header says gbk (server default), page re-saved as UTF-8 with its meta updated
        (page(NOTICE, "utf-8").encode("utf-8"), "gbk", "utf-8", "utf-8"),
        # server default ISO-8859-1 over GBK bytes and no meta: detection must rescue it
        (page(NOTICE * 3, None).encode("gb18030"), "ISO-8859-1", None, "gb18030"),
        # whole Content-Type header value as the declaration
        (page(NOTICE, None).encode("gb18030"), "text/html; charset=GB2312", None, "gb18030"),
        # UTF-8 with BOM, no declaration
        (b"\xef\xbb\xbf" + page(NOTICE, None).encode("utf-8"), None, None, "utf-8"),
        # UTF-16 with BOM
        (b"\xff\xfe" + page(NOTICE, None).encode("utf-16-le"), None, None, "utf-16-le"),
    ],
)
def test_decode_html(raw, declared, meta, expected_codec):
    text, codec = decode_html(raw, declared)
    assert codec == expected_codec
    assert not looks_mojibake(text)
    assert "<html>" in text
    body = GBK_ONLY if GBK_ONLY.encode("gb18030") in raw else NOTICE
    assert body in text


def test_decode_ascii_page():
    assert decode_html(b"<html><body>hello</body></html>") == ("<html><body>hello</body></html>", "utf-8")


def test_decode_empty():
    assert decode_html(b"") == ("", "utf-8")


def test_decode_last_resort_never_raises():
    garbage = bytes(range(0x80, 0x100)) * 4
    text, codec = decode_html(garbage, "gb2312")
    assert isinstance(text, str) and codec


@pytest.mark.parametrize(
    "text, expected",
    [
        (NOTICE, False),
        (GBK_ONLY, False),
        ("各級人民政府應當加強醫療衛生服務體系建設，推進養老服務業發展。", False),  # traditional
        ("Les élèves de l'école préfèrent la crème brûlée à la française.", False),
        ("plain ascii text", False),
        ("", False),
        (NOTICE.encode("utf-8").decode("gb18030", "replace"), True),  # UTF-8 read as GBK
        (NOTICE.encode("utf-8").decode("latin-1"), True),  # UTF-8 read as Latin-1
        (NOTICE.encode("gb18030").decode("latin-1"), True),  # GBK read as Latin-1
        (NOTICE.encode("gb18030").decode("big5", "replace"), True),  # GBK read as Big5
        ("锟斤拷锟斤拷锟斤拷", True),
        ("医疗\ufffd\ufffd服务\ufffd", True),
        ("娌堥槼甯備汉姘戞斂搴", True),  # 沈阳市人民政府 as UTF-8 read as GBK, short
    ],
)
def test_looks_mojibake(text, expected):
    assert looks_mojibake(text) is expected
