"""The extractors we compare against, run as a plain user would run them: bare trafilatura
(its defaults, its own decoding) and GNE (GeneralNewsExtractor, made for Chinese news pages).

Each takes a page's bytes and gives ``(text, fields)``, ``fields`` holding only what that
extractor produces (title and publication date); everything else of ours is not theirs to
score. Neither sees our decoder: trafilatura decodes the bytes itself and GNE gets the
same plain decoding (``trafilatura.utils.decode_file``), so a page that only our decoder
gets right counts for us.
"""
from __future__ import annotations

import re
from datetime import date

BASELINE_FIELDS = ("title", "published_date")

_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def _as_date(value: object) -> date | None:
    m = _DATE.search(str(value or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _plain_decode(body: bytes) -> str:
    from trafilatura.utils import decode_file

    return decode_file(body)


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def trafilatura_text(html: str | bytes, url: str | None = None) -> str:
    """trafilatura with its defaults on the whole page: the baseline body."""
    import trafilatura

    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return ""
    return _lines(trafilatura.extract(html, url=url) or "")


def trafilatura_bare(bodies: list[bytes], url: str | None = None) -> tuple[str, dict]:
    """Bare trafilatura on a page (and its continuation pages): body text, title, date."""
    import trafilatura

    text = "\n".join(trafilatura_text(body, url) for body in bodies)
    meta = trafilatura.extract_metadata(_plain_decode(bodies[0]), default_url=url) if bodies[0].strip() else None
    fields = {
        "title": (meta.title or None) if meta else None,
        "published_date": _as_date(meta.date) if meta else None,
    }
    return text, fields


def gne_extract(bodies: list[bytes], url: str | None = None) -> tuple[str, dict]:
    """GNE with its defaults on a page (and its continuation pages)."""
    from gne import GeneralNewsExtractor

    texts, fields = [], {"title": None, "published_date": None}
    for i, body in enumerate(bodies):
        found = GeneralNewsExtractor().extract(_plain_decode(body))
        texts.append(_lines(found.get("content") or ""))
        if i == 0:
            fields = {"title": found.get("title") or None, "published_date": _as_date(found.get("publish_time"))}
    return "\n".join(texts), fields
