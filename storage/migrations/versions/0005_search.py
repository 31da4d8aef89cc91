"""Full-text search: the per-document index entry, FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The FTS5 table is no SQLAlchemy model (storage/search_index.py names it, and the
migrations == models test leaves it out). Existing documents are indexed on the next
`policy-archive reindex` (or as they are crawled again).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept here, not imported, so this migration keeps making the schema of its day.
FTS_TABLE = "search_fts"
FTS_COLUMNS = "title, doc_number, body, chars, region, agency, tags"


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("rank_key", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("tier", sa.SmallInteger(), nullable=False),
        sa.Column("version_id", sa.Integer()),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("doc_number", sa.String(100)),
        sa.Column("region", sa.String(100)),
        sa.Column("agency", sa.String(200)),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite")),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_search_entry_document_id_document"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("rank_key", name=op.f("uq_search_entry_rank_key")),
        sa.UniqueConstraint("seq", name=op.f("uq_search_entry_seq")),
    )
    op.create_table(
        "search_ghost",
        sa.Column("rank_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("rank_key", name=op.f("pk_search_ghost")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Contentless: the tokens are generated in Python (bigrams), the text lives in version.
        op.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({FTS_COLUMNS}, "
            "content='', tokenize='unicode61 remove_diacritics 0')"
        )
    else:
        op.create_index("ix_search_entry_tsv", "search_entry", ["tsv"], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    op.drop_table("search_ghost")
    op.drop_table("search_entry")
