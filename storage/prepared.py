"""What storage derives from a page record before it touches the database: the normalized
text, its hash, the MinHash signature, the normalized 文号 and the search tokens."""
from __future__ import annotations

from dataclasses import replace

from crawler.items import PageRecord
from crawler.vocab.docnumber import normalize_doc_number
from crawler.vocab.sources import SOURCE_KINDS
from storage import neardup
from storage import search_tokens
from storage.normalize import drop_noise, sha256_hex


def is_prepared(record: PageRecord) -> bool:
    return record.text_hash is not None


def prepare(record: PageRecord) -> PageRecord:
    """The record with storage's derivations filled in (a copy; ``record`` is left as it is)."""
    if not record.parts:
        raise ValueError("a page record needs at least one captured part")
    if record.source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {', '.join(SOURCE_KINDS)}, not {record.source_kind!r}")
    ex = record.extraction
    folded = search_tokens.normalize(ex.text or "")  # NFKC and case-folded, once for both forms
    normalized = drop_noise(folded)
    signature = neardup.minhash_signature(normalized)
    if signature is not None:
        signature.bands()  # made here, where the page is prepared (see MinHashSignature.bands)
    return replace(
        record,
        normalized=normalized,
        text_hash=sha256_hex(normalized.encode("utf-8")),
        signature=signature,
        doc_number=normalize_doc_number(ex.doc_number),
        is_draft=ex.status == "draft",
        comparable=len(normalized) >= neardup.MIN_CHARS,
        body_tokens=search_tokens.body_tokens(ex.text or "", folded),
    )
