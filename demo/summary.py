"""What happened to a set of task occurrences, read from the SQL tables their workflows wrote.

Each occurrence is counted by the rule of `services.outcomes` (approved on time, late,
overdue, waived, ...); reminders and escalations are the `task_events` of those kinds,
returns and extensions count the occurrences that had at least one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from services.outcomes import Tally, approval_times, count


@dataclass
class Summary:
    as_of: datetime
    tasks: int
    total: Tally
    by_unit: dict[str, Tally]
    reminders: int
    escalations: int
    returned: int  # occurrences returned for rework at least once
    extended: int  # occurrences whose deadline the chairman extended
    events: int
    notifications: int
    due_moves: dict[str, tuple[str, str]] = field(default_factory=dict)  # workflow id -> (first due, due now)


def summarize(session: Session, workflow_ids: list[str], *, as_of: datetime) -> Summary:
    ids = list(workflow_ids)
    runs = list(session.scalars(select(TaskRunRow).where(TaskRunRow.workflow_id.in_(ids))))
    kinds = Counter(
        dict(
            session.execute(
                select(TaskEventRow.kind, func.count())
                .where(TaskEventRow.workflow_id.in_(ids))
                .group_by(TaskEventRow.kind)
            ).all()
        )
    )
    approvals = approval_times(session, TaskRunRow.workflow_id.in_(ids))
    notifications = session.scalar(
        select(func.count()).select_from(NotificationRow).where(NotificationRow.workflow_id.in_(ids))
    )

    total, by_unit = Tally(), {}
    for run in runs:
        unit = ", ".join(run.lead)
        for tally in (total, by_unit.setdefault(unit, Tally())):
            count(tally, run, approvals.get(run.workflow_id), as_of)
    return Summary(
        as_of=as_of,
        tasks=len({run.task_code for run in runs}),
        total=total,
        by_unit=dict(sorted(by_unit.items())),
        reminders=kinds["reminder"],
        escalations=kinds["escalation"],
        returned=occurrences_with(session, ids, "return"),
        extended=occurrences_with(session, ids, "extend_deadline"),
        events=sum(kinds.values()),
        notifications=notifications or 0,
        due_moves=due_moves(session, ids),
    )


def occurrences_with(session: Session, workflow_ids: list[str], kind: str) -> int:
    query = select(func.count(func.distinct(TaskEventRow.workflow_id))).where(
        TaskEventRow.workflow_id.in_(workflow_ids), TaskEventRow.kind == kind
    )
    return session.scalar(query) or 0


def due_moves(session: Session, workflow_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Every extension, as workflow id -> (the due date before the first, the due date after the last)."""
    rows = session.execute(
        select(TaskEventRow.workflow_id, TaskEventRow.payload)
        .where(TaskEventRow.workflow_id.in_(workflow_ids), TaskEventRow.kind == "extend_deadline")
        .order_by(TaskEventRow.workflow_id, TaskEventRow.seq)
    )
    moves: dict[str, tuple[str, str]] = {}
    for workflow, payload in rows:
        first = moves.get(workflow, (payload["old_due"], None))[0]
        moves[workflow] = (first, payload["new_due"])
    return moves
