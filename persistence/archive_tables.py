"""Our copy of every closed task and PAR round workflow run's Temporal history.

Temporal keeps a closed history only for its namespace's retention period; the audit must
outlive it (evidence/archive.py writes these rows, docs/audit.md). One row per run, written
once and never updated: `history` is `WorkflowHistory.to_json()` as fetched, `sha256` its
digest (UTF-8), so a later change to either shows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.task_tables import WORKFLOW_ID
from persistence.types import AwareDateTime

RUN_ID = String(64)


class ArchivedHistoryRow(Base):
    """One closed run of a task or round workflow, as Temporal recorded it."""

    __tablename__ = "archived_histories"

    workflow_id: Mapped[str] = mapped_column(WORKFLOW_ID, primary_key=True)
    run_id: Mapped[str] = mapped_column(RUN_ID, primary_key=True)
    previous_run_id: Mapped[str | None] = mapped_column(RUN_ID)  # the run it continued as new from
    status: Mapped[str] = mapped_column(String(30))  # completed, continued_as_new, failed, terminated ...
    started_at: Mapped[datetime] = mapped_column(AwareDateTime)  # Temporal's clock, not the task's
    closed_at: Mapped[datetime] = mapped_column(AwareDateTime)
    events: Mapped[int] = mapped_column(Integer)
    history: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    archived_at: Mapped[datetime] = mapped_column(AwareDateTime)
