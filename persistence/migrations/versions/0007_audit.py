"""The audit chain on task_events, sealed for the events already recorded; archived_histories.

Events recorded before this revision are sealed here, as they stand at migration time (the
chain's format is fixed for good, so this revision uses `evidence.chain` itself). A task whose
seqs have a gap is sealed up to it; the rest is sealed when the missing event is recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2024-01-15
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from itertools import groupby
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from evidence.chain import document_of, links, unbroken

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = sa.table(
    "task_events",
    sa.column("id", sa.Integer()),
    sa.column("workflow_id", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("kind", sa.String()),
    sa.column("state", sa.String()),
    sa.column("actor", sa.String()),
    sa.column("role", sa.String()),
    sa.column("detail", sa.Text()),
    sa.column("payload", sa.JSON()),
    sa.column("chain_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("task_events") as batch:
        batch.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "archived_histories",
        sa.Column("workflow_id", sa.String(length=300), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("previous_run_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("workflow_id", "run_id", name=op.f("pk_archived_histories")),
    )
    _seal_recorded_events()


def _seal_recorded_events() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.workflow_id, EVENTS.c.seq)).all()
    for _, task_rows in groupby(rows, key=lambda row: row.workflow_id):
        chained = unbroken(task_rows, lambda row: row.seq)
        for row, digest in zip(chained, links(map(_document, chained))):
            connection.execute(sa.update(EVENTS).where(EVENTS.c.id == row.id).values(chain_hash=digest))


def _document(row) -> dict:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite keeps naive UTC
    return document_of(SimpleNamespace(**{**row._asdict(), "at": at}))


def downgrade() -> None:
    op.drop_table("archived_histories")
    with op.batch_alter_table("task_events") as batch:
        batch.drop_column("chain_hash")
