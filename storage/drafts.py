"""Linking a final to its draft (征求意见稿) when the text alone cannot: a final is often
rewritten far past any near-duplicate threshold. Same title stem, compatible agency,
the draft not later than the final; text similarity supports a weaker title match."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from crawler.vocab.status import DRAFT
from storage import neardup
from storage.models import Document, Version

_DRAFT_MARK = re.compile(rf"[(\[【]?(?:公开)?(?:{DRAFT})[)\]】]?")
_WRAPPER = re.compile(r"^.*?关于(?:公开征求|征求)?(?:印发)?")
_TAIL = re.compile(r"(?:意见建议|意见)?的(?:通知|公告|函|意见|决定)$")
_QUOTED = re.compile(r"《([^》]+)》")
# Stems at least this alike name one policy; with the texts' support, a weaker match will do.
STEM_MATCH = 0.8
STEM_WITH_TEXT = 0.6
TEXT_SUPPORT = 0.3
# Drafts considered per final (the newest first): enough for any one agency's pipeline.
MAX_DRAFTS = 500


def title_stem(title: str | None) -> str:
    """The policy a title names, without the draft marker and the 关于印发…的通知 wrapper."""
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", title)
    quoted = _QUOTED.findall(t)
    t = quoted[-1] if quoted else _TAIL.sub("", _WRAPPER.sub("", t))
    t = _DRAFT_MARK.sub("", t)
    return re.sub(r"[\s\W_]+", "", t)


def _compatible(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b


def find_draft_partner(session: Session, doc: Document, page: PageRecord) -> Document | None:
    """For a final, its draft; for a draft, its final; None when nothing fits."""
    ex = page.extraction
    stem = title_stem(ex.title or doc.title)
    if len(stem) < 6:
        return None
    want_draft = not page.is_draft
    agency = ex.agency or doc.agency
    best: tuple[float, int] | None = None
    for other in _candidates(session, doc, want_draft, agency):
        if not (_compatible(other.agency, agency) and _compatible(other.region, ex.region or doc.region)):
            continue
        draft_date, final_date = (other.published_date, ex.published_date) if want_draft else (
            ex.published_date, other.published_date)
        if draft_date and final_date and draft_date > final_date:
            continue
        ratio = SequenceMatcher(None, stem, title_stem(other.title), autojunk=False).ratio()
        if ratio < STEM_WITH_TEXT:
            continue
        if ratio < STEM_MATCH and _text_similarity(session, other, page) < TEXT_SUPPORT:
            continue
        if best is None or ratio > best[0]:
            best = (ratio, other.id)
    return session.get(Document, best[1]) if best else None


# A candidate is read as a row of the columns the match needs, not as a Document: up to
# 2 × MAX_DRAFTS of them per page, and only the one that fits becomes an object.
_CANDIDATE_COLUMNS = (Document.id, Document.title, Document.agency, Document.region,
                      Document.published_date, Document.current_version_id)


def _walks(want_draft: bool, by_agency: bool) -> list[Any]:
    stmt = select(*_CANDIDATE_COLUMNS).where(Document.id < bindparam("below"), Document.title.is_not(None))
    if want_draft:
        stmt = stmt.where(Document.status == "draft")
    else:
        stmt = stmt.where(Document.draft_of_id.is_(None), (Document.status != "draft") | Document.status.is_(None))
    groups = [Document.agency == bindparam("agency"), Document.agency.is_(None)] if by_agency else [None]
    return [(stmt if g is None else stmt.where(g)).order_by(Document.id.desc()).limit(MAX_DRAFTS) for g in groups]


# The candidate walks, built once: {(want a draft, by agency): [statements]}.
_WALKS = {(d, a): _walks(d, a) for d in (True, False) for a in (True, False)}
_VERSION_SIGNATURE = select(Version.signature, Version.signature_scheme).where(Version.id == bindparam("id"))


def _candidates(session: Session, doc: Document, want_draft: bool, agency: str | None) -> list[Any]:
    """The newest MAX_DRAFTS documents of the other kind whose agency is this one's or
    unknown, newest first. Each query walks one index (status/agency, then id) from the
    newest row and stops after MAX_DRAFTS, so the search costs the same in any archive;
    the agency and no agency are two walks, merged, not an OR that would need a sort."""
    conn = session.connection()
    found: list[Any] = []
    for walk in _WALKS[want_draft, agency is not None]:
        found.extend(conn.execute(walk, {"below": doc.id, "agency": agency}))
    found.sort(key=lambda d: d.id, reverse=True)
    return found[:MAX_DRAFTS]


def _text_similarity(session: Session, other: Any, page: PageRecord) -> float:
    if page.signature is None or other.current_version_id is None:
        return 0.0
    row = session.connection().execute(_VERSION_SIGNATURE, {"id": other.current_version_id}).first()
    if row is None or row.signature is None or row.signature_scheme != page.signature.scheme:
        return 0.0
    return page.signature.jaccard(neardup.MinHashSignature.from_bytes(row.signature, row.signature_scheme))
