"""Where raw bytes are stored: the content-addressed blob table (sha256 → compressed bytes).

Every capture and attachment body goes through ``store``; the first writer of a body
writes it, every later one only points at it. Ingest runs one transaction at a time
per archive, so "is it there? else insert" cannot race.
"""
from __future__ import annotations

import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Blob
from storage.normalize import sha256_hex

RAW_CODEC = "zlib"


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress_raw(data: bytes, codec: str) -> bytes:
    """Bytes as fetched, from their stored form."""
    if codec == "zlib":
        return zlib.decompress(data)
    raise ValueError(f"unknown raw codec {codec!r}")


def store(session: Session, data: bytes) -> str:
    """Keep ``data`` once; its sha256 (hex), the key captures and attachments point with."""
    digest = sha256_hex(data)
    if session.get(Blob, digest) is None:
        session.add(Blob(sha256=digest, codec=RAW_CODEC, size=len(data), data=compress(data)))
        # Flushed now: a second part with the same bytes in this page must find it.
        session.flush()
    return digest


def load(session: Session, digest: str) -> bytes | None:
    row = session.execute(select(Blob.data, Blob.codec).where(Blob.sha256 == digest)).first()
    return decompress_raw(row.data, row.codec) if row else None
