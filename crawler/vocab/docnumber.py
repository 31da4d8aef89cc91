"""The 文号 grammar, written once: the brackets sites put around the year, the year and
serial forms, the endings of an issuer's name, the compiled tails of the three forms, and
the identity form every layer keys documents by.

A 文号 is 机关代字 + 〔year〕 + serial + 号 (国办发〔2019〕4号), an order number (国令第706号)
or an announcement number (国家医保局公告2021年第2号). Extraction finds them in pages,
search recognises one in a query, the boilerplate filter keeps a header line that holds
one, and the sample renderer writes them; all of them read the patterns below, so a
bracket a site uses is either understood everywhere or nowhere.
"""
from __future__ import annotations

import re
import unicodedata

# Every bracket pair sites put around a 文号's year: 〔〕 is the standard (GB/T 9704);
# the rest are what editors and converters type instead, full- and half-width.
OPEN_BRACKETS = "〔[［【(（﹝〖{｛"
CLOSE_BRACKETS = "〕]］】)）﹞〗}｝"
# The identity form's pair.
YEAR_OPEN, YEAR_CLOSE = "〔", "〕"


def _char_class(chars: str) -> str:
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


OPEN = _char_class(OPEN_BRACKETS)
CLOSE = _char_class(CLOSE_BRACKETS)
# The openers a title does not use for its own words ("(试行)" does use the round ones):
# one of them in a short line is a number's, not a title's.
NUMBER_OPEN = _char_class(OPEN_BRACKETS.replace("(", "").replace("（", ""))
# Digits as pages write them; NFKC makes the full-width ones ASCII in the identity form.
DIGIT = "[0-9０-９]"
# Blanks inside a number, as pages and converters write them. Never a line break: a
# 文号 stands on one line, and a break between its parts is two lines of text.
SP = r"[ \t\u3000\xa0]"
YEAR = rf"[12１２]{DIGIT}{{3}}"
SERIAL = rf"{DIGIT}{{1,6}}"
# Characters an editor or converter leaves in text without showing them (zero-width space,
# non-joiner, joiner, byte-order mark): no part of any 文号 or title.
ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff]"

# A year in brackets: 〔2015〕, [2015], （ 2015 ）.
YEAR_IN_BRACKETS = re.compile(rf"{OPEN}{SP}*(?P<year>{YEAR}){SP}*{CLOSE}")
# The bracket form's tail: 〔2015〕31号, 〔2013〕第40号. The 机关代字 before it is found by
# the reader (extraction walks back over the sentence).
BRACKET_TAIL = re.compile(
    rf"{YEAR_IN_BRACKETS.pattern}{SP}*(?:第{SP}*)?(?P<serial>{SERIAL}){SP}*号"
)
# An order's tail: 国令第706号, 国家卫生健康委员会令第2号.
ORDER_TAIL = re.compile(rf"令{SP}*第{SP}*(?P<serial>{SERIAL}){SP}*号")
# An announcement's tail: 国家医保局公告2021年第2号; some issuers leave out the 第
# (国家税务总局公告2018年31号), which names the same announcement.
NOTICE_TAIL = re.compile(
    rf"(?P<kind>公告|通告){SP}*(?P<year>{YEAR}){SP}*年{SP}*(?:第{SP}*)?(?P<serial>{SERIAL}){SP}*号"
)
# The three forms, in the order extraction reports them.
TAILS = (BRACKET_TAIL, ORDER_TAIL, NOTICE_TAIL)

# Endings of the issuer's name before 令 / 公告 (国令, 民政部令, 国家医保局公告).
ISSUER_ENDS = ("国", "院", "部", "委", "会", "局", "署", "行", "府", "席", "厅", "办", "室")


def has_doc_number(text: str) -> bool:
    """Whether ``text`` holds a 文号's tail in any of the three forms."""
    return any(tail.search(text) for tail in TAILS)


# The identity form is part of the output: the archive keys documents by it, and a
# user's lookup must normalize the same way.
def normalize_doc_number(raw: str | None) -> str | None:
    """The identity form of a 文号: NFKC, 〔〕 around the year, no whitespace (nor
    zero-width characters), no zero padding, 第 in every announcement's serial, joint
    issuers run together; None for an empty one.

    Only the brackets around a year are rewritten, so "(试行)" survives. Orders lose the
    state prefix (中华人民共和国国务院令 → 国令) so every copy of one order matches, and a
    user's lookup (国务院令第706号) finds 国令第706号.
    """
    if raw is None:
        return None
    s = unicodedata.normalize("NFKC", raw)
    s = re.sub(ZERO_WIDTH + r"|\s+", "", s)
    # Joint issuers stand one space apart (财政部 税务总局公告…) or, on some pages, 、 apart:
    # both name the same number. No single issuer's 代字 holds a 、.
    s = s.replace("、", "")
    s = YEAR_IN_BRACKETS.sub(rf"{YEAR_OPEN}\g<year>{YEAR_CLOSE}", s)
    s = re.sub(rf"{YEAR_CLOSE}第(?=[0-9])", YEAR_CLOSE, s)
    s = re.sub(r"(公告|通告)([0-9]{4})年(?=[0-9])", r"\1\2年第", s)
    s = re.sub(rf"({YEAR_CLOSE}|第)0+(?=[0-9])", r"\1", s)
    s = re.sub(r"^中华人民共和国(?=.+令第)", "", s)
    s = re.sub(r"^国务院令第", "国令第", s)
    return s or None

