"""What became of task occurrences, read from the SQL tables their workflows wrote: the one
counting place the demo's summary, the dashboard's rates, the digests and supervision share.

Each occurrence stands somewhere by the plan and as directed (`domain.on_time`): its state is
`task_runs.state`, its deadlines and its accepted document come from its recorded events.

- settled (due by `as_of`): done, whenever that was, open past its deadline, or (by the plan)
  stopped without an amending document. An open occurrence whose deadline is still ahead is
  not counted yet: a December task does not lower March's rate, and one done early counts
  from the day it is approved;
- a rate: done on time, out of the settled occurrences.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from domain.lifecycle import TaskEntryKind, TaskState
from domain.on_time import Standing, Standings, standings
from domain.task_events import TaskEntry, TaskHistory, task_history
from persistence.task_tables import TaskEventRow, TaskRunRow

# The events that tell an occurrence's deadlines, its accepted document and how it was stopped.
COUNTED_KINDS = (
    TaskEntryKind.SUBMIT_EVIDENCE,
    TaskEntryKind.RETURN,
    TaskEntryKind.APPROVE,
    TaskEntryKind.EXTEND_DEADLINE,
    TaskEntryKind.WAIVE,
    TaskEntryKind.CANCEL,
)


@dataclass
class Measure:
    """Occurrences against one deadline: the plan's, or the one in force (directed)."""

    on_time: int = 0
    late: int = 0  # done after the deadline
    overdue: int = 0  # open, past the deadline
    not_done: int = 0  # stopped, though the plan still asks for it (by the plan only)
    not_yet_due: int = 0  # open, deadline still ahead

    @property
    def settled(self) -> int:
        return self.on_time + self.late + self.overdue + self.not_done

    @property
    def rate(self) -> float | None:
        return ratio(self.on_time, self.settled)

    def add(self, standing: Standing) -> None:
        match standing:
            case Standing.ON_TIME:
                self.on_time += 1
            case Standing.LATE:
                self.late += 1
            case Standing.OVERDUE:
                self.overdue += 1
            case Standing.NOT_DONE:
                self.not_done += 1
            case Standing.NOT_YET_DUE:
                self.not_yet_due += 1


@dataclass
class Tally:
    """Counts over some occurrences: all of them, or one unit's."""

    occurrences: int = 0
    approved: int = 0
    waived: int = 0  # stopped (dừng thực hiện)
    cancelled: int = 0
    plan: Measure = field(default_factory=Measure)  # what the province counts
    directed: Measure = field(default_factory=Measure)  # counting the leaders' extensions

    @property
    def on_time_rate(self) -> float | None:
        return self.plan.rate

    @property
    def on_time_rate_directed(self) -> float | None:
        return self.directed.rate


def ratio(part: int, whole: int) -> float | None:
    """`part / whole` to three decimals, None when there is no whole."""
    return round(part / whole, 3) if whole else None


def count(tally: Tally, run: TaskRunRow, history: TaskHistory, as_of: datetime) -> None:
    """Add one occurrence to `tally`, as it stands at `as_of` (`history`: from `counted_runs`)."""
    state = TaskState(run.state)
    add(tally, state, standings(history, state, as_of))


def add(tally: Tally, state: TaskState | None, where: Standings) -> None:
    """Add one occurrence, now in `state` and standing `where`, to `tally`."""
    tally.occurrences += 1
    tally.approved += state is TaskState.APPROVED
    tally.waived += state is TaskState.WAIVED
    tally.cancelled += state is TaskState.CANCELLED
    tally.plan.add(where.by_plan)
    tally.directed.add(where.directed)


ID_LIST_LIMIT = 2_000  # runs whose events are asked for by their ids; more, by a subquery


def counted_runs(session: Session, *runs_where: ColumnElement[bool]) -> list[tuple[TaskRunRow, TaskHistory]]:
    """The `task_runs` rows matching `runs_where` (by due date in force, then workflow id), each
    with its history as far as counting needs."""
    runs = session.scalars(
        select(TaskRunRow).where(*runs_where).order_by(TaskRunRow.due_date, TaskRunRow.workflow_id)
    ).all()
    # A commune's few hundred runs: their events looked up by key. Past that (a province's
    # ranking), a subquery: no list of ids that long goes into a statement.
    ids = [run.workflow_id for run in runs]
    of_runs = (
        TaskEventRow.workflow_id.in_(ids)
        if len(ids) <= ID_LIST_LIMIT
        else TaskEventRow.workflow_id.in_(select(TaskRunRow.workflow_id).where(*runs_where))
    )
    query = (
        select(TaskEventRow)
        .where(of_runs, TaskEventRow.kind.in_([kind.value for kind in COUNTED_KINDS]))
        .order_by(TaskEventRow.workflow_id, TaskEventRow.seq)
    )
    entries: dict[str, list[TaskEntry]] = defaultdict(list)
    for row in session.scalars(query):
        entries[row.workflow_id].append(row.entry())
    return [(run, task_history(entries[run.workflow_id], due=run.due_date, lead=tuple(run.lead))) for run in runs]


def year_tally(session: Session, commune: str, year: int, as_of: datetime) -> Tally:
    """The commune's occurrences due in `year` (due date in force), as they stand at `as_of`."""
    tally = Tally()
    for run, history in counted_runs(
        session, TaskRunRow.commune == commune, TaskRunRow.due_date.between(date(year, 1, 1), date(year, 12, 31))
    ):
        count(tally, run, history, as_of)
    return tally
