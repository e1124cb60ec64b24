"""The supervising authority's accounts: the communes an appraiser or supervisor supervises.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("supervises", sa.JSON(), nullable=True))
    op.execute(sa.text("UPDATE users SET supervises = '[]'"))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("supervises", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("supervises")
