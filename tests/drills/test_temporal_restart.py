"""Fault drill: the Temporal dev server is stopped and started again (same SQLite file) in the
middle of a task's lifecycle, with `cchc worker` running in a process of its own.

The worker rides out the outage and polls again; the task's history, its timer and the
events already recorded survive; the lifecycle goes on to approval; SQL holds each event
of the timeline exactly once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from config import Settings
from devserver import DevServer, DevServerConfig
from domain.lifecycle import TaskState
from persistence.db import make_engine, make_session_factory, migrate
from persistence.task_tables import TaskEventRow
from temporal_client import connect
from tests.cli.running import free_port
from tests.drills.test_worker_killed_mid_activity import (
    LIFECYCLE,
    OFFICER,
    PLAN_START,
    REVIEWER,
    recorded,
    task_input,
)
from tests.drills.worker_process import WorkerProcess, until
from workflows.contracts import (
    TASK_QUEUE,
    Acknowledge,
    EvidenceSubmission,
    ProgressReport,
    ReviewDecision,
    task_workflow_id,
)
from workflows.search import task_search_attributes
from workflows.task import TaskWorkflow

WHOLE_TEST_SECONDS = 180


def test_a_restarted_temporal_server_loses_nothing_and_the_task_goes_on_to_approval(tmp_path):
    asyncio.run(asyncio.wait_for(restart_midway(tmp_path), WHOLE_TEST_SECONDS))


async def restart_midway(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    config = DevServerConfig("127.0.0.1", free_port(), free_port(), tmp_path / "temporal")
    server = DevServer(config)
    await server.start()
    settings = Settings(temporal_address=config.address, database_url=url, data_dir=tmp_path)
    env = {"CCHC_TEMPORAL_ADDRESS": config.address, "CCHC_DATABASE_URL": url, "CCHC_DATA_DIR": str(tmp_path)}
    worker = WorkerProcess(env, tmp_path / "worker.log")
    try:
        client = await connect(settings)
        await worker.polling(client)
        task = task_input(PLAN_START - datetime.now(UTC))
        workflow_id = task_workflow_id(task.plan_id, task.task_code, task.occurrence_key)
        await client.start_workflow(
            TaskWorkflow.run, task, id=workflow_id, task_queue=TASK_QUEUE,
            search_attributes=task_search_attributes(task, TaskState.ASSIGNED),
        )  # fmt: skip
        await until(lambda: recorded(sessions, workflow_id), 30, "the assignment was never recorded")
        handle = client.get_workflow_handle_for(TaskWorkflow.run, workflow_id)
        before = await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=OFFICER))

        assert server.stop() is not None  # the server goes away, its SQLite file stays
        await asyncio.sleep(2)
        assert worker.process.poll() is None, "the worker gave up while the server was away"
        server = DevServer(config)
        await server.start()

        client = await connect(settings)
        await worker.polling(client, timeout=90)
        handle = client.get_workflow_handle_for(TaskWorkflow.run, workflow_id)
        after = await handle.query(TaskWorkflow.state)
        assert (after.state, after.timeline, after.due) == (before.state, before.timeline, before.due)
        await handle.execute_update(TaskWorkflow.report_progress, ProgressReport(actor=OFFICER, percent=60))
        await handle.execute_update(
            TaskWorkflow.submit_evidence,
            EvidenceSubmission(
                actor=OFFICER, document_number="10/KH-UBND", document_date=date(2024, 1, 15),
                title="Kế hoạch cải cách hành chính năm 2024", file_ref="evidence/10-KH-UBND.pdf", sha256="ab" * 32,
            ),
        )  # fmt: skip
        await handle.execute_update(TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True))
        final = await asyncio.wait_for(handle.result(), 60)
    finally:
        worker.stop()
        server.stop()

    with sessions() as session:
        events = list(
            session.scalars(
                select(TaskEventRow).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq)
            )
        )
    engine.dispose()
    assert final.state is TaskState.APPROVED
    assert [(e.seq, e.kind) for e in events] == [(t.seq, t.kind) for t in final.timeline]
    assert [e.kind for e in events] == LIFECYCLE
