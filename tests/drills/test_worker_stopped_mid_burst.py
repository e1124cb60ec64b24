"""Fault drill: `cchc worker` is stopped with SIGTERM (as systemd or docker stop it on a deploy)
in the middle of a burst of recordings; it finishes them before it exits, and after a restart
every event is recorded exactly once.

A real Temporal dev server (`devserver.py`, on loopback ports of its own), PostgreSQL, and
`cchc worker` in a process of its own, with the default graceful shutdown. Section I of Vĩnh
Khê's plan is started (12 occurrences, each recording its assignment) while the test holds the
event table locked, so every record activity is running, blocked on the lock, when the worker
gets SIGTERM. A second later it still runs; the lock is released, the stopping worker finishes
every recording at its first attempt (none cut short, none retried) and exits 0. A second
worker takes over, the lead unit's officer acknowledges each task, and SQL holds each event of
each task exactly once, in its timeline's order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, select, text
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from domain.calendar import TZ
from domain.roles import Actor, Role
from importers import read_plan
from persistence.db import make_engine, make_session_factory, migrate
from persistence.plans import save_plan
from persistence.task_tables import TaskEventRow, TaskRunRow
from services.plan_start import start_plan
from tests.cli.running import SAMPLE
from tests.drills.worker_process import dev_server_for_workers, record_activity_running, until
from workflows.contracts import Acknowledge
from workflows.task import TaskWorkflow

PLAN_START = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)  # no alarm of section I falls within the test's minutes
TASKS, OCCURRENCES = 6, 12  # section I
CHAIRMAN = Actor(user="chu-tich", role=Role.CHAIRMAN)
WHOLE_TEST_SECONDS = 240


@contextmanager
def table_locked(engine: Engine, table: str) -> Iterator[None]:
    """Hold `table` locked against every reader and writer until the block ends."""
    with engine.connect() as connection, connection.begin():
        connection.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))
        yield


def test_a_worker_stopped_mid_burst_finishes_its_recordings_and_after_a_restart_each_event_is_recorded_once(
    postgres_schema_url, tmp_path
):
    asyncio.run(asyncio.wait_for(stop_mid_burst(postgres_schema_url, tmp_path), WHOLE_TEST_SECONDS))


async def stop_mid_burst(url: str, tmp_path) -> None:
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with dev_server_for_workers(url, tmp_path) as rig:
        client = rig.client
        first = await rig.start_worker()

        with table_locked(engine, TaskEventRow.__tablename__):
            workflow_ids = await start_section_one(client, sessions)
            handles = [client.get_workflow_handle(workflow_id) for workflow_id in workflow_ids]

            async def all_recording() -> bool:
                return all([await record_activity_running(handle) for handle in handles])

            await until(all_recording, 30, "the burst's record activities never all started")
            first.process.terminate()
            await asyncio.sleep(1)
            assert first.process.poll() is None, "the worker waits for its running activities"
        assert await asyncio.to_thread(first.process.wait, 60) == 0
        assert "Đã dừng worker." in first.log.read_text(encoding="utf-8")
        assert recorded_kinds(sessions) == {workflow_id: ["assign"] for workflow_id in workflow_ids}

        await rig.start_worker()
        leads = lead_units(sessions)
        await asyncio.gather(
            *(
                handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=officer_of(leads[handle.id])))
                for handle in handles
            )
        )
        timelines = {handle.id: (await handle.query(TaskWorkflow.state)).timeline for handle in handles}
        histories = [await handle.fetch_history() for handle in handles]

    try:
        events = recorded_events(sessions)
    finally:
        engine.dispose()
    assert events == {
        workflow_id: [(entry.seq, entry.kind, entry.state.value) for entry in timeline]
        for workflow_id, timeline in timelines.items()
    }
    assert {workflow_id: [kind for _, kind, _ in rows] for workflow_id, rows in events.items()} == {
        workflow_id: ["assign", "acknowledge"] for workflow_id in workflow_ids
    }
    attempts = [
        event.activity_task_started_event_attributes.attempt
        for history in histories
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]
    assert len(attempts) == 2 * OCCURRENCES and set(attempts) == {1}  # no recording was cut short and retried


async def start_section_one(client: Client, sessions) -> list[str]:
    """Start section I of the sample plan on the plan's clock; the workflow ids."""
    plan = read_plan(SAMPLE).plan
    plan = plan.model_copy(update={"tasks": plan.tasks[:TASKS]})
    with sessions.begin() as session:
        plan_id = save_plan(session, plan, source_file=SAMPLE.name, source_sha256="0" * 64).plan_id
    with sessions.begin() as session:
        report = await start_plan(
            client, session, plan_id, actor=CHAIRMAN, now=PLAN_START, clock_offset=PLAN_START - datetime.now(UTC)
        )
    assert len(report.started) == OCCURRENCES
    return [ref.workflow_id for ref in report.started]


def officer_of(lead: list[str]) -> Actor:
    return Actor(user="can-bo-chu-tri", role=Role.OFFICER, units=tuple(lead))


def lead_units(sessions) -> dict[str, list[str]]:
    with sessions() as session:
        return {run.workflow_id: run.lead for run in session.scalars(select(TaskRunRow))}


def recorded_events(sessions) -> dict[str, list[tuple[int, str, str]]]:
    with sessions() as session:
        rows = session.scalars(select(TaskEventRow).order_by(TaskEventRow.workflow_id, TaskEventRow.seq))
        events: dict[str, list[tuple[int, str, str]]] = {}
        for row in rows:
            events.setdefault(row.workflow_id, []).append((row.seq, row.kind, row.state))
        return events


def recorded_kinds(sessions) -> dict[str, list[str]]:
    return {workflow_id: [kind for _, kind, _ in rows] for workflow_id, rows in recorded_events(sessions).items()}
