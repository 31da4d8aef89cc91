"""Text normalization, and the hashes built on it (a 文号's identity form is
crawler/vocab/docnumber.py's, shared with extraction and search).

The normalized text is an identity form, never shown to anyone: two copies of one
notice that differ only in what sites do to text (line breaks, indentation, full- or
half-width forms, punctuation style, invisible characters) normalize to the same string
and therefore the same hash.
"""
from __future__ import annotations

import hashlib
import unicodedata

# Unicode categories dropped from the identity form: separators (Z*), control and
# format characters (Cc, Cf: also the zero-width spaces and joiners, the BOM, soft
# hyphens and word joiners sites sprinkle into text), and all punctuation (P*). Punctuation is dropped rather
# than unified because sites disagree on it in too many ways ("、" vs ",", 《》 vs “”,
# full stops lost at line ends) for a mapping table to stay complete.
_DROPPED_CATEGORIES = ("Z", "Cc", "Cf", "P")


class _DropTable(dict):
    """A str.translate table that learns each character once: dropped ones map to None,
    kept ones to themselves. After the first texts translate runs at C speed, where a
    per-character category test in Python was most of ingest's preparation time."""

    def __missing__(self, code: int) -> int | None:
        ch = chr(code)
        keep = not ch.isspace() and not unicodedata.category(ch).startswith(_DROPPED_CATEGORIES)
        self[code] = value = code if keep else None
        return value


_DROP = _DropTable()


def normalize_text(text: str) -> str:
    """The identity form of a notice's text: NFKC, case-folded, no whitespace or punctuation."""
    return drop_noise(unicodedata.normalize("NFKC", text).casefold())


def drop_noise(folded: str) -> str:
    """``normalize_text`` of a text already NFKC-normalized and case-folded (the search
    tokens' form of it: a page's preparation folds its text once for both)."""
    return folded.translate(_DROP)


def text_hash(text: str) -> str:
    """sha256 (hex) of the normalized text: equal for copies that differ only by site noise."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
