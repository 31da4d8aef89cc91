"""The value objects extraction produces: plain data, no Scrapy, no database."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

# The topics a notice can serve (crawler/extract/classify.py holds their terms); the
# archive filters by them, so they belong to the output, not to the classifier.
TOPICS = ("health", "eldercare")



@dataclass(frozen=True)
class DocNumber:
    """One 文号 found in a page.

    ``normalized`` is the identity form (crawler.vocab.docnumber.normalize_doc_number);
    ``raw`` is the text exactly as the page wrote it.
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
    ``adoption`` (a law's "（…会议通过）" line), ``attachment`` (the attached file's
    name), ``letter`` (a title composed from the
    letter part "现将《X》印发…" and its 落款, where the page shows only X's title).
    """

    title: str | None = None
    text: str = ""
    doc_number: str | None = None
    doc_number_raw: str | None = None
    agency: str | None = None
    # the issuer's short form where a source of the page gives one (发布机构 市住建局) and
    # ``agency`` holds the full name another gives (the 落款, the title)
    agency_short: str | None = None
    signed_date: date | None = None
    published_date: date | None = None
    index_number: str | None = None
    category: str | None = None
    region: str | None = None
    doc_type: str | None = None
    status: str | None = None  # draft | repealed | trial | interim | None
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
