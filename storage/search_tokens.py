"""Chinese text as search tokens: overlapping character bigrams (the CJK analyzer's approach).

One tokenizer for both backends and both sides (documents and queries), so a query's
tokens line up with a document's: FTS5 (unicode61 over the space-separated tokens made
here) and PostgreSQL (a 'simple' tsvector of the same tokens) only ever see bigrams.

- A run of CJK characters gives its overlapping bigrams (医养结合 → 医养 养结 结合); a run of
  one character gives that character.
- A run of letters or digits is one token (2019, covid).
- Everything else (punctuation, brackets, spaces) separates runs.
- Single characters are also kept per document as the set of distinct characters (the
  ``chars`` column), so a one-character query is an index lookup, not a scan.
Text is NFKC-normalized and case-folded first, the way 文号 and texts are normalized elsewhere.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from operator import add
import unicodedata

# CJK Unified Ideographs, Extension A, compatibility ideographs, and the supplementary planes.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
MAX_WORD = 64


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# Words whose characters, read across the word boundary, spell another term: 中医|保健 is
# not 医保, 保护|理念 not 护理. The bigram at the given offset is not indexed (nor searched,
# as a query is tokenized the same way). A kept list, for the terms researchers search by.
FALSE_BIGRAMS = {
    "中医保健": 1, "中医保护": 1, "中医保险": 1, "西医保守": 1,
    "保护理": 1, "营养老": 1, "养老年金": 1, "医疗养老": 1,
}
_FALSE_RE = re.compile("|".join(sorted(map(re.escape, FALSE_BIGRAMS), key=len, reverse=True)))


def runs(text: str) -> list[tuple[bool, str]]:
    """(is_cjk, run) for each run of ``text`` (already normalized): CJK, or letters and digits."""
    return [(m.group(1) is not None, m.group(0)) for m in _RUN.finditer(text)]


def tokens(text: str | None) -> list[str]:
    """The token stream of a document field (or of a query term)."""
    if not text:
        return []
    return _tokens_of(normalize(text))[0]


def _tokens_of(text: str) -> tuple[list[str], list[str]]:
    """(the tokens, the CJK runs) of an already normalized text."""
    skip = {m.start() + FALSE_BIGRAMS[m.group(0)] for m in _FALSE_RE.finditer(text)}
    out: list[str] = []
    cjk: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        if m.group(1) is None:
            if len(run) <= MAX_WORD:  # longer is no word (base64, a pasted hash)
                out.append(run)
            continue
        cjk.append(run)
        if len(run) == 1:
            out.append(run)
        elif skip:
            at = m.start()
            out.extend(run[i : i + 2] for i in range(len(run) - 1) if at + i not in skip)
        else:
            # run[i] + run[i + 1] for each i, iterated in C: a body's bigrams are most of
            # what a worker spends on tokens
            out.extend(map(add, run, run[1:]))
    return out, cjk


def token_string(text: str | None) -> str:
    return " ".join(tokens(text))


def distinct_chars(*texts: str | None) -> str:
    """The distinct CJK characters of the texts, space-separated (the one-character index)."""
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            seen.update(dict.fromkeys(_CJK_CHAR.findall(normalize(text))))
    return " ".join(seen)


@dataclass(frozen=True)
class BodyTokens:
    """A body's index tokens, computed ahead of the write, with the hash of the body they are of."""

    body_hash: str
    tokens: str
    chars: tuple[str, ...]  # its distinct CJK characters, in first-seen order


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def body_tokens(body: str, normalized: str | None = None) -> BodyTokens:
    """``normalized``: ``normalize(body)``, when the caller has it already (storage/prepared.py)."""
    out, cjk = _tokens_of(normalize(body) if normalized is None else normalized)
    # Every CJK character of the text is in one of its CJK runs, in the same order:
    # the same as distinct_chars(body), without a second pass over the text.
    return BodyTokens(body_hash(body), " ".join(out), tuple(dict.fromkeys("".join(cjk))))


def is_cjk_char(ch: str) -> bool:
    return bool(_CJK_CHAR.fullmatch(ch))


REGION_PREFIX, AGENCY_PREFIX = "r", "a"


def field_tokens(prefix: str, text: str | None) -> str:
    """A filter field's tokens, prefixed (r辽宁, a民政) so a search term never matches them."""
    return " ".join(prefix + t for t in tokens(text))


def tag(kind: str, value: str) -> str:
    """A filter value as one index token (letters and digits only, whatever the value)."""
    return kind + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]
