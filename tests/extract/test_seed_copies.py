"""The seed pages the extraction tests read are copies kept in the repository
(tests/extract/fixtures/seeds/), so the tests run on a fresh clone; where the project's
shared/seeds sits beside the repository, the copies must still be the same bytes."""
from pathlib import Path

import pytest

from tests.extract.extract_fixtures import FIXTURES

COPIES = FIXTURES / "seeds"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "seeds"  # <repo>/../shared/seeds


def test_the_copies_are_there():
    assert sorted(p.name[:3] for p in COPIES.glob("*.txt")) == ["000", "001", "002", "003", "004"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/seeds beside the repository")
def test_the_copies_match_shared_seeds():
    for original in sorted(SHARED.glob("*.txt")):
        assert (COPIES / original.name).read_bytes() == original.read_bytes(), original.name
