"""Emails: the messages rendered from the notification outbox and the digests.

Revision ID: 0003
Revises: 0002
Create Date: 2024-01-15
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=700), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("workflow_id", sa.String(length=300), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emails")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_emails_dedup_key")),
    )
    for column in ("kind", "commune", "notification_id", "workflow_id", "status", "next_attempt_at"):
        op.create_index(op.f(f"ix_emails_{column}"), "emails", [column])


def downgrade() -> None:
    op.drop_table("emails")
