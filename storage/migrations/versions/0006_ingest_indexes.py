"""Indexes for ingest's per-page lookups, so its cost does not grow with the archive.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

A page's earlier captures are looked up by (source, part, URL) and by (source, part,
final URL): with only ``source_id`` indexed every capture of the source was visited per
page, and ``final_url`` had no index at all. The first of the two also serves the
known-pages walk of a source in URL order and everything that filters by source alone,
so the single-column source index goes. The draft/final search (every new document
runs it) walks the newest documents of one status (and agency), or of one agency, in
id order, and stops after a bounded number.
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_capture_source_page_url", "capture", ["source_id", "part_no", "url"])
    op.create_index("ix_capture_source_page_final_url", "capture", ["source_id", "part_no", "final_url"])
    op.drop_index("ix_capture_source_id", table_name="capture")
    op.create_index("ix_document_status", "document", ["status", "id"])
    op.create_index("ix_document_status_agency", "document", ["status", "agency", "id"])
    op.create_index("ix_document_agency", "document", ["agency", "id"])


def downgrade() -> None:
    op.drop_index("ix_document_agency", table_name="document")
    op.drop_index("ix_document_status_agency", table_name="document")
    op.drop_index("ix_document_status", table_name="document")
    op.create_index("ix_capture_source_id", "capture", ["source_id"])
    op.drop_index("ix_capture_source_page_final_url", table_name="capture")
    op.drop_index("ix_capture_source_page_url", table_name="capture")
