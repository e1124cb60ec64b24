"""A time-skipping Temporal server, a worker and a database, on the Vĩnh Khê plan's 2024 clock.

The test server starts at today's real time; the workflows run on the task clock,
`workflow.now() + TaskInput.clock_offset`, and the rig computes that offset so the task
clock reads 15/01/2024 08:00 (the plan's date) when the rig starts.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from devserver import find_temporal_cli, find_test_server
from domain.calendar import TZ
from domain.models import Plan
from domain.roles import Actor, Role
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from temporal_client import register_search_attributes
from worker import build_worker
from workflows import contracts
from workflows.contracts import TaskInput, task_workflow_id
from workflows.search import ALL_KEYS
from workflows.task import TaskWorkflow

PLAN_START = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)  # the Vĩnh Khê plan is dated 15/01/2024
PLAN_ID = 1
HISTORIES = Path(__file__).parent / "histories"
RECORD_HISTORIES = os.environ.get("CCHC_RECORD_HISTORIES", "") == "1"

# A history ending in one of these has nothing in flight (a completed workflow task that
# scheduled an activity would be followed by ACTIVITY_TASK_SCHEDULED).
QUIET_EVENTS = {
    EventType.EVENT_TYPE_TIMER_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
}

WORKFLOW_TASK_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}

CHAIRMAN = Actor(user="chu-tich", role=Role.CHAIRMAN)
REVIEWER = Actor(user="van-phong-kiem-tra", role=Role.REVIEWER)
AUDITOR = Actor(user="so-noi-vu", role=Role.AUDITOR)


def officer(unit: str, user: str | None = None) -> Actor:
    return Actor(user=user or f"cong-chuc-{unit.lower().replace(' ', '-')}", role=Role.OFFICER, units=(unit,))


def at(day: int, month: int, hour: int = 8, minute: int = 0, second: int = 0, year: int = 2024) -> datetime:
    """An instant on the task clock, in Viet Nam."""
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def task_input(plan: Plan, code: str, *, due: date | None = None, offset: timedelta, **extra) -> TaskInput:
    """The input for the first occurrence of the plan's task `code`, optionally with another due date."""
    task = next(t for t in plan.tasks if t.code == code)
    occurrence = task.occurrences[0]
    built = contracts.task_input(plan, PLAN_ID, task, occurrence, clock_offset=offset)
    return built.model_copy(update={"due": due or occurrence.due_date, **extra})


class Rig:
    def __init__(self, env: WorkflowEnvironment, sessions, offset: timedelta, task_queue: str) -> None:
        self.env = env
        self.client = env.client
        self.sessions = sessions
        self.offset = offset
        self.task_queue = task_queue

    # --- the clock -------------------------------------------------------------------------

    async def now(self) -> datetime:
        """The task clock now."""
        return (await self.env.get_current_time() + self.offset).astimezone(TZ)

    async def advance_to(self, moment: datetime, *handles: WorkflowHandle) -> None:
        """Let the task clock run to `moment`, firing every timer on the way, then settle."""
        delay = moment - await self.now()
        if delay > timedelta(0):
            await self.env.sleep(delay)
        for handle in handles:
            await self.settle(handle)

    async def settle(self, handle: WorkflowHandle) -> None:
        """Wait (real time) until the workflow's latest run waits on nothing but a timer or an update."""
        latest = self.client.get_workflow_handle(handle.id)
        for _ in range(500):
            history = await latest.fetch_history()
            if history.events[-1].event_type in QUIET_EVENTS:
                return
            await asyncio.sleep(0.02)
        raise TimeoutError(f"{handle.id} did not settle")

    # --- workflows -------------------------------------------------------------------------

    def input(self, plan: Plan, code: str, **kwargs) -> TaskInput:
        return task_input(plan, code, offset=self.offset, **kwargs)

    async def start(self, task: TaskInput) -> WorkflowHandle:
        handle = await self.client.start_workflow(
            TaskWorkflow.run,
            task,
            id=task_workflow_id(task.plan_id, task.task_code, task.occurrence_key),
            task_queue=self.task_queue,
        )
        await self.settle(handle)
        return handle

    async def history_length(self, handle: WorkflowHandle) -> int:
        await self.settle(handle)
        return len((await handle.fetch_history()).events)

    async def recorded_events(self, handle: WorkflowHandle) -> list[int]:
        """The history's events other than workflow-task bookkeeping (which the time-skipping
        test server writes even for a rejected update, and a real server does not)."""
        await self.settle(handle)
        return [e.event_id for e in (await handle.fetch_history()).events if e.event_type not in WORKFLOW_TASK_EVENTS]

    async def keep_history(self, handle: WorkflowHandle, name: str) -> None:
        """With CCHC_RECORD_HISTORIES=1, store the run's history for the replay test.

        An existing file is never overwritten: the stored histories were recorded by earlier
        versions of the workflow, and replaying them is what catches a non-deterministic
        change. To re-record one, delete it (a change a reviewer sees).
        """
        path = HISTORIES / f"{name}.json"
        if RECORD_HISTORIES and not path.exists():
            history = await handle.fetch_history()
            path.write_text(history.to_json(), encoding="utf-8")

    # --- what reached SQL ------------------------------------------------------------------

    def events(self, workflow_id: str) -> list[TaskEventRow]:
        with self.sessions() as session:
            query = select(TaskEventRow).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq)
            return list(session.scalars(query))

    def alarms(self, workflow_id: str) -> list[tuple[str, int, datetime]]:
        """(kind, level, at) of every reminder and escalation recorded."""
        return [
            (e.kind, e.payload["level"], e.at) for e in self.events(workflow_id) if e.kind in ("reminder", "escalation")
        ]

    def notifications(self, workflow_id: str) -> list[NotificationRow]:
        with self.sessions() as session:
            query = (
                select(NotificationRow).where(NotificationRow.workflow_id == workflow_id).order_by(NotificationRow.id)
            )
            return list(session.scalars(query))

    def run_row(self, workflow_id: str) -> TaskRunRow | None:
        with self.sessions() as session:
            return session.get(TaskRunRow, workflow_id)

    def count(self, table) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(table))


async def start_environment(local: bool) -> WorkflowEnvironment:
    if local:  # the real server (in-memory): exact history semantics, no time skipping
        return await WorkflowEnvironment.start_local(
            data_converter=pydantic_data_converter,
            dev_server_existing_path=str(find_temporal_cli()),
            dev_server_log_level="error",
            search_attributes=ALL_KEYS,
        )
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=str(find_test_server())
    )
    await register_search_attributes(env.client)
    return env


@asynccontextmanager
async def task_rig(sessions, start: datetime = PLAN_START, *, local: bool = False):
    """A server, a worker on its own task queue, and the task clock at `start`.

    By default the time-skipping test server; `local=True` runs the real dev server, whose
    clock cannot be skipped (use it for what the test server does differently).
    """
    env = await start_environment(local)
    try:
        offset = start - await env.get_current_time()
        task_queue = f"cchc-test-{uuid.uuid4().hex[:8]}"
        async with build_worker(env.client, sessions, task_queue=task_queue):
            yield Rig(env, sessions, offset, task_queue)
    finally:
        await env.shutdown()
