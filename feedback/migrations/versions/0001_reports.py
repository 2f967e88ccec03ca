"""Reports and the store's own settings.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "feedback_reports",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client", sa.String(32), nullable=False),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("article_sha256", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("stored_text", sa.String(10), nullable=False),
        sa.Column("span_field", sa.String(10), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("span_text", sa.Text(), nullable=True),
        sa.Column("span_category", sa.String(40), nullable=True),
        sa.Column("span_source", sa.String(40), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("context_start", sa.Integer(), nullable=True),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.UniqueConstraint("dedupe_key", name="uq_feedback_reports_dedupe_key"),
    )
    for column in ("created_at", "verdict", "status", "article_sha256"):
        op.create_index(f"ix_feedback_reports_{column}", "feedback_reports", [column])
    op.create_table(
        "feedback_meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback_meta")
    for column in ("created_at", "verdict", "status", "article_sha256"):
        op.drop_index(f"ix_feedback_reports_{column}", "feedback_reports")
    op.drop_table("feedback_reports")
