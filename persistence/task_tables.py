"""Tables the task workflows write through their activities.

- `task_runs`: the read model, one row per task occurrence (= workflow), its latest state.
- `task_events`: every lifecycle event, once: unique on (workflow_id, seq); `chain_hash` links
  it to the task's previous event (the audit chain, `evidence/chain.py`, docs/audit.md).
- `notifications`: the outbox; a row is written with its event, before anything is sent,
  and its `dedup_key` is the proof that a notification was raised exactly once.

No foreign key to `plans`: a workflow must always be able to record what happened, even
about a plan someone has since deleted. `commune` scopes every row, as everywhere.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.calendar import TZ
from domain.task_events import TaskEntry
from persistence.tables import Base
from persistence.types import AwareDateTime

WORKFLOW_ID = String(300)


class TaskRunRow(Base):
    """The latest known state of one task occurrence (one workflow)."""

    __tablename__ = "task_runs"

    workflow_id: Mapped[str] = mapped_column(WORKFLOW_ID, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200), index=True)
    plan_id: Mapped[int] = mapped_column(Integer, index=True)
    task_code: Mapped[str] = mapped_column(String(50))
    occurrence_key: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(30), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    lead: Mapped[list[str]] = mapped_column(JSON)
    escalation_level: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)  # the event this row reflects; older events never overwrite it
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime)


class TimelineColumns:
    """One event of a workflow's timeline, in the workflow's own sequence: the columns the
    task and the PAR round events share."""

    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(30))  # the state after the event
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class TaskEventRow(TimelineColumns, Base):
    """One lifecycle event of a task occurrence, in the workflow's own sequence."""

    __tablename__ = "task_events"
    __table_args__ = (UniqueConstraint("workflow_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[str] = mapped_column(WORKFLOW_ID, index=True)
    # sha256 over the previous event's chain_hash and this event's canonical JSON; NULL until
    # every earlier seq of the task is recorded (evidence/audit_log.py seals it then).
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    def entry(self) -> TaskEntry:
        """The event as the domain reads it: its particulars typed by its kind."""
        return TaskEntry.of(
            seq=self.seq,
            at=self.at.astimezone(TZ),
            kind=self.kind,
            state=self.state,
            actor=self.actor,
            detail=self.detail,
            data=self.payload,
        )


class NotificationRow(Base):
    """The outbox: a notification to send, written in the same transaction as its event."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # f"{workflow_id}/{seq}/{kind}/{recipient}", recipient as "chairman" or "officers:Tư pháp"
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    workflow_id: Mapped[str] = mapped_column(WORKFLOW_ID, index=True)
    commune: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str] = mapped_column(String(30))  # domain.notifications.Recipient
    unit: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, then what the sender makes of it
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
