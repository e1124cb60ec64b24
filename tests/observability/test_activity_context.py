"""Inside a real worker (the time-skipping test server): an activity's lines name the commune,
plan and workflow of the event it records, and what it wrote is counted, an alarm with its
lateness, on the metric meter of a Temporal runtime."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from temporalio import activity, workflow
from temporalio.runtime import MetricBuffer, MetricBufferDurationFormat, Runtime, TelemetryConfig
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from observability.activity_context import ActivityContext
from observability.metrics import ALARM_LATENESS, EVENTS_RECORDED, Metrics
from tests.observability.json_logs import json_logs
from tests.workflows.rig import start_environment
from tests.workflows.test_record_activity import escalation
from workflows.contracts import RecordedEvent

LATE = timedelta(minutes=5)


@activity.defn(name="log_and_record")
async def log_and_record(event: RecordedEvent) -> bool:
    logging.getLogger("cchc.test").info("recording %s", event.entry.kind)
    return True  # as a recording that wrote its event now


@workflow.defn(sandboxed=False)
class RecordOnce:
    @workflow.run
    async def run(self, event: RecordedEvent) -> bool:
        return await workflow.execute_activity(log_and_record, event, start_to_close_timeout=timedelta(seconds=30))


async def test_an_activitys_lines_name_its_commune_plan_and_workflow_and_an_alarm_is_counted_with_its_lateness():
    buffer = MetricBuffer(1000, MetricBufferDurationFormat.SECONDS)
    metrics = Metrics.of(Runtime(telemetry=TelemetryConfig(metrics=buffer)).metric_meter)
    event = escalation()
    late = event.model_copy(
        update={
            "entry": event.entry.model_copy(update={"data": {"level": 1, "scheduled_at": datetime.now(UTC) - LATE}})
        }
    )
    queue = f"cchc-context-{uuid.uuid4().hex[:8]}"
    env = await start_environment(local=False)
    try:
        with json_logs() as logs:
            async with Worker(
                env.client,
                task_queue=queue,
                workflows=[RecordOnce],
                activities=[log_and_record],
                interceptors=[ActivityContext(metrics)],
                workflow_runner=UnsandboxedWorkflowRunner(),
            ):
                assert await env.client.execute_workflow(RecordOnce.run, late, id=late.workflow_id, task_queue=queue)
    finally:
        await env.shutdown()

    (line,) = [line for line in logs.all() if line["logger"] == "cchc.test"]
    assert (line["commune"], line["plan"], line["task"]) == ("Vĩnh Khê", 1, late.workflow_id)
    updates = buffer.retrieve_updates()
    recorded = [u for u in updates if u.metric.name == EVENTS_RECORDED]
    assert [(u.value, u.attributes["kind"]) for u in recorded] == [(1, "escalation")]
    (lateness,) = [u for u in updates if u.metric.name == ALARM_LATENESS]
    assert LATE.total_seconds() <= lateness.value < LATE.total_seconds() + 60
