"""Reading tasks: the SQL read model (`task_runs`, `task_events`) and the live workflow.

The read model is what the task workflows' record activity writes: it answers lists and
dashboards without touching Temporal. One task's live state comes from its workflow's
`state` query when the server and a worker answer, else from the read model and its events.
A task is `unreachable` when a lead unit of it has nobody in the commune's people directory
to email: each listing reads each commune's directory once.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session
from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowQueryFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from domain.calendar import TZ
from domain.errors import CchcError, ErrorCategory
from domain.lifecycle import FINAL_STATES, TaskState
from domain.people import units_without_recipients
from domain.roles import Action
from domain.task_events import Submission, task_history
from domain.units import same_commune, unit_key
from persistence.people import all_communes, commune_people
from persistence.tables import CommuneRow, TaskRow, TaskUnitRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from workflows.contracts import TaskSnapshot
from workflows.task import TaskWorkflow

# The workflow update behind each action a person takes (CLI, web, demo).
UPDATES: dict[Action, Any] = {
    Action.ACKNOWLEDGE: TaskWorkflow.acknowledge,
    Action.REPORT_PROGRESS: TaskWorkflow.report_progress,
    Action.SUBMIT_EVIDENCE: TaskWorkflow.submit_evidence,
    Action.REVIEW: TaskWorkflow.review,
    Action.EXTEND_DEADLINE: TaskWorkflow.extend_deadline,
    Action.REASSIGN: TaskWorkflow.reassign,
    Action.WAIVE: TaskWorkflow.waive,
}

WORKFLOW_ID_PREFIX = "cchc-task/"
QUERY_TIMEOUT = timedelta(seconds=5)
# An update waits for a worker to run it; without one it would wait forever.
UPDATE_TIMEOUT_SECONDS = 30.0
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 0.1, 2.0  # asking again while the server says "not now"
FINAL_VALUES = tuple(state.value for state in FINAL_STATES)


class TaskNotFound(CchcError, LookupError):
    """No running workflow (or read-model row) has this id."""

    category = ErrorCategory.NOT_FOUND
    closing = "."

    def __init__(self, workflow_id: str) -> None:
        self.workflow_id = workflow_id
        super().__init__(f"không tìm thấy nhiệm vụ đang chạy “{short_id(workflow_id)}”")


class NoWorkerAnswer(CchcError, TimeoutError):
    """The update was sent but no worker ran it in time."""

    category = ErrorCategory.UNAVAILABLE

    def __init__(self, workflow_id: str, seconds: float) -> None:
        self.workflow_id = workflow_id
        self.seconds = seconds
        super().__init__(
            f"nhiệm vụ {short_id(workflow_id)} chưa trả lời sau {seconds:g} giây: "
            "worker có đang chạy không (cchc up hoặc cchc worker)?"
        )


def workflow_id_of(task_id: str) -> str:
    """The workflow id a person typed, with or without its prefix: "1/I.3/2024-02"."""
    task_id = task_id.strip()
    return task_id if task_id.startswith(WORKFLOW_ID_PREFIX) else WORKFLOW_ID_PREFIX + task_id


def short_id(workflow_id: str) -> str:
    return workflow_id.removeprefix(WORKFLOW_ID_PREFIX)


def today_in_vietnam(now: datetime | None = None) -> date:
    return (now or datetime.now(TZ)).astimezone(TZ).date()


# --- the read model --------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskSummary:
    workflow_id: str
    commune: str
    plan_id: int
    task_code: str
    occurrence_key: str
    title: str
    state: TaskState
    due: date
    lead: tuple[str, ...]
    escalation_level: int
    updated_at: datetime
    days_late: int  # calendar days past due on `today`, 0 if not late or finished
    unreachable: bool  # a lead unit has nobody in the people directory to email
    coordinating: tuple[str, ...]  # the units the plan names to coordinate (phối hợp)

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


def list_tasks(
    session: Session,
    *,
    today: date,
    overdue: bool = False,
    unit: str | None = None,
    plan_id: int | None = None,
    commune: str | None = None,
) -> list[TaskSummary]:
    """Task occurrences by due date; `overdue`: due before `today` and not finished."""
    query = select(TaskRunRow).order_by(TaskRunRow.due_date, TaskRunRow.plan_id, TaskRunRow.workflow_id)
    if commune is not None:  # one commune's rows, read through its index, however the user spells it
        names = [name for name in session.scalars(select(CommuneRow.name)) if same_commune(name, commune)]
        query = query.where(TaskRunRow.commune.in_(names))
    if overdue:
        query = query.where(TaskRunRow.due_date < today, TaskRunRow.state.not_in(FINAL_VALUES))
    if plan_id is not None:
        query = query.where(TaskRunRow.plan_id == plan_id)
    unreachable = _reachability(session)
    coordinating = _coordinating(session)
    tasks = [_summary(row, today, unreachable, coordinating) for row in session.scalars(query)]
    if unit is not None:  # lead is JSON: matched here, by the one unit-name rule
        wanted = unit_key(unit)
        tasks = [task for task in tasks if wanted in {unit_key(name) for name in task.lead}]
    return tasks


def get_task(session: Session, workflow_id: str, *, today: date) -> TaskSummary | None:
    row = session.get(TaskRunRow, workflow_id)
    if row is None:
        return None
    coordinating = _coordinating(session, TaskRow.plan_id == row.plan_id, TaskRow.code == row.task_code)
    return _summary(row, today, _reachability(session), coordinating)


def communes_without_directory(session: Session, tasks: Iterable[TaskSummary]) -> list[str]:
    """The communes of `tasks` that have no people directory at all, by name."""
    return sorted({task.commune for task in tasks} - set(all_communes(session)))


def task_events(session: Session, workflow_id: str) -> list[TaskEventRow]:
    query = select(TaskEventRow).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq)
    return list(session.scalars(query))


def _reachability(session: Session) -> Callable[[str, tuple[str, ...]], bool]:
    """unreachable(commune, lead): whether a lead unit has nobody to email; each commune's
    directory is read once, each lead computed once."""
    directory = functools.cache(lambda commune: commune_people(session, commune))

    @functools.cache
    def unreachable(commune: str, lead: tuple[str, ...]) -> bool:
        return bool(units_without_recipients(directory(commune), lead))

    return unreachable


def _coordinating(session: Session, *where: ColumnElement[bool]) -> dict[tuple[int, str], tuple[str, ...]]:
    """(plan id, task code) -> the task's coordinating units, as the plan names them, in order;
    of the tasks `where` chooses, else of all."""
    query = (
        select(TaskRow.plan_id, TaskRow.code, TaskUnitRow.name)
        .join(TaskUnitRow, TaskUnitRow.task_id == TaskRow.id)
        .where(TaskUnitRow.role == "coordinating", *where)
        .order_by(TaskRow.id, TaskUnitRow.position)
    )
    found: dict[tuple[int, str], tuple[str, ...]] = {}
    for plan_id, code, name in session.execute(query):
        found[plan_id, code] = (*found.get((plan_id, code), ()), name)
    return found


def _summary(
    row: TaskRunRow,
    today: date,
    unreachable: Callable[[str, tuple[str, ...]], bool],
    coordinating: dict[tuple[int, str], tuple[str, ...]],
) -> TaskSummary:
    state = TaskState(row.state)
    late = (today - row.due_date).days if state not in FINAL_STATES else 0
    return TaskSummary(
        workflow_id=row.workflow_id,
        commune=row.commune,
        plan_id=row.plan_id,
        task_code=row.task_code,
        occurrence_key=row.occurrence_key,
        title=row.title,
        state=state,
        due=row.due_date,
        lead=tuple(row.lead),
        escalation_level=row.escalation_level,
        updated_at=row.updated_at,
        days_late=max(late, 0),
        unreachable=unreachable(row.commune, tuple(row.lead)),
        coordinating=coordinating.get((row.plan_id, row.task_code), ()),
    )


# --- one task, in full -----------------------------------------------------------------------


@dataclass
class TaskDetail:
    """One task as `cchc task show` prints it; `source` says where the state came from."""

    workflow_id: str
    source: str  # "temporal" (the workflow's query) or "database" (the read model)
    state: TaskState
    due: date
    lead: tuple[str, ...]
    escalation_level: int
    days_late: int
    summary: TaskSummary | None = None  # the read-model row: title, plan, commune
    officer: str | None = None
    progress: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None  # why the state is not live, for people
    submissions: tuple[Submission, ...] = ()  # from the read model: every document submitted, by whom, when


async def query_snapshot(client: Client, workflow_id: str) -> TaskSnapshot | None:
    """The workflow's own state, or None when no worker answers within QUERY_TIMEOUT."""
    try:
        return await client.get_workflow_handle(workflow_id).query(TaskWorkflow.state, rpc_timeout=QUERY_TIMEOUT)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise TaskNotFound(workflow_id) from exc
        return None
    except WorkflowQueryFailedError:
        return None


Request = TypeVar("Request")
Answer = TypeVar("Answer")  # its snapshot: a task's, or a round's


async def execute_update(
    client: Client,
    workflow_id: str,
    update: UpdateMethodMultiParam[[Any, Request], Answer],
    request: Request,
    *,
    timeout: float = UPDATE_TIMEOUT_SECONDS,
) -> Answer:
    """Run one of TaskWorkflow's updates; a refusal raises `WorkflowUpdateFailedError` with the reason."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        return await asyncio.wait_for(_until_answered(handle, update, request), timeout)
    except TimeoutError:
        raise NoWorkerAnswer(workflow_id, timeout) from None
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:  # no such id, or the task has finished
            raise TaskNotFound(workflow_id) from exc
        raise


async def _until_answered(
    handle: WorkflowHandle, update: UpdateMethodMultiParam[[Any, Request], Answer], request: Request
) -> Answer:
    """Ask again, a little later each time, while the server says "not now": it aborts an
    update whose workflow task failed or timed out (a worker overloaded, or killed), refuses
    more than a few updates in flight on one workflow, and ends a long wait for the result.
    None of these ran the update, or it did and the same update id finds its result: asking
    again can only run it once. The caller's timeout bounds the whole."""
    update_id, delay = str(uuid.uuid4()), RETRY_FIRST_SECONDS
    while True:
        try:
            return await handle.execute_update(update, request, id=update_id)
        except WorkflowUpdateRPCTimeoutOrCancelledError as exc:
            current = asyncio.current_task()
            assert current is not None, "an update is awaited from a task"
            if current.cancelling():  # the caller's timeout, not the server's
                raise asyncio.CancelledError() from exc
        except RPCError as exc:
            if not _not_now(exc):
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, RETRY_MAX_SECONDS)


def _not_now(exc: RPCError) -> bool:
    aborted = exc.status == RPCStatusCode.UNAVAILABLE and "update was aborted" in exc.message
    return aborted or exc.status == RPCStatusCode.RESOURCE_EXHAUSTED


def detail_from_snapshot(workflow_id: str, snapshot: TaskSnapshot, summary: TaskSummary | None, today: date):
    late = (today - snapshot.due).days if snapshot.state not in FINAL_STATES else 0
    return TaskDetail(
        workflow_id=workflow_id,
        source="temporal",
        state=snapshot.state,
        due=snapshot.due,
        lead=snapshot.lead,
        escalation_level=snapshot.escalation_level,
        days_late=max(late, 0),
        summary=summary,
        officer=snapshot.officer,
        progress=snapshot.progress,
        evidence=[evidence.model_dump(mode="json") for evidence in snapshot.evidence],
        timeline=[entry.model_dump(mode="json") for entry in snapshot.timeline],
    )


def detail_from_read_model(session: Session, summary: TaskSummary, note: str) -> TaskDetail:
    events = task_events(session, summary.workflow_id)
    history = task_history((event.entry() for event in events), due=summary.due, lead=summary.lead)
    timeline = [
        {
            "seq": event.seq,
            "at": event.at.astimezone(TZ).isoformat(),
            "kind": event.kind,
            "state": event.state,
            "actor": event.actor,
            "role": event.role,
            "detail": event.detail,
            "data": event.payload,
        }
        for event in events
    ]
    return TaskDetail(
        workflow_id=summary.workflow_id,
        source="database",
        state=summary.state,
        due=summary.due,
        lead=summary.lead,
        escalation_level=summary.escalation_level,
        days_late=summary.days_late,
        summary=summary,
        officer=history.officer,
        progress=history.progress,
        evidence=[submitted.document.model_dump(mode="json", exclude={"kind"}) for submitted in history.submissions],
        timeline=timeline,
        note=note,
        submissions=history.submissions,
    )
