"""The value objects extraction produces: plain data, no Scrapy, no database."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

# The topics a notice can serve (crawler/extract/classify.py holds their terms); the
# archive filters by them, so they belong to the output, not to the classifier.
TOPICS = ("health", "eldercare")


# The identity form is part of the output: the archive keys documents by it, and a
# user's lookup must normalize the same way, so storage imports it from here.
def normalize_doc_number(raw: str) -> str:
    """The identity form of a 文号: NFKC, 〔〕 around the year, no whitespace, no zero padding.

    Only the brackets around a four-digit year are rewritten, so "(试行)" survives. Orders
    lose the state prefix (中华人民共和国国务院令 → 国令) so every copy of one order matches.
    """
    s = unicodedata.normalize("NFKC", raw)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[〔\[【(〖{﹝［（]([0-9]{4})[〕\]】)〗}﹞］）]", r"〔\1〕", s)
    s = re.sub(r"〕第(?=[0-9])", "〕", s)
    s = re.sub(r"(〕|第)0+(?=[0-9])", r"\1", s)
    s = re.sub(r"^中华人民共和国(?=.+令第)", "", s)
    s = re.sub(r"^国务院令第", "国令第", s)
    return s



@dataclass(frozen=True)
class DocNumber:
    """One 文号 found in a page.

    ``normalized`` is the identity form (NFKC, 〔〕 around the year, no spaces, serial
    without zero padding); ``raw`` is the text exactly as the page wrote it.
    """

    raw: str
    normalized: str
    start: int = -1  # offset in the text it was found in, -1 when not from running text
    end: int = -1


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str
    kind: str  # pdf | doc | docx | wps | xls | xlsx | ofd | other


@dataclass
class Extraction:
    """Everything a page tells us about the notice it carries.

    ``provenance`` maps a field name to where its value came from:
    ``table`` (信息公开 metadata table), ``header`` (the line block under the title or an
    aggregator's 来源/时间 header), ``signature`` (落款 at the end), ``title``, ``text``,
    ``meta`` (an HTML <meta>), ``listing`` (the list page or API), ``url``,
    ``adoption`` (a law's "（…会议通过）" line), ``letter`` (a title composed from the
    letter part "现将《X》印发…" and its 落款, where the page shows only X's title).
    """

    title: str | None = None
    text: str = ""
    doc_number: str | None = None
    doc_number_raw: str | None = None
    agency: str | None = None
    signed_date: date | None = None
    published_date: date | None = None
    index_number: str | None = None
    category: str | None = None
    region: str | None = None
    doc_type: str | None = None
    status: str | None = None  # draft | trial | interim | None
    topics: list[str] = field(default_factory=list)
    topic_terms: dict[str, list[str]] = field(default_factory=dict)
    cited_doc_numbers: list[str] = field(default_factory=list)
    attachments: list[AttachmentLink] = field(default_factory=list)
    encoding: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def on_topic(self) -> bool:
        return bool(self.topics)

    def to_dict(self) -> dict:
        d = asdict(self)
        for key in ("signed_date", "published_date"):
            value = getattr(self, key)
            d[key] = value.isoformat() if value else None
        return d
