"""An account whose password someone else set must change it at its next sign-in.

Every password stored before this revision was set by an administrator, the operator or the
demo (nobody could change their own), so every existing account is marked.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=True))
    op.execute(sa.text("UPDATE users SET must_change_password = true"))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("must_change_password", existing_type=sa.Boolean(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
