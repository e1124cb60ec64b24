"""The PAR rounds' events in the audit chain: each event's link, as the tasks' (0007).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from itertools import groupby
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from evidence.chain import document_of, links, unbroken

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = sa.table(
    "round_events",
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
    with op.batch_alter_table("round_events") as batch:
        batch.add_column(sa.Column("chain_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.workflow_id, EVENTS.c.seq)).all()
    for _, round_rows in groupby(rows, key=lambda row: row.workflow_id):
        chained = unbroken(round_rows, lambda row: row.seq)
        for row, digest in zip(chained, links(map(_document, chained))):
            connection.execute(sa.update(EVENTS).where(EVENTS.c.id == row.id).values(chain_hash=digest))


def _document(row) -> dict:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)  # SQLite keeps naive UTC
    return document_of(SimpleNamespace(**{**row._asdict(), "at": at}))


def downgrade() -> None:
    with op.batch_alter_table("round_events") as batch:
        batch.drop_column("chain_hash")
