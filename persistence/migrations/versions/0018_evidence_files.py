"""Evidence files per commune: a stored file is a commune's once one of its people uploaded it.

Back-filled from what already cites a file: each task's submitted documents (the commune of
its run) and the office's documents on the self-assessment sheet; the first to cite a file
in a commune counts as its uploader.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TASK_EVENTS = sa.table(
    "task_events",
    sa.column("workflow_id", sa.String()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("kind", sa.String()),
    sa.column("actor", sa.String()),
    sa.column("payload", sa.JSON()),
)
TASK_RUNS = sa.table("task_runs", sa.column("workflow_id", sa.String()), sa.column("commune", sa.String()))
OFFICE_EVIDENCE = sa.table(
    "office_evidence",
    sa.column("commune", sa.String()),
    sa.column("sha256", sa.String()),
    sa.column("added_by", sa.String()),
    sa.column("added_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    files = op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        sa.UniqueConstraint("commune", "sha256", name=op.f("uq_evidence_files_commune_sha256")),
    )
    first: dict[tuple[str, str], dict] = {}
    for commune, sha256, by, at in sorted(_citations(op.get_bind()), key=lambda cited: cited[3]):
        first.setdefault((commune, sha256), {"commune": commune, "sha256": sha256, "uploaded_by": by, "uploaded_at": at})
    if first:
        op.bulk_insert(files, list(first.values()))


def _citations(connection: sa.Connection) -> list[tuple[str, str, str, datetime]]:
    """(commune, sha256, who, when) of every document a task or the office cited with a file."""
    submitted = connection.execute(
        sa.select(TASK_RUNS.c.commune, TASK_EVENTS.c.payload, TASK_EVENTS.c.actor, TASK_EVENTS.c.at)
        .join(TASK_RUNS, TASK_RUNS.c.workflow_id == TASK_EVENTS.c.workflow_id)
        .where(TASK_EVENTS.c.kind == "submit_evidence")
    ).all()
    office = connection.execute(
        sa.select(OFFICE_EVIDENCE.c.commune, OFFICE_EVIDENCE.c.sha256, OFFICE_EVIDENCE.c.added_by, OFFICE_EVIDENCE.c.added_at)
        .where(OFFICE_EVIDENCE.c.sha256.is_not(None))
    ).all()
    cited = [(commune, (payload or {}).get("sha256"), by, at) for commune, payload, by, at in submitted]
    return [row for row in cited if row[1]] + [(commune, sha256, by, at) for commune, sha256, by, at in office]


def downgrade() -> None:
    op.drop_table("evidence_files")
