"""The Temporal worker process: wiring only.

A session factory and a Temporal client (pydantic data converter) → a Worker running
`TaskWorkflow` and the activities of one `TaskActivities` object. `cchc up` and `cchc worker`
(cli/worker.py) build it; the tests and the demo too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.worker import Worker

from activities.events import TaskActivities
from activities.refusals import RefusalActivities
from activities.round_events import RoundActivities
from domain.calendar import TZ, public_holidays
from observability.activity_context import ActivityContext
from observability.metrics import Metrics
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.contracts import TASK_QUEUE
from workflows.sandbox import workflow_runner
from workflows.task import TaskWorkflow

DEFAULT_CACHED_WORKFLOWS = 1000  # the SDK's own default


def build_worker(
    client: Client,
    session_factory: sessionmaker[Session],
    *,
    task_queue: str = TASK_QUEUE,
    max_cached_workflows: int = DEFAULT_CACHED_WORKFLOWS,
    graceful_shutdown: timedelta = timedelta(0),
) -> Worker:
    """A worker for the task and PAR round workflows; `client` must use the pydantic data converter.

    `max_cached_workflows` 0 turns off the workflow cache and with it sticky task queues:
    every workflow task is replayed from its history, on any worker.

    On shutdown the worker stops polling and gives its running activities `graceful_shutdown`
    to finish before it cancels them (the SDK's default, 0, cancels them at once).

    The holiday calendar is loaded here, once: its first load imports every country module
    of `holidays`, which inside a workflow task could outlast Temporal's 2-second deadlock
    detection on a busy machine.
    """
    public_holidays(datetime.now(TZ).year)
    tasks, rounds = TaskActivities(session_factory), RoundActivities(session_factory)
    refusals = RefusalActivities(session_factory)
    runtime = client.service_client.config.runtime or Runtime.default()
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[TaskWorkflow, AssessmentRoundWorkflow],
        activities=[tasks.record_event, rounds.record_round_event, rounds.check_submission, refusals.record_refused],
        workflow_runner=workflow_runner(),
        max_cached_workflows=max_cached_workflows,
        graceful_shutdown_timeout=graceful_shutdown,
        # Each activity's log context, and the metrics of what it recorded, on the client's runtime.
        interceptors=[ActivityContext(Metrics.of(runtime.metric_meter))],
    )
