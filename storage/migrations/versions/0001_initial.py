"""The first schema: sources, runs, captures, documents, versions, LSH bands, citations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Self-contained on purpose (no import from storage.models): a migration must keep
creating the schema of its day after the models have moved on.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def _counter(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), server_default=sa.text("0"), nullable=False)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"

    op.create_table(
        "source",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("region", sa.String(100)),
        sa.Column("base_url", sa.Text()),
        sa.Column("schedule", sa.String(100)),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("kind IN ('gov', 'aggregator', 'docshare')", name=op.f("ck_source_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
    )

    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP),
        sa.Column("status", sa.String(16), nullable=False),
        *(_counter(name) for name in (
            "requests", "pages", "new_documents", "new_versions", "unchanged", "offtopic", "errors",
        )),
        sa.Column("error_summary", JSON),
        sa.CheckConstraint("trigger IN ('schedule', 'cli')", name=op.f("ck_crawl_run_trigger")),
        sa.CheckConstraint(
            "status IN ('running', 'ok', 'failed', 'interrupted')", name=op.f("ck_crawl_run_status")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_crawl_run_source_id_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run")),
    )
    op.create_index("ix_crawl_run_source_started", "crawl_run", ["source_id", "started_at"])

    # document.current_version_id -> version.id closes a cycle. SQLite accepts a
    # reference to a table that does not exist yet (and cannot add one later without
    # rebuilding the table); PostgreSQL gets the constraint once version exists.
    current_version_fk = (
        [sa.ForeignKeyConstraint(
            ["current_version_id"], ["version.id"],
            name=op.f("fk_document_current_version_id_version"), ondelete="SET NULL",
        )]
        if sqlite
        else []
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(100)),
        sa.Column("doc_number_raw", sa.String(200)),
        sa.Column("title", sa.Text()),
        sa.Column("agency", sa.String(200)),
        sa.Column("region", sa.String(100)),
        sa.Column("doc_type", sa.String(32)),
        sa.Column("status", sa.String(32)),
        sa.Column("signed_date", sa.Date()),
        sa.Column("published_date", sa.Date()),
        sa.Column("index_number", sa.String(100)),
        sa.Column("category", sa.String(200)),
        sa.Column("topics", JSON, nullable=False),
        sa.Column("first_seen", TIMESTAMP, nullable=False),
        sa.Column("last_seen", TIMESTAMP, nullable=False),
        sa.Column("authoritative_url", sa.Text()),
        sa.Column("authoritative_source_id", sa.String(64)),
        sa.Column("draft_of_id", sa.Integer()),
        sa.Column("current_version_id", sa.Integer()),
        sa.Column("field_sources", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["authoritative_source_id"], ["source.id"],
            name=op.f("fk_document_authoritative_source_id_source"),
        ),
        sa.ForeignKeyConstraint(
            ["draft_of_id"], ["document.id"],
            name=op.f("fk_document_draft_of_id_document"), ondelete="SET NULL",
        ),
        *current_version_fk,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("doc_number", name=op.f("uq_document_doc_number")),
    )
    op.create_index(op.f("ix_document_draft_of_id"), "document", ["draft_of_id"])
    op.create_index(op.f("ix_document_published_date"), "document", ["published_date"])

    op.create_table(
        "version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("signature", sa.LargeBinary()),
        sa.Column("signature_scheme", sa.String(100)),
        sa.Column("first_seen", TIMESTAMP, nullable=False),
        sa.Column("last_seen", TIMESTAMP, nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"],
            name=op.f("fk_version_document_id_document"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_version_source_id_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version")),
        sa.UniqueConstraint("document_id", "text_hash", name=op.f("uq_version_document_id_text_hash")),
    )
    op.create_index(op.f("ix_version_text_hash"), "version", ["text_hash"])
    if not sqlite:
        op.create_foreign_key(
            op.f("fk_document_current_version_id_version"), "document", "version",
            ["current_version_id"], ["id"], ondelete="SET NULL",
        )

    op.create_table(
        "version_band",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("band_no", sa.SmallInteger(), nullable=False),
        sa.Column("band_hash", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["version.id"],
            name=op.f("fk_version_band_version_id_version"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "band_no", name=op.f("pk_version_band")),
    )
    op.create_index("ix_version_band_lookup", "version_band", ["band_no", "band_hash"])

    op.create_table(
        "capture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer()),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("fetched_at", TIMESTAMP, nullable=False),
        sa.Column("http_status", sa.SmallInteger(), nullable=False),
        sa.Column("etag", sa.String(200)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("content_type", sa.String(200)),
        sa.Column("encoding", sa.String(32)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("raw_codec", sa.String(8), nullable=False),
        sa.Column("raw_size", sa.Integer(), nullable=False),
        sa.Column("part_no", sa.SmallInteger(), nullable=False),
        sa.Column("text_hash", sa.String(64)),
        sa.Column("version_id", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_run.id"], name=op.f("fk_capture_run_id_crawl_run"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_capture_source_id_source")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["version.id"], name=op.f("fk_capture_version_id_version"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture")),
    )
    for column in ("run_id", "sha256", "source_id", "text_hash", "url", "version_id"):
        op.create_index(op.f(f"ix_capture_{column}"), "capture", [column])

    op.create_table(
        "citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("cited_number", sa.String(100), nullable=False),
        sa.Column("cited_document_id", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"],
            name=op.f("fk_citation_document_id_document"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cited_document_id"], ["document.id"],
            name=op.f("fk_citation_cited_document_id_document"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
        sa.UniqueConstraint("document_id", "cited_number", name=op.f("uq_citation_document_id_cited_number")),
    )
    op.create_index(op.f("ix_citation_cited_document_id"), "citation", ["cited_document_id"])
    op.create_index(op.f("ix_citation_cited_number"), "citation", ["cited_number"])


def downgrade() -> None:
    op.drop_table("citation")
    op.drop_table("capture")
    op.drop_table("version_band")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_document_current_version_id_version"), "document", type_="foreignkey")
    op.drop_table("version")
    op.drop_table("document")
    op.drop_table("crawl_run")
    op.drop_table("source")
