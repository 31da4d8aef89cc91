"""Where a version is decided: inside a document, is a page's text one it has, a copy
of one (site noise only), or a new version?"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, or_, select
from sqlalchemy.orm import Session

from crawler.items import PageRecord
from storage import neardup
from storage.authority import rank_of, text_rank
from storage.models import Capture, Document, Version, VersionBand
from storage.normalize import normalize_text
from storage.rows import insert_object
from storage.textdiff import edited_sentences, is_truncation


# Built once (see storage/identity.py): a document's versions by text hash, by a copy's
# text hash on a capture, all of them; whether a source or URL already gave it a text.
_BY_HASH = select(Version).where(Version.document_id == bindparam("doc"), Version.text_hash == bindparam("hash"))
_BY_COPY_HASH = (
    select(Version)
    .join(Capture, Capture.version_id == Version.id)
    .where(Version.document_id == bindparam("doc"), Capture.text_hash == bindparam("hash"))
    .limit(1)
)
_ALL_OF = select(Version).where(Version.document_id == bindparam("doc"))
_FROM_ORIGIN = (
    select(Capture.id)
    .join(Version, Version.id == Capture.version_id)
    .where(
        Version.document_id == bindparam("doc"),
        or_(
            Capture.source_id == bindparam("source"),
            Capture.url.in_(bindparam("urls", expanding=True)),
            Capture.final_url.in_(bindparam("urls", expanding=True)),
        ),
    )
    .limit(1)
)


def place_version(session: Session, doc: Document, page: PageRecord) -> tuple[Version, str]:
    """(the version the page's text is, "unchanged" | "new_version")."""
    version = session.scalar(_BY_HASH, {"doc": doc.id, "hash": page.text_hash})
    if version is None:
        version = session.scalar(_BY_COPY_HASH, {"doc": doc.id, "hash": page.text_hash})
    versions: list[Version] = []
    if version is None:
        versions = list(session.scalars(_ALL_OF, {"doc": doc.id}))
        version = _fuller_version(versions, page)
    if version is not None:
        seen(version, page.fetched_at)
        return version, "unchanged"
    if not _seen_from_same_origin(session, doc, page):
        copy_of = _closest_version(versions, page)
        if copy_of is not None:
            rank, best = rank_of(session, page.source_id), text_rank(session, copy_of)
            # Between sites of equal rank a rewritten sentence is a revision one of them
            # published, not noise; a lesser site's copy is taken for noise either way.
            if not (rank == best and edited_sentences(copy_of.text, page.extraction.text or "")):
                seen(copy_of, page.fetched_at)
                if rank > best:
                    _adopt_text(session, copy_of, page)
                return copy_of, "unchanged"
    return new_version(session, doc, page), "new_version"


def _fuller_version(versions: list[Version], page: PageRecord) -> Version | None:
    """The version this page's text is a truncation of (page 1 of 2 only, a preview):
    such a page is a sighting of that version and never replaces its fuller text."""
    if not page.normalized:
        return None
    best: Version | None = None
    for version in versions:
        full = normalize_text(version.text)
        if is_truncation(page.normalized, full) and (best is None or len(version.text) > len(best.text)):
            best = version
    return best


def _adopt_text(session: Session, version: Version, page: PageRecord) -> None:
    """Make a more authoritative copy's text the version's text.

    An aggregator may be archived before the government site; its copy of the text
    carries site noise. The version stays the same version (same wording); it is
    shown with the better source's text from then on. The earlier copy's own text
    hash stays on its captures, so the next crawl still recognizes it.
    """
    sig = page.signature
    version.text = page.extraction.text or ""
    version.text_hash = page.text_hash
    version.signature = sig.to_bytes() if sig else None
    version.signature_scheme = sig.scheme if sig else None
    session.execute(delete(VersionBand).where(VersionBand.version_id == version.id))
    add_bands(session, version, sig)


def _seen_from_same_origin(session: Session, doc: Document, page: PageRecord) -> bool:
    """Whether this source or this URL already gave the document a text.

    A different text from there is a real change; from elsewhere it may be a copy.
    """
    params = {"doc": doc.id, "source": page.source_id, "urls": sorted(page.urls)}
    return session.connection().execute(_FROM_ORIGIN, params).first() is not None


def _closest_version(versions: list[Version], page: PageRecord) -> Version | None:
    """The document's version this text is a copy of (site noise only), if any."""
    if page.signature is None:
        return None
    best: tuple[float, Version] | None = None
    for version in versions:
        if version.signature is None or version.signature_scheme != page.signature.scheme:
            continue
        other = neardup.MinHashSignature.from_bytes(version.signature, version.signature_scheme)
        score = page.signature.jaccard(other)
        if score >= neardup.COPY_THRESHOLD and (best is None or score > best[0]):
            best = (score, version)
    return best[1] if best else None


def new_version(session: Session, doc: Document, page: PageRecord) -> Version:
    sig = page.signature
    version = insert_object(
        session, Version,
        document_id=doc.id,
        text=page.extraction.text or "",
        text_hash=page.text_hash,
        signature=sig.to_bytes() if sig else None,
        signature_scheme=sig.scheme if sig else None,
        first_seen=page.fetched_at,
        last_seen=page.fetched_at,
        source_id=page.source_id,
    )
    add_bands(session, version, sig)
    return version


def add_bands(session: Session, version: Version, sig: neardup.MinHashSignature | None) -> None:
    # One Core executemany: twenty ORM objects per version cost more than their insert.
    if sig is not None:
        session.connection().execute(
            insert(VersionBand), [{"version_id": version.id, "band_no": no, "band_hash": h} for no, h in sig.bands()]
        )


def seen(version: Version, at: datetime) -> None:
    version.last_seen = max(version.last_seen, at)
    version.first_seen = min(version.first_seen, at)
