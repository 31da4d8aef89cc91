"""A sequence for the search index's ``seq`` on PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

An index entry's ``seq`` (unique; the tie-break in its ``rank_key``) was ``max(seq) + 1``:
two ingests of unrelated notices on PostgreSQL read the same maximum, and the second
failed on the unique key and ran its whole page again. A sequence hands out distinct
numbers to concurrent transactions. SQLite's write transactions run one at a time, so
there ``max(seq) + 1`` stays.
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept here, not imported, so this migration keeps making the schema of its day.
SEQUENCE = "search_entry_seq"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE SEQUENCE {SEQUENCE} OWNED BY search_entry.seq")
    op.execute(f"SELECT setval('{SEQUENCE}', COALESCE((SELECT max(seq) FROM search_entry), 0) + 1, false)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SEQUENCE {SEQUENCE}")
