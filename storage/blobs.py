"""Where raw bytes are stored: the content-addressed blob table (sha256 → compressed bytes).

Every capture and attachment body goes through ``store``; the first writer of a body
writes it, every later one only points at it. Two pages that share no identity lock can
carry the same body (one PDF linked from two notices), so the write is one INSERT … ON
CONFLICT DO NOTHING: never a unique violation, whoever commits first.
Core statements, not ORM objects: a blob is written once and never read back in the
transaction that writes it, so the unit of work would only cost time.
"""
from __future__ import annotations

import zlib
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select

from storage.normalize import sha256_hex
from storage.tables import blob
from storage.upsert import dialect_insert

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

RAW_CODEC = "zlib"


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress_raw(data: bytes, codec: str) -> bytes:
    """Bytes as fetched, from their stored form."""
    if codec == "zlib":
        return zlib.decompress(data)
    raise ValueError(f"unknown raw codec {codec!r}")


_KNOWN = select(blob.c.sha256).where(blob.c.sha256 == bindparam("digest"))


@cache
def _insert(dialect: str):
    return dialect_insert(dialect, blob).on_conflict_do_nothing(index_elements=[blob.c.sha256])


def store(session: Session, data: bytes) -> str:
    """Keep ``data`` once; its sha256 (hex), the key captures and attachments point with."""
    digest = sha256_hex(data)
    conn = session.connection()
    # Most bodies are known (a page fetched again): looked up first, so they are not compressed.
    if conn.execute(_KNOWN, {"digest": digest}).first() is None:
        conn.execute(_insert(conn.dialect.name),
                     {"sha256": digest, "codec": RAW_CODEC, "size": len(data), "data": compress(data)})
    return digest


def load(session: Session | Connection, digest: str) -> bytes | None:
    row = session.execute(select(blob.c.data, blob.c.codec).where(blob.c.sha256 == digest)).first()
    return decompress_raw(row.data, row.codec) if row else None
