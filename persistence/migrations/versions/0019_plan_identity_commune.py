"""A plan's identity holds its commune: commune, issuer, number and year.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint(op.f("uq_plans_issuer_number_year"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_plans_commune_id_issuer_number_year"), ["commune_id", "issuer", "number", "year"]
        )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint(op.f("uq_plans_commune_id_issuer_number_year"), type_="unique")
        batch.create_unique_constraint(op.f("uq_plans_issuer_number_year"), ["issuer", "number", "year"])
