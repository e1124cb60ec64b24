"""The Temporal worker process: wiring only.

settings → database session factory → Temporal client (pydantic data converter) → Worker
running `TaskWorkflow` and the activities of one `TaskActivities` object.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.events import TaskActivities
from config import Settings
from persistence.db import make_engine, make_session_factory
from workflows.contracts import TASK_QUEUE
from workflows.task import PASSTHROUGH_MODULES, TaskWorkflow

DEFAULT_TEMPORAL_ADDRESS = "localhost:7233"
DEFAULT_TEMPORAL_NAMESPACE = "default"


def workflow_runner() -> SandboxedWorkflowRunner:
    """The workflow sandbox, passing the pure domain modules through (also for the Replayer)."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    )


def build_worker(client: Client, session_factory: sessionmaker[Session], *, task_queue: str = TASK_QUEUE) -> Worker:
    """A worker for the task workflows; `client` must use the pydantic data converter."""
    activities = TaskActivities(session_factory)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[TaskWorkflow],
        activities=[activities.record_event],
        workflow_runner=workflow_runner(),
    )


async def connect(settings: Settings) -> Client:
    """A Temporal client with the pydantic data converter.

    Address and namespace come from `settings.temporal_address` / `settings.temporal_namespace`
    when the settings have them, else the local dev server's defaults.
    """
    return await Client.connect(
        getattr(settings, "temporal_address", None) or DEFAULT_TEMPORAL_ADDRESS,
        namespace=getattr(settings, "temporal_namespace", None) or DEFAULT_TEMPORAL_NAMESPACE,
        data_converter=pydantic_data_converter,
    )


async def run_worker(settings: Settings) -> None:
    """Run the worker until cancelled."""
    engine = make_engine(settings.effective_database_url)
    try:
        client = await connect(settings)
        await build_worker(client, make_session_factory(engine)).run()
    finally:
        engine.dispose()
