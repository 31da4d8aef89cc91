"""Where raw bytes are stored: the codec every capture and attachment body goes through."""
from __future__ import annotations

import zlib

RAW_CODEC = "zlib"


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress_raw(data: bytes, codec: str) -> bytes:
    """The raw bytes of a capture, as fetched."""
    if codec == "zlib":
        return zlib.decompress(data)
    raise ValueError(f"unknown raw codec {codec!r}")
