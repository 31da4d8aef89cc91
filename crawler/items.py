"""The one item shape that crosses the spider → pipeline boundary."""
from __future__ import annotations

from dataclasses import dataclass, field

from storage.ingest import CapturedPart


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

    @property
    def url(self) -> str:
        return self.parts[0].url
