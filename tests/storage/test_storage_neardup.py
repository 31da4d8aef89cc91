"""neardup computes datasketch's "affine32" MinHash itself (so workers need not import
datasketch): its signatures must equal datasketch's bit for bit, or signatures stored
before and after would no longer compare."""
from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHash

from storage import neardup
from storage.normalize import normalize_text


def _random_text(seed: int, length: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(length))


@pytest.mark.parametrize(
    "text",
    [
        "关于进一步加强养老服务体系建设的通知，各区县人民政府，市政府各部门" * 3,
        "详见附件" * 15,  # few distinct shingles
        _random_text(1, 60),
        _random_text(2, 5000),
        _random_text(3, 3 * neardup._BLOCK + 17),  # several blocks, the last one short
    ],
)
def test_signatures_equal_datasketchs(text):
    normalized = normalize_text(text)
    reference = MinHash(num_perm=neardup.NUM_PERM, seed=neardup.SEED, scheme=neardup.HASH_SCHEME)
    reference.update_batch(list(neardup.shingles(normalized)))
    ours = neardup.minhash_signature(normalized)
    assert ours is not None
    assert ours.values.dtype == np.dtype("<u4")
    assert np.array_equal(ours.values, np.asarray(reference.hashvalues, dtype=np.uint64))
