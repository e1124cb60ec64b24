"""A worker killed (SIGKILL) in the middle of a task's lifecycle loses nothing and doubles nothing.

A real Temporal dev server (`devserver.py`, on loopback ports of its own) and `cchc worker` in a
process of its own. The task is acknowledged; then, while the test holds the SQLite database
locked, a progress report and an evidence submission are accepted, so their record activity is
running (blocked on the lock) when the worker process is killed. A second worker process takes
over: the activity is retried when the dead attempt times out, the updates complete, the office
approves. The task ends approved, and SQL holds each event of the workflow's timeline exactly once.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateStage

from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.roles import Actor, Role
from importers import read_plan
from persistence.db import make_engine, make_session_factory, migrate
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from tests.drills.worker_process import ROOT, dev_server_for_workers, record_activity_running, until
from workflows.contracts import (
    TASK_QUEUE,
    Acknowledge,
    EvidenceSubmission,
    ProgressReport,
    ReviewDecision,
    TaskInput,
    task_workflow_id,
)
from workflows.search import task_search_attributes
from workflows.task import TaskWorkflow

SAMPLE = ROOT / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
PLAN_START = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)  # no alarm of task I.1 falls within the test's minutes
OFFICER = Actor(user="cong-chuc-van-phong", role=Role.OFFICER, units=("Văn phòng",))
REVIEWER = Actor(user="van-phong-kiem-tra", role=Role.REVIEWER)
# The record activity's start-to-close timeout (30 s) decides when the killed attempt is retried.
WHOLE_TEST_SECONDS = 240
LIFECYCLE = ["assign", "acknowledge", "report_progress", "submit_evidence", "start_review", "approve"]


@contextmanager
def database_locked(path: Path):
    """Hold the SQLite file exclusively: every reader and writer waits (and, after 5 s, fails)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


async def recorded(sessions, workflow_id: str) -> bool:
    """Whether the workflow's assignment is in SQL: officers act once they have been told."""
    with sessions() as session:
        return session.scalar(select(TaskEventRow.id).where(TaskEventRow.workflow_id == workflow_id)) is not None


def task_input(clock_offset) -> TaskInput:
    """Vĩnh Khê's I.1 (the commune's CCHC plan for 2024, due 31/01/2024), on the plan's clock."""
    plan = read_plan(SAMPLE).plan
    task = next(t for t in plan.tasks if t.code == "I.1")
    return TaskInput(
        commune=plan.commune,
        plan_id=1,
        plan_number=plan.number,
        task_code=task.code,
        occurrence_key=task.occurrences[0].key,
        title=task.title,
        lead=task.lead,
        due=task.occurrences[0].due_date,
        settings=plan.settings,
        clock_offset=clock_offset,
    )


def test_a_worker_killed_mid_lifecycle_and_restarted_leaves_every_event_recorded_exactly_once(tmp_path):
    asyncio.run(asyncio.wait_for(kill_and_restart(tmp_path), WHOLE_TEST_SECONDS))


async def kill_and_restart(tmp_path: Path) -> None:
    database = tmp_path / "cchc.db"
    url = f"sqlite:///{database}"
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    async with dev_server_for_workers(url, tmp_path) as rig:
        client = rig.client
        first = await rig.start_worker()

        task = task_input(PLAN_START - datetime.now(UTC))
        handle = await client.start_workflow(
            TaskWorkflow.run,
            task,
            id=task_workflow_id(task.plan_id, task.task_code, task.occurrence_key),
            task_queue=TASK_QUEUE,
            search_attributes=task_search_attributes(task, TaskState.ASSIGNED),
        )
        await until(lambda: recorded(sessions, handle.id), 30, "the assignment was never recorded")
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=OFFICER))

        with database_locked(database):
            progress = await handle.start_update(
                TaskWorkflow.report_progress,
                ProgressReport(actor=OFFICER, percent=80, note="Đã có dự thảo kế hoạch"),
                wait_for_stage=WorkflowUpdateStage.ACCEPTED,
            )
            evidence = await handle.start_update(
                TaskWorkflow.submit_evidence,
                EvidenceSubmission(
                    actor=OFFICER,
                    document_number="10/KH-UBND",
                    document_date=date(2024, 1, 15),
                    title="Kế hoạch cải cách hành chính năm 2024",
                    file_ref="evidence/10-KH-UBND.pdf",
                    sha256="ab" * 32,
                ),
                wait_for_stage=WorkflowUpdateStage.ACCEPTED,
            )
            await until(lambda: record_activity_running(handle), 30, "the record activity never started")
            assert first.kill() == -signal.SIGKILL

        await rig.start_worker()
        await asyncio.wait_for(asyncio.gather(progress.result(), evidence.result()), 120)
        await handle.execute_update(TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))
        final = await asyncio.wait_for(handle.result(), 60)
        history = await handle.fetch_history()

    try:
        with sessions() as session:
            events = list(
                session.scalars(
                    select(TaskEventRow).where(TaskEventRow.workflow_id == handle.id).order_by(TaskEventRow.seq)
                )
            )
            notices = list(
                session.scalars(
                    select(NotificationRow.kind)
                    .where(NotificationRow.workflow_id == handle.id)
                    .order_by(NotificationRow.id)
                )
            )
            run = session.get(TaskRunRow, handle.id)
    finally:
        engine.dispose()

    assert final.state is TaskState.APPROVED
    assert [e.seq for e in events] == list(range(1, len(final.timeline) + 1))
    assert [(e.seq, e.kind, e.state) for e in events] == [(t.seq, t.kind, t.state.value) for t in final.timeline]
    assert [e.kind for e in events] == LIFECYCLE
    assert notices == ["assignment", "evidence_submitted", "approved"]
    assert run is not None, "the task's run row is stored"
    assert (run.state, run.last_seq) == ("approved", len(final.timeline))
    attempts = [
        e.activity_task_started_event_attributes.attempt
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]
    assert max(attempts) > 1  # the killed attempt was retried by the second worker
