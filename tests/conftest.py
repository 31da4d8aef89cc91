import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Offline by construction: no test may reach a real site.
os.environ.setdefault("POLICY_ARCHIVE_LOOPBACK_ONLY", "1")


@pytest.fixture(scope="session")
def sample_server():
    from crawler.samples.server import SampleServer, sample_root

    with SampleServer(sample_root()) as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'archive.db'}"
