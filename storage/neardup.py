"""Near-duplicate signatures: MinHash over character shingles, with LSH bands.

The bands are stored in the database (VersionBand) rather than in an in-memory
MinHashLSH, which needs hundreds of MiB at a few hundred thousand documents. A lookup
is an indexed query for any version sharing a band; candidates are then verified by
the Jaccard estimate of the full signatures.

Tuning, measured on the five seed pages (copies made by re-wrapping lines, adding an
aggregator's header and footer, keeping a site's whole page chrome, and cutting a
document-sharing preview to 85%): with character 5-grams copies score 0.85-1.00 (exact
Jaccard) and unrelated notices on the same topic at most 0.022; 3-grams score the same
copies no higher but lift the unrelated pairs to 0.06. Templated notices (the same
annual 通知 year after year) can score far higher than unrelated ones; they usually
carry different 文号, and a page with a 文号 never joins a document with another one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from operator import methodcaller

import numpy as np

SHINGLE_SIZE = 5
NUM_PERM = 128
SEED = 1
# datasketch 2.0's "affine32" permutation scheme (computed by _minhash below); the name
# is part of SCHEME, so signatures of any other scheme never compare with these.
HASH_SCHEME = "affine32"
# 20 bands of 6 rows: a pair at Jaccard 0.8 shares a band with probability 0.998,
# a pair at 0.3 with 0.015. Rows 120..127 serve only the Jaccard estimate.
BANDS = 20
ROWS = 6
SCHEME = f"minhash-{HASH_SCHEME}-sha1_32-p{NUM_PERM}-s{SEED}-c{SHINGLE_SIZE}-nfkc_nopunct"

# Below this many normalized characters a text says too little to name a document by
# itself: two different notices whose page reads only "详见附件" must not merge, and
# every empty page would "match" every other one.
MIN_CHARS = 60

# A page without its own 文号 joins a document whose text it matches this well.
MATCH_THRESHOLD = 0.8
# Inside a document, a text from another source this close to a version is the same
# text with site noise (a copy), not a new version.
COPY_THRESHOLD = 0.9

_DTYPE = np.dtype("<u4")
_BLOCK = 4096


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations (a odd, b) of datasketch's "affine32" scheme for SEED.

    The scheme is computed here, with numpy alone, rather than by datasketch.MinHash:
    importing datasketch imports its whole package (LSH with scipy, redis clients:
    ~45 MB) into every extraction worker for one small function. The signatures are the
    same bit for bit (tests/storage/test_storage_neardup.py checks them against
    datasketch), so stored signatures stay comparable.
    """
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the scheme's pre-mix of each input hash."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_DIGEST = methodcaller("digest")


def _minhash(items: set[bytes]) -> np.ndarray:
    """Per permutation, the least a*h+b (mod 2**32) over the items' 32-bit SHA-1 hashes
    (the first four digest bytes, little-endian)."""
    # Whole digests joined, their first words picked by numpy: no Python slice per item.
    # The SHA-1 calls themselves are most of a signature's cost, and stay (the hash is
    # part of the scheme: stored signatures must keep comparing).
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, items)))
    hashes = _fmix32(np.frombuffer(digests, dtype="<u4")[::5])
    a, b = _permutations()
    least = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    # In blocks: a long text's whole table (shingles x permutations) would be tens of MB.
    for start in range(0, len(hashes), _BLOCK):
        table = np.multiply.outer(hashes[start : start + _BLOCK], a)
        table += b
        np.minimum(least, table.min(axis=0), out=least)
    return least


@dataclass(frozen=True)
class MinHashSignature:
    """A text's MinHash values (not the 落款 signature block of crawler/extract/signature.py)."""

    values: np.ndarray
    scheme: str = SCHEME

    def to_bytes(self) -> bytes:
        return self.values.astype(_DTYPE).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, scheme: str) -> "MinHashSignature":
        return cls(np.frombuffer(data, dtype=_DTYPE).copy(), scheme)

    def jaccard(self, other: "MinHashSignature") -> float:
        """Estimated Jaccard similarity; signatures of different schemes never compare."""
        if other.scheme != self.scheme or len(other.values) != len(self.values):
            raise ValueError(f"signature schemes differ: {self.scheme!r} vs {other.scheme!r}")
        return float(np.count_nonzero(self.values == other.values)) / len(self.values)

    def bands(self) -> list[tuple[int, int]]:
        """(band_no, band_hash) pairs, band_hash a signed 64-bit integer for the database.

        Made once per signature: ingest asks three times (lock keys, candidates, the rows
        it adds), and a signature made in an extraction worker brings them along in its
        pickle, so the archive writer hashes nothing."""
        made = self.__dict__.get("_bands")
        if made is None:
            made = self.__dict__["_bands"] = tuple(self._make_bands())
        return list(made)

    def _make_bands(self) -> list[tuple[int, int]]:
        out = []
        for band_no in range(BANDS):
            chunk = self.values[band_no * ROWS : (band_no + 1) * ROWS].astype(_DTYPE).tobytes()
            h = hashlib.blake2b(digest_size=8)
            # The scheme is hashed in so bands of different schemes never collide.
            h.update(self.scheme.encode())
            h.update(band_no.to_bytes(2, "big"))
            h.update(chunk)
            digest = h.digest()
            out.append((band_no, int.from_bytes(digest, "big", signed=True)))
        return out


def shingles(normalized: str, size: int = SHINGLE_SIZE) -> set[bytes]:
    if len(normalized) <= size:
        return {normalized.encode("utf-8")} if normalized else set()
    return {normalized[i : i + size].encode("utf-8") for i in range(len(normalized) - size + 1)}


def minhash_signature(normalized: str) -> MinHashSignature | None:
    """The signature of an already normalized text, or None when it is too short to compare."""
    if len(normalized) < MIN_CHARS:
        return None
    return MinHashSignature(_minhash(shingles(normalized)).astype(_DTYPE), SCHEME)
