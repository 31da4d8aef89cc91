"""Shared helpers for the extraction tests: the seed pages and the HTML fixtures."""
from __future__ import annotations

import html
from pathlib import Path

FIXTURES = Path(__file__).with_name("fixtures")


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def seed_text(n: int) -> str:
    return next((FIXTURES / "seeds").glob(f"{n:03d}_*.txt")).read_text(encoding="utf-8")


def seed_page(n: int, *, title: str | None = None) -> str:
    """A seed (text as a reader saw it) as a minimal page: one <p> per line."""
    paras = "\n".join(f"<p>{html.escape(line.strip())}</p>" for line in seed_text(n).splitlines() if line.strip())
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{paras}</body></html>"
