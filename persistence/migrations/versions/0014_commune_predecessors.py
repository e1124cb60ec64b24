"""Communes merged in a reform: each predecessor of a commune, and since when it is merged.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commune_predecessors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=False),
        sa.Column("predecessor", sa.String(length=200), nullable=False),
        sa.Column("merged_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune_predecessors")),
        sa.UniqueConstraint("predecessor", name=op.f("uq_commune_predecessors_predecessor")),
    )
    op.create_index(op.f("ix_commune_predecessors_commune"), "commune_predecessors", ["commune"])


def downgrade() -> None:
    op.drop_index(op.f("ix_commune_predecessors_commune"), table_name="commune_predecessors")
    op.drop_table("commune_predecessors")
