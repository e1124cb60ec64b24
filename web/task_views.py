"""Tasks as the pages and the API show them: scoped to the user's commune, coloured by urgency,
grouped by unit, and with the actions the signed-in user may take on each.

Everything is read from the SQL read model (services.tasks): pages work while Temporal is down.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.calendar import WorkCalendar
from domain.lifecycle import FINAL_STATES, Rejected, TaskEvent, TaskState, transition
from domain.roles import Action, Actor
from domain.task_events import Submission
from domain.units import unit_key
from notifications.context import task_url
from persistence.tables import CommuneRow, PlanRow, UnitRow
from persistence.users import User
from services.people import shown_names
from services.tasks import TaskDetail, TaskSummary, detail_from_read_model, get_task, list_tasks, short_id
from web.auth import sees_commune
from web.errors import NotFound
from workflows.contracts import permission_problem, shares_a_unit, task_workflow_id

SOON_WORKING_DAYS = 3  # amber: due within this many working days
WEEK = timedelta(days=7)

# The lifecycle event an action starts with (a review of submitted evidence starts the review).
FIRST_EVENT = {
    Action.ACKNOWLEDGE: TaskEvent.ACKNOWLEDGE,
    Action.REPORT_PROGRESS: TaskEvent.REPORT_PROGRESS,
    Action.SUBMIT_EVIDENCE: TaskEvent.SUBMIT_EVIDENCE,
    Action.REVIEW: TaskEvent.APPROVE,
    Action.EXTEND_DEADLINE: TaskEvent.EXTEND_DEADLINE,
    Action.REASSIGN: TaskEvent.REASSIGN,
    Action.WAIVE: TaskEvent.WAIVE,
}

# The last part of each action's URL, for the forms and the API alike.
ACTION_PATHS = {
    Action.ACKNOWLEDGE: "acknowledge",
    Action.REPORT_PROGRESS: "progress",
    Action.SUBMIT_EVIDENCE: "evidence",
    Action.REVIEW: "review",
    Action.EXTEND_DEADLINE: "extend",
    Action.REASSIGN: "reassign",
    Action.WAIVE: "waive",
}


@dataclass(frozen=True)
class TaskRef:
    plan_id: int
    task_code: str
    occurrence_key: str

    @property
    def workflow_id(self) -> str:
        return task_workflow_id(self.plan_id, self.task_code, self.occurrence_key)


def page_url(workflow_id: str) -> str:
    """The task page's path, as the emails link to it (notifications.context.task_url)."""
    return task_url("", workflow_id)


def evidence_url(sha256: str, workflow_id: str) -> str:
    """Where one of the task's evidence files downloads."""
    return f"/evidence/{sha256}?task={quote(short_id(workflow_id), safe='/')}"


# --- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilter:
    plan_id: int | None = None
    unit: str | None = None  # a lead unit, however it is spelled
    state: TaskState | None = None
    overdue: bool = False

    def apply(self, tasks: Iterable[TaskSummary]) -> list[TaskSummary]:
        return [
            task
            for task in tasks
            if (self.plan_id is None or task.plan_id == self.plan_id)
            and (self.unit is None or shares_a_unit((self.unit,), task.lead))
            and (self.state is None or task.state is self.state)
            and (not self.overdue or task.overdue)
        ]

    @property
    def active(self) -> bool:
        return self != TaskFilter()


def visible_tasks(session: Session, user: User, today: date) -> list[TaskSummary]:
    """The tasks `user` may see (their commune's, or every commune's), by due date."""
    return [task for task in list_tasks(session, today=today, commune=user.commune) if sees_commune(user, task.commune)]


def urgency(task: TaskSummary, soon: date) -> str:
    """ "red" (overdue), "amber" (due by `soon`), "green" (later) or "done" (finished)."""
    if task.state in FINAL_STATES:
        return "done"
    if task.overdue:
        return "red"
    return "amber" if task.due <= soon else "green"


def soon_after(today: date) -> date:
    """The last day a task counts as due soon: 3 working days after today."""
    return WorkCalendar().add_working_days(today, SOON_WORKING_DAYS)


def coloured(tasks: Iterable[TaskSummary], today: date) -> list[tuple[TaskSummary, str]]:
    soon = soon_after(today)
    return [(task, urgency(task, soon)) for task in tasks]


def overdue_by_unit(tasks: Iterable[TaskSummary]) -> list[tuple[str, list[TaskSummary]]]:
    """Overdue tasks under each lead unit, most days late first; the latest unit first."""
    groups: dict[str, tuple[str, list[TaskSummary]]] = {}
    for task in tasks:
        if task.overdue:
            for name in task.lead:
                groups.setdefault(unit_key(name), (name, []))[1].append(task)
    ordered = [(name, sorted(items, key=lambda t: -t.days_late)) for name, items in groups.values()]
    return sorted(ordered, key=lambda group: (-group[1][0].days_late, group[0]))


def due_this_week(tasks: Iterable[TaskSummary], today: date) -> list[TaskSummary]:
    return [t for t in tasks if t.state not in FINAL_STATES and today <= t.due < today + WEEK]


def of_units(tasks: Iterable[TaskSummary], units: tuple[str, ...]) -> list[TaskSummary]:
    """The tasks led by one of `units`, however they are spelled."""
    return [t for t in tasks if shares_a_unit(units, t.lead)]


def coordinated_by(tasks: Iterable[TaskSummary], units: tuple[str, ...]) -> list[TaskSummary]:
    """The tasks one of `units` coordinates on (phối hợp) and does not lead."""
    return [t for t in tasks if shares_a_unit(units, t.coordinating) and not shares_a_unit(units, t.lead)]


def unit_names(tasks: Iterable[TaskSummary]) -> list[str]:
    """Every lead unit of `tasks`, once each, by name."""
    names: dict[str, str] = {}
    for task in tasks:
        for name in task.lead:
            names.setdefault(unit_key(name), name)
    return sorted(names.values())


# --- one task --------------------------------------------------------------------------------


def find_task(session: Session, user: User, ref: TaskRef, today: date) -> TaskSummary:
    """The task at `ref` if `user` may see it; `NotFound` otherwise (another commune's task
    is not found either: its existence is not theirs to know)."""
    task = get_task(session, ref.workflow_id, today=today)
    if task is None or not sees_commune(user, task.commune):
        raise NotFound("Không tìm thấy nhiệm vụ này.")
    return task


def lifecycle_problem(state: TaskState, action: Action) -> str | None:
    """Why the lifecycle does not allow `action` in `state`, or None."""
    event = (
        TaskEvent.START_REVIEW
        if (action, state) == (Action.REVIEW, TaskState.EVIDENCE_SUBMITTED)
        else FIRST_EVENT[action]
    )
    result = transition(state, event)
    return result.reason if isinstance(result, Rejected) else None


def available_actions(actor: Actor, task: TaskSummary) -> list[Action]:
    """The actions `actor` may take on `task` now: allowed for the role and unit, and by the lifecycle."""
    return [
        action
        for action in Action
        if permission_problem(actor, action, task.lead) is None and lifecycle_problem(task.state, action) is None
    ]


@dataclass
class TaskPage:
    detail: TaskDetail
    plan_number: str
    actions: list[Action]
    progress: int | None = None
    officer: str | None = None
    evidence: tuple[Submission, ...] = ()
    units: list[str] = field(default_factory=list)  # the commune's units, to reassign to
    names: dict[str, str] = field(default_factory=dict)  # username -> the person, as shown to another

    @property
    def task(self) -> TaskSummary:
        return self.detail.summary  # type: ignore[return-value]


def task_page(session: Session, user: User, ref: TaskRef, today: date) -> TaskPage:
    task = find_task(session, user, ref, today)
    detail = detail_from_read_model(session, task, note="")
    plan = session.get(PlanRow, task.plan_id)
    actions = available_actions(user.actor, task)
    return TaskPage(
        detail=detail,
        plan_number=plan.number if plan is not None else "",
        actions=actions,
        progress=detail.progress,
        officer=detail.officer,
        evidence=detail.submissions,
        units=commune_units(session, task.commune) if Action.REASSIGN in actions else [],
        names=shown_names(session, task.commune),
    )


def commune_units(session: Session, commune: str) -> list[str]:
    """The commune's directory of units (from its plans), by name."""
    query = (
        select(UnitRow.name)
        .join(CommuneRow, CommuneRow.id == UnitRow.commune_id)
        .where(CommuneRow.name == commune)
        .order_by(UnitRow.name)
    )
    return list(session.scalars(query))
