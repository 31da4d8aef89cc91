"""The item shapes that cross the boundaries: spider → pipeline (PageItem) and
pipeline → storage (PageRecord). Spiders, the pipeline and storage all import this
module; it imports none of them, only extraction's output type (README "One item path")."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.extract.model import AttachmentLink, Extraction

if TYPE_CHECKING:  # storage's types, named only: a spider must not load the archive
    from storage.neardup import MinHashSignature
    from storage.search_tokens import BodyTokens


@dataclass
class CapturedPart:
    """One fetched URL."""

    url: str
    final_url: str
    status: int
    body: bytes
    fetched_at: datetime
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None


@dataclass
class AttachmentFile:
    """A fetched attachment and what could be read from it."""

    part: CapturedPart
    kind: str
    name: str | None = None
    text: str = ""
    error: str | None = None
    # why, as a failure kind (crawler/vocab/failures.py): a crawl records too_large and
    # timeout against the attachment's URL; a file that is merely broken is only noted
    error_kind: str | None = None


@dataclass
class PageRecord:
    """One notice page as storage archives it: the fetched bytes, extraction's reading of
    them, and what storage derives from that reading before it touches the database.

    The derived values are filled by ``storage.prepared.prepare`` (in a crawl, by the
    extraction worker, so the archive writer only decides); ``ingest`` prepares a record
    that is not prepared yet (``text_hash`` None).
    """

    source_id: str
    source_kind: str  # one of crawler.vocab.sources.SOURCE_KINDS
    parts: list[CapturedPart]  # parts[0] is the page, the rest continuation pages
    extraction: Extraction
    attachments: list[AttachmentFile] = field(default_factory=list)
    # storage's derivations (storage/prepared.py)
    normalized: str = ""
    text_hash: str | None = None
    signature: MinHashSignature | None = None
    doc_number: str | None = None  # normalized
    is_draft: bool = False
    comparable: bool = False  # long enough for its text alone to name a document
    # The search index's tokens of this page's text; used when the document's current
    # text is this very text (see search_index.BodyTokens).
    body_tokens: BodyTokens | None = None

    @property
    def fetched_at(self) -> datetime:
        return self.parts[0].fetched_at

    @property
    def urls(self) -> set[str]:
        first = self.parts[0]
        return {first.url, first.final_url}


@dataclass
class PageLinks:
    """The 附件 links the spider read on a page, and the charset it decoded the page
    with: extraction reuses them instead of reading the page for them again, when it
    decodes the page the same way (link texts are file names)."""

    encoding: str | None
    links: list[AttachmentLink]


@dataclass
class PageItem:
    """A notice page as fetched: raw bytes, nothing parsed yet.

    ``parts[0]`` is the page itself; further parts are the continuation pages of a
    multi-page article, in reading order. ``attachments`` are the files (PDF, DOC…)
    the page links to, fetched raw. ``listing`` carries what the list page or API
    said about the notice (title, published_date, doc_number, agency) as hints for
    extraction when the page itself is silent.
    """

    source_id: str
    parts: list[CapturedPart]
    listing: dict[str, str] = field(default_factory=dict)
    attachments: list[CapturedPart] = field(default_factory=list)
    # A re-check the site answered 304 Not Modified: parts[0] has no body.
    not_modified: bool = False
    # what the spider found linked on parts[0]; None: not looked at
    page_links: PageLinks | None = None

    @property
    def url(self) -> str:
        return self.parts[0].url
