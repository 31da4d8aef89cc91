"""The web tests' helpers: the demo archive, and the app over an archive as `serve` opens it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_demo(url: str, *extra: str) -> dict:
    """`policy-archive demo --db url [extra]` (e.g. --state later), its --json summary."""
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--db", url, "--json", *extra],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def client_for(url: str):
    """A TestClient on the app over the archive at ``url`` (opened read-only)."""
    from starlette.testclient import TestClient

    from crawler.web.app import create_app

    return TestClient(create_app(url))

