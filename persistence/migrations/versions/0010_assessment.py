"""The commune's self-assessment: entered scores and explanations, and the office's evidence.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("points", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalogue_id"],
            ["criteria_catalogues.id"],
            name=op.f("fk_assessment_entries_catalogue_id_criteria_catalogues"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_entries")),
        sa.UniqueConstraint(
            "commune", "year", "catalogue_id", "code", name=op.f("uq_assessment_entries_commune_year_catalogue_id_code")
        ),
    )
    op.create_table(
        "office_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("page", sa.String(length=50), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalogue_id"],
            ["criteria_catalogues.id"],
            name=op.f("fk_office_evidence_catalogue_id_criteria_catalogues"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_evidence")),
    )
    op.create_index(op.f("ix_office_evidence_commune"), "office_evidence", ["commune"])


def downgrade() -> None:
    op.drop_index(op.f("ix_office_evidence_commune"), table_name="office_evidence")
    op.drop_table("office_evidence")
    op.drop_table("assessment_entries")
