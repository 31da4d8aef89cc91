"""Snippets: a short window of a document's text around the first match, terms marked."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

BEFORE, WIDTH = 30, 120


@dataclass
class Snippet:
    text: str
    marks: list[tuple[int, int]] = field(default_factory=list)

    @property
    def marked(self) -> str:
        """The snippet HTML-escaped, with <mark>…</mark> around each match."""
        out, at = [], 0
        for start, end in self.marks:
            out.append(html.escape(self.text[at:start], quote=False))
            out.append("<mark>" + html.escape(self.text[start:end], quote=False) + "</mark>")
            at = end
        out.append(html.escape(self.text[at:], quote=False))
        return "".join(out)


def snippet(body: str, needles: list[str]) -> Snippet:
    """The window of ``body`` around the earliest match of any needle, with every match marked.

    Needles are the query's literal runs (already normalized, simplified); the text is
    searched case-insensitively. Without a match in the body (the title or 文号 matched),
    the opening of the text.
    """
    flat = " ".join(body.split())
    lower = flat.lower()
    first = min((p for n in needles if n and (p := lower.find(n)) >= 0), default=-1)
    start = max(0, first - BEFORE) if first >= 0 else 0
    window = flat[start : start + WIDTH]
    wlow = lower[start : start + WIDTH]
    spans: list[tuple[int, int]] = []
    for n in needles:  # longest first
        at = wlow.find(n) if n else -1
        while at >= 0:
            end = at + len(n)
            if not any(s < end and at < e for s, e in spans):
                spans.append((at, end))
            at = wlow.find(n, end)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + WIDTH < len(flat) else ""
    shift = len(prefix)
    return Snippet(prefix + window + suffix, sorted((s + shift, e + shift) for s, e in spans))
