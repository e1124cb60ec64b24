"""What happened to a set of task occurrences, read from the SQL tables their workflows wrote.

- an occurrence is approved, waived, cancelled or still open (`task_runs.state`);
- approved on time: its approval is no later than the end of its due date in force (an
  extension moves the due date, and so the deadline it is measured against);
- overdue: still open, and its due date ended before `as_of`;
- reminders and escalations are the `task_events` of those kinds, returns and extensions
  count the occurrences that had at least one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.calendar import end_of_day
from domain.lifecycle import TaskState
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow


@dataclass
class Tally:
    """Counts over some occurrences: all of them, or one unit's."""

    occurrences: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0  # approved after the deadline
    overdue: int = 0  # open, past the deadline
    waived: int = 0
    cancelled: int = 0
    not_yet_due: int = 0  # open, deadline still ahead

    @property
    def on_time_rate(self) -> float | None:
        """Approved on time, out of the occurrences that were to be done (not waived or cancelled)."""
        to_do = self.occurrences - self.waived - self.cancelled
        return round(self.on_time / to_do, 3) if to_do else None


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
    approvals = dict(
        session.execute(
            select(TaskEventRow.workflow_id, func.max(TaskEventRow.at))
            .where(TaskEventRow.workflow_id.in_(ids), TaskEventRow.kind == "approve")
            .group_by(TaskEventRow.workflow_id)
        ).all()
    )
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


def count(tally: Tally, run: TaskRunRow, approved_at: datetime | None, as_of: datetime) -> None:
    state = TaskState(run.state)
    deadline = end_of_day(run.due_date)
    tally.occurrences += 1
    if state is TaskState.APPROVED:
        tally.approved += 1
        if approved_at is not None and approved_at <= deadline:
            tally.on_time += 1
        else:
            tally.late += 1
    elif state is TaskState.WAIVED:
        tally.waived += 1
    elif state is TaskState.CANCELLED:
        tally.cancelled += 1
    elif deadline < as_of:
        tally.overdue += 1
    else:
        tally.not_yet_due += 1


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
