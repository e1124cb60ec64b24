"""What is known of each commune: its kind (xã, phường, đặc khu), its administrative code
(mã đơn vị hành chính), the district it belonged to before 1 July 2025 and its province.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("kind", 20), ("code", 5), ("district", 200), ("province", 200))


def upgrade() -> None:
    with op.batch_alter_table("communes") as table:
        for name, length in COLUMNS:
            table.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("communes") as table:
        for name, _ in reversed(COLUMNS):
            table.drop_column(name)
