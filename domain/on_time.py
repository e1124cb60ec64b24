"""On time as the province counts it, and as the leaders directed.

A task occurrence is done on time when its accepted document (the approved product: its own
date, not the day the office confirmed it) is dated on or before the deadline. Two deadlines,
two measures:

- by the plan (`on_time_rate`, what the province scores): the deadline of the issued plan or of
  a confirmed amending plan. A leader's extension does not move it; a task stopped without
  citing an amending document was a task of the plan, and it was not done;
- as directed (`on_time_rate_directed`, "theo chỉ đạo"): the deadline in force, extensions
  included; a stopped task was not to be done.

An open occurrence is overdue once its deadline has ended before `as_of`, not yet due before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.calendar import TZ, end_of_day
from domain.lifecycle import TaskState
from domain.task_events import TaskHistory

STOPPED = (TaskState.WAIVED, TaskState.CANCELLED)


class Standing(StrEnum):
    ON_TIME = "on_time"  # done, its document dated by the deadline
    LATE = "late"  # done, its document dated after the deadline
    OVERDUE = "overdue"  # open, its deadline ended
    NOT_DONE = "not_done"  # stopped, though the plan still asks for it
    NOT_YET_DUE = "not_yet_due"  # open, its deadline still ahead
    NOT_COUNTED = "not_counted"  # stopped: not to be done


# The standings a rate is out of: due by `as_of`.
SETTLED = frozenset({Standing.ON_TIME, Standing.LATE, Standing.OVERDUE, Standing.NOT_DONE})


@dataclass(frozen=True)
class Standings:
    by_plan: Standing
    directed: Standing


def standings(history: TaskHistory, state: TaskState | None, as_of: datetime) -> Standings:
    """Where the occurrence `history` describes, now in `state`, stands at `as_of`."""
    plan_counts_stop = history.stopped_by is None
    return Standings(
        by_plan=standing(history, state, history.plan_due, as_of, stop_is_not_done=plan_counts_stop),
        directed=standing(history, state, history.due, as_of, stop_is_not_done=False),
    )


def standing(
    history: TaskHistory, state: TaskState | None, deadline: date, as_of: datetime, *, stop_is_not_done: bool
) -> Standing:
    if state is TaskState.APPROVED:
        dated = _dated(history)
        return Standing.ON_TIME if dated is not None and dated <= deadline else Standing.LATE
    if state in STOPPED:
        return Standing.NOT_DONE if stop_is_not_done else Standing.NOT_COUNTED
    return Standing.OVERDUE if end_of_day(deadline) < as_of else Standing.NOT_YET_DUE


def days_late(history: TaskHistory, state: TaskState | None) -> int | None:
    """Days the accepted document is dated after the plan's deadline, 0 when on time by the
    plan; None when the occurrence is not done."""
    dated = _dated(history)
    if state is not TaskState.APPROVED or dated is None:
        return None
    return max(0, (dated - history.plan_due).days)


def _dated(history: TaskHistory) -> date | None:
    """The accepted document's date; the approval's day for an approval without a document."""
    if history.document_date is not None:
        return history.document_date
    return None if history.approved_at is None else history.approved_at.astimezone(TZ).date()
