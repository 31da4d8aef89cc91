"""What ingest derives from a page record before it touches the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.items import PageRecord
from crawler.vocab.docnumber import normalize_doc_number
from crawler.vocab.sources import SOURCE_KINDS
from storage import neardup
from storage import search_tokens
from storage.normalize import normalize_text, sha256_hex


@dataclass
class PreparedPage:
    record: PageRecord
    normalized: str
    text_hash: str
    signature: neardup.MinHashSignature | None
    doc_number: str | None
    is_draft: bool
    # The search index's tokens of this page's text, made where the page is prepared (a
    # worker process in a crawl) so the archive writer only looks them up; used when the
    # document's current text is this very text. See search_index.BodyTokens.
    body_tokens: "search_tokens.BodyTokens | None" = None

    @property
    def fetched_at(self) -> datetime:
        return self.record.parts[0].fetched_at

    @property
    def urls(self) -> set[str]:
        first = self.record.parts[0]
        return {first.url, first.final_url}

    @property
    def comparable(self) -> bool:
        """Long enough for its text alone to name a document."""
        return len(self.normalized) >= neardup.MIN_CHARS


def prepare(record: PageRecord) -> PreparedPage:
    if not record.parts:
        raise ValueError("a page record needs at least one captured part")
    if record.source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {', '.join(SOURCE_KINDS)}, not {record.source_kind!r}")
    ex = record.extraction
    normalized = normalize_text(ex.text or "")
    signature = neardup.minhash_signature(normalized)
    if signature is not None:
        signature.bands()  # made here, where the page is prepared (see MinHashSignature.bands)
    return PreparedPage(
        record=record,
        normalized=normalized,
        text_hash=sha256_hex(normalized.encode("utf-8")),
        signature=signature,
        doc_number=normalize_doc_number(ex.doc_number),
        is_draft=ex.status == "draft",
        body_tokens=search_tokens.body_tokens(ex.text or ""),
    )
