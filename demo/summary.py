"""What happened to a set of task occurrences, read from the SQL tables their workflows wrote.

Each occurrence is counted by the rule of `services.outcomes` (on time by the plan and as
directed, late, overdue, stopped, ...); reminders and escalations are the `task_events` of those kinds,
returns and extensions count the occurrences that had at least one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.lifecycle import TaskEntryKind
from domain.task_events import DeadlineExtended
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from services.outcomes import Tally, count, counted_runs


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
    runs = counted_runs(session, TaskRunRow.workflow_id.in_(ids))
    kinds = Counter(
        dict(
            session.execute(
                select(TaskEventRow.kind, func.count())
                .where(TaskEventRow.workflow_id.in_(ids))
                .group_by(TaskEventRow.kind)
            ).all()
        )
    )
    notifications = session.scalar(
        select(func.count()).select_from(NotificationRow).where(NotificationRow.workflow_id.in_(ids))
    )

    total = Tally()
    by_unit: dict[str, Tally] = {}
    for run, history in runs:
        unit = ", ".join(run.lead)
        for tally in (total, by_unit.setdefault(unit, Tally())):
            count(tally, run, history, as_of)
    return Summary(
        as_of=as_of,
        tasks=len({run.task_code for run, _ in runs}),
        total=total,
        by_unit=dict(sorted(by_unit.items())),
        reminders=kinds[TaskEntryKind.REMINDER],
        escalations=kinds[TaskEntryKind.ESCALATION],
        returned=occurrences_with(session, ids, TaskEntryKind.RETURN),
        extended=occurrences_with(session, ids, TaskEntryKind.EXTEND_DEADLINE),
        events=sum(kinds.values()),
        notifications=notifications or 0,
        due_moves=due_moves(session, ids),
    )


def occurrences_with(session: Session, workflow_ids: list[str], kind: TaskEntryKind) -> int:
    query = select(func.count(func.distinct(TaskEventRow.workflow_id))).where(
        TaskEventRow.workflow_id.in_(workflow_ids), TaskEventRow.kind == kind
    )
    return session.scalar(query) or 0


def due_moves(session: Session, workflow_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Every extension, as workflow id -> (the due date before the first, the due date after the last)."""
    rows = session.scalars(
        select(TaskEventRow)
        .where(TaskEventRow.workflow_id.in_(workflow_ids), TaskEventRow.kind == TaskEntryKind.EXTEND_DEADLINE)
        .order_by(TaskEventRow.workflow_id, TaskEventRow.seq)
    )
    moves: dict[str, tuple[str, str]] = {}
    for row in rows:
        extension = row.entry().what
        if not isinstance(extension, DeadlineExtended):  # the query selects extensions only
            raise TypeError(f"{row.workflow_id} #{row.seq}: an extension without its due dates: {extension!r}")
        first = moves.get(row.workflow_id, (extension.old_due.isoformat(), ""))[0]
        moves[row.workflow_id] = (first, extension.new_due.isoformat())
    return moves
