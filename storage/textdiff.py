"""What changed between two texts of a notice, paragraph by paragraph, and inside a
changed paragraph sentence by sentence (split after 。；！？), so a reader sees the
sentence that was rewritten rather than a whole paragraph replaced. Pure: text in,
dicts out."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])")
# Paragraphs at least this alike are one paragraph edited, not one removed and one added.
_SAME_PARAGRAPH = 0.5


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s]


def _sentence_changes(old: str, new: str) -> list[dict[str, Any]]:
    a, b = sentences(old), sentences(new)
    out: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "equal", "text": "".join(a[i1:i2])})
        else:
            if i2 > i1:
                out.append({"op": "removed", "text": "".join(a[i1:i2])})
            if j2 > j1:
                out.append({"op": "added", "text": "".join(b[j1:j2])})
    return out


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def diff_texts(old: str, new: str) -> list[dict[str, Any]]:
    """One entry per paragraph of either text, in reading order.

    ``{"op": "equal" | "changed" | "added" | "removed", "old_no", "new_no" (1-based
    paragraph numbers or None), "text" (equal, added, removed) or "sentences" (changed:
    a list of {"op": "equal" | "removed" | "added", "text"})}``.
    """
    a, b = paragraphs(old), paragraphs(new)
    out: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend({"op": "equal", "old_no": i + 1, "new_no": j + 1, "text": a[i]}
                       for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        i, j = i1, j1
        while i < i2 or j < j2:
            if i < i2 and j < j2 and _similar(a[i], b[j]) >= _SAME_PARAGRAPH:
                out.append({"op": "changed", "old_no": i + 1, "new_no": j + 1,
                            "sentences": _sentence_changes(a[i], b[j])})
                i, j = i + 1, j + 1
            elif i < i2 and (j >= j2 or (i2 - i) >= (j2 - j)):
                out.append({"op": "removed", "old_no": i + 1, "new_no": None, "text": a[i]})
                i += 1
            else:
                out.append({"op": "added", "old_no": None, "new_no": j + 1, "text": b[j]})
                j += 1
    return out


def summary(entries: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"changed": 0, "added": 0, "removed": 0, "equal": 0}
    for e in entries:
        counts[e["op"]] += 1
    return counts


# --- the version rules' text tests (storage/versions.py) ---------------------------------

# A text at most this share of a fuller one, that reads as its beginning, is a truncation.
_TRUNCATED_SHARE = 0.95
_PREFIX_CONTAINMENT = 0.9
_SHINGLE = 5


def _shingles(s: str) -> set[str]:
    return {s[i:i + _SHINGLE] for i in range(max(1, len(s) - _SHINGLE + 1))}


def is_truncation(part: str, full: str) -> bool:
    """Whether normalized text ``part`` is ``full`` cut short: page 1 of 2 only, a preview.

    Its shingles lie in the beginning of the fuller text (site noise allowed: 90%), and
    it is clearly shorter. A text missing a paragraph in the middle is not a truncation:
    that is a revision.
    """
    if not part or len(part) > _TRUNCATED_SHARE * len(full):
        return False
    head = _shingles(full[: int(len(part) * 1.1) + 50])
    mine = _shingles(part)
    return len(mine & head) / len(mine) >= _PREFIX_CONTAINMENT


# Copies swap punctuation styles (。 → .), so the rule's sentences end at either form;
# a full stop between digits is a decimal point.
_ANY_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|(?<=(?<!\d)\.)|(?<=\.)(?!\d)")


def _norm_sentences(text: str) -> list[str]:
    from storage.normalize import normalize_text

    joined = unicodedata.normalize("NFKC", "".join(paragraphs(text)))
    return [n for n in (normalize_text(s) for s in _ANY_SENTENCE_END.split(joined)) if n]


def edited_sentences(old: str, new: str) -> list[tuple[str, str]]:
    """Sentences of ``old`` rewritten in ``new`` (old, new normalized), inside the body.

    Site noise adds or drops whole lines, mostly at the top and bottom (headers, ads,
    footers); an edit replaces a sentence with a similar but different one. Only the
    second is returned, so a copy with noise gives [] and a one-sentence revision does not.
    """
    a, b = _norm_sentences(old), _norm_sentences(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        for x in a[i1:i2]:
            best = max(b[j1:j2], key=lambda y: _similar(x, y))
            # A sentence that only gained or lost words at an end is a line of noise glued
            # to it (a header without a full stop, a footer), not a rewrite.
            if 0.5 <= _similar(x, best) < 1.0 and x not in best and best not in x:
                out.append((x, best))
    return out
