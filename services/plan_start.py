"""Starting a plan: one `TaskWorkflow` per task occurrence, idempotently.

Future occurrences: started now, each waiting on its own durable timer
-----------------------------------------------------------------------
`cchc plan start` starts the workflow of every occurrence of every task at once, including
the ones due in December or whose period has not begun (a quarterly report, the Q4 check-in
of an ongoing task). Each waits on a durable timer until its first reminder. We chose this
over the two alternatives because:

- Every deadline of the year exists from day one, as a workflow with its own id: Temporal's
  UI and `temporal workflow list --query 'CchcPlan="1"'` list the whole plan, its first
  event puts it in our read model (`cchc task list`), and the chairman can extend, reassign
  or waive a December task in March. A plan amended after start changes the running
  workflows through their own updates, which needs them to exist.
- A waiting workflow costs a timer and a handful of history events; timers live in the
  server's store (the dev server's SQLite file), so restarts of the worker or the server
  lose nothing. Long-lived runs continue-as-new well before Temporal's history limits.
- Temporal Schedules fire on calendar specs; our due dates are single, irregular days (a
  period end rolled past a holiday, "the last working day before the 10th") that
  `domain.periods` has already computed. A schedule's occurrence does not exist before it
  fires, so it could not be listed, extended or waived ahead of time, and schedules are a
  second thing to create, pause and delete.
- A parent plan workflow would add a second durable object whose history grows with every
  child, a parent-close policy to get right, and nothing the workflow ids do not already
  give: one id per occurrence (`task_workflow_id`) makes starting idempotent on its own.

The price: every occurrence raises its assignment notice at start (a quarterly task's four
occurrences are assigned on the day the plan starts), which is when the plan assigns them.

Idempotent
----------
Workflow ids are `cchc-task/<plan id>/<task code>/<occurrence key>`. A start uses
`id_conflict_policy=FAIL` with `id_reuse_policy=REJECT_DUPLICATE`: the server refuses an id
that is running or has ever run, and says so through the public `WorkflowAlreadyStartedError`
(`USE_EXISTING` would return the running workflow's handle and tell us only through a private
field that nothing was started). An occurrence the read model shows finished (approved,
waived, cancelled) is never started again, even after the namespace's retention has dropped
its closed workflow from Temporal.

Nobody to email
---------------
The report lists the lead units of the running occurrences that have nobody in the
commune's people directory (`units_without_email`): their assignments and reminders would
reach nobody, and the caller says so rather than leaving them silently unnotified.

Past due at start
-----------------
An occurrence whose due date is before today (Asia/Ho_Chi_Minh) is not started silently: it
is left out and listed in the report (`skipped_past_due`), unless the caller asks for it
(`include_past_due=True`); a late task started that way escalates to the chairman at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.calendar import TZ
from domain.errors import CchcError, ErrorCategory
from domain.lifecycle import FINAL_STATES, TaskState
from domain.models import Plan
from domain.roles import Actor, Role
from persistence.plans import find_plan_id, load_plan
from persistence.task_runs import add_started_runs
from persistence.task_tables import TaskRunRow
from services.people import units_without_email
from workflows.contracts import TASK_QUEUE, TaskInput, task_input, task_workflow_id
from workflows.search import task_search_attributes
from workflows.task import TaskWorkflow

ALLOWED_ROLES = frozenset({Role.ADMIN, Role.CHAIRMAN, Role.REVIEWER})
CONCURRENT_STARTS = 16
SUMMARY_LENGTH = 200
RUNNING = ("started", "already_running")


class NotAllowed(CchcError, PermissionError):
    """The actor may not do this; the message is for people (Vietnamese)."""

    category = ErrorCategory.NOT_ALLOWED
    lead = "Bị từ chối: "


@dataclass(frozen=True)
class OccurrenceRef:
    workflow_id: str
    task_code: str
    occurrence_key: str
    period: str  # "Quý I/2024"
    title: str
    due: date


@dataclass
class StartReport:
    plan_id: int
    plan_number: str
    commune: str
    today: date
    started: list[OccurrenceRef] = field(default_factory=list)
    already_running: list[OccurrenceRef] = field(default_factory=list)
    already_closed: list[OccurrenceRef] = field(default_factory=list)  # finished: never started again
    skipped_past_due: list[OccurrenceRef] = field(default_factory=list)  # not started: due before today
    units_without_email: list[str] = field(default_factory=list)  # lead units of running tasks: nobody to email

    @property
    def started_past_due(self) -> list[OccurrenceRef]:
        """Started although already late (include_past_due): they escalate at once."""
        return [ref for ref in self.started if ref.due < self.today]


@dataclass(frozen=True)
class PlannedStart:
    ref: OccurrenceRef
    input: TaskInput


def plan_starts(plan: Plan, plan_id: int, clock_offset: timedelta = timedelta(0)) -> list[PlannedStart]:
    """Every occurrence of every task of `plan`, with the input of its workflow. Pure."""
    starts = []
    for task in plan.tasks:
        for occurrence in task.occurrences:
            workflow_input = task_input(plan, plan_id, task, occurrence, clock_offset=clock_offset)
            ref = OccurrenceRef(
                workflow_id=task_workflow_id(plan_id, task.code, occurrence.key),
                task_code=task.code,
                occurrence_key=occurrence.key,
                period=occurrence.period.label,
                title=task.title,
                due=occurrence.due_date,
            )
            starts.append(PlannedStart(ref, workflow_input))
    return starts


async def start_plan(
    client: Client,
    session: Session,
    plan_ref: int | str,
    *,
    actor: Actor,
    year: int | None = None,
    include_past_due: bool = False,
    task_queue: str = TASK_QUEUE,
    now: datetime | None = None,
    clock_offset: timedelta = timedelta(0),
) -> StartReport:
    """Start the workflow of every occurrence of the stored plan `plan_ref` not started yet.

    Adds the read-model rows of the started ones to `session`; the caller commits.
    `clock_offset` is for simulations only (TaskInput.clock_offset).
    """
    if actor.role not in ALLOWED_ROLES:
        raise NotAllowed(f"{actor.user} ({actor.role.value}) không có quyền khởi động kế hoạch")
    plan_id = find_plan_id(session, plan_ref, year=year)
    plan = load_plan(session, plan_id)
    now = (now or datetime.now(TZ)).astimezone(TZ)
    today = now.date()
    report = StartReport(plan_id, plan.number, plan.commune, today)
    starts = plan_starts(plan, plan_id, clock_offset)
    finished = _finished_in_read_model(session, [start.ref.workflow_id for start in starts])

    limit = asyncio.Semaphore(CONCURRENT_STARTS)

    async def one(start: PlannedStart) -> tuple[str, OccurrenceRef]:
        async with limit:
            if start.ref.workflow_id in finished:
                return "already_closed", start.ref
            if start.ref.due < today and not include_past_due:
                return await _existing(client, start.ref) or "skipped_past_due", start.ref
            return await _start(client, start, actor, task_queue), start.ref

    outcomes = await asyncio.gather(*(one(start) for start in starts))
    for outcome, ref in outcomes:
        getattr(report, outcome).append(ref)
    running = [
        (s.ref.workflow_id, s.input) for s, (outcome, _) in zip(starts, outcomes, strict=True) if outcome in RUNNING
    ]
    add_started_runs(session, running, now)
    leads = (unit for _, task in running for unit in task.lead)
    report.units_without_email = units_without_email(session, plan.commune, leads)
    return report


async def _start(client: Client, start: PlannedStart, actor: Actor, task_queue: str) -> str:
    ref = start.ref
    try:
        await client.start_workflow(
            TaskWorkflow.run,
            start.input,
            id=ref.workflow_id,
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=task_search_attributes(start.input, TaskState.ASSIGNED),
            static_summary=f"{ref.task_code} · {ref.period}: {ref.title}"[:SUMMARY_LENGTH],
            memo={"started_by": actor.user, "role": actor.role.value},
        )
    except WorkflowAlreadyStartedError:
        return await _existing(client, ref) or "already_running"
    return "started"


async def _existing(client: Client, ref: OccurrenceRef) -> str | None:
    """ "already_running" or "already_closed" if Temporal knows the workflow, else None."""
    try:
        description = await client.get_workflow_handle(ref.workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return "already_running" if description.status == WorkflowExecutionStatus.RUNNING else "already_closed"


def _finished_in_read_model(session: Session, workflow_ids: list[str]) -> set[str]:
    final = [state.value for state in FINAL_STATES]
    query = select(TaskRunRow.workflow_id).where(TaskRunRow.workflow_id.in_(workflow_ids), TaskRunRow.state.in_(final))
    return set(session.scalars(query))
