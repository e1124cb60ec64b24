"""What became of task occurrences, read from the SQL tables their workflows wrote: the one
counting rule the demo's summary and the dashboard's rates share.

- an occurrence is approved, waived, cancelled or still open (`task_runs.state`);
- approved on time: its approval is no later than the end of its due date in force (an
  extension moves the due date, and so the deadline it is measured against);
- overdue: still open, and its due date ended before `as_of`;
- settled (due by `as_of`): approved, whenever that was, or overdue. An open occurrence
  whose deadline is still ahead is not counted yet: a December task does not lower March's
  rate, and one approved early counts from the day it is approved;
- the on-time rate: approved on time, out of the settled occurrences. Waived and cancelled
  occurrences were not to be done and never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from domain.calendar import end_of_day
from domain.lifecycle import TaskEvent, TaskState
from persistence.task_tables import TaskEventRow, TaskRunRow


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
    def settled(self) -> int:
        """The occurrences due by `as_of`: approved, or open past their deadline."""
        return self.approved + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.settled)


def ratio(part: int, whole: int) -> float | None:
    """`part / whole` to three decimals, None when there is no whole."""
    return round(part / whole, 3) if whole else None


def count(tally: Tally, run: TaskRunRow, approved_at: datetime | None, as_of: datetime) -> None:
    """Add one occurrence to `tally`, as it stands at `as_of`."""
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


def approval_times(session: Session, *runs_where: ColumnElement[bool]) -> dict[str, datetime]:
    """workflow id -> when it was approved, for the `task_runs` rows matching `runs_where`."""
    runs = select(TaskRunRow.workflow_id).where(*runs_where)
    query = (
        select(TaskEventRow.workflow_id, func.max(TaskEventRow.at))
        .where(TaskEventRow.workflow_id.in_(runs), TaskEventRow.kind == TaskEvent.APPROVE.value)
        .group_by(TaskEventRow.workflow_id)
    )
    return dict(session.execute(query).all())


def year_tally(session: Session, commune: str, year: int, as_of: datetime) -> Tally:
    """The commune's occurrences due in `year` (due date in force), as they stand at `as_of`."""
    where = [
        TaskRunRow.commune == commune,
        TaskRunRow.due_date.between(date(year, 1, 1), date(year, 12, 31)),
    ]
    approvals = approval_times(session, *where)
    tally = Tally()
    for run in session.scalars(select(TaskRunRow).where(*where)):
        count(tally, run, approvals.get(run.workflow_id), as_of)
    return tally
