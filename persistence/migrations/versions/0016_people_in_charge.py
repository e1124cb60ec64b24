"""The units a Phó Chủ tịch is in charge of, in the people directory.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("in_charge", sa.JSON(), nullable=True))
    op.execute(sa.text("UPDATE people SET in_charge = '[]'"))
    with op.batch_alter_table("people") as batch:
        batch.alter_column("in_charge", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("in_charge")
