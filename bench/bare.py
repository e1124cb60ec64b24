"""The baseline: a bare workflow of the same shape as a task workflow, with no-op activities.

It runs one activity at start (ours records the assignment), sleeps to each of the instants
it is given and runs one activity at each (ours records a reminder or an escalation), and
takes `step` updates, each running as many activities as ours records events for the same
update (a review records two: review started, then the decision). Nothing else: no
rules, no search attributes, no database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

ACTIVITY_TIMEOUT = timedelta(seconds=10)


class BareInput(BaseModel):
    alarms: list[datetime] = []  # instants to wake at, on the server's clock
    steps: int = 0  # updates to take before finishing (0: wait for ever after the alarms, as an open task does)


NOOP_CALLS = [0]  # how many no-op activities this process's workers ran


@activity.defn(name="bare_noop")
async def noop(note: str) -> str:
    NOOP_CALLS[0] += 1
    return note


@workflow.defn(name="BareTaskWorkflow")
class BareTaskWorkflow:
    def __init__(self) -> None:
        self._steps = 0

    @workflow.run
    async def run(self, spec: BareInput) -> int:
        await workflow.execute_activity(noop, "start", start_to_close_timeout=ACTIVITY_TIMEOUT)
        for at in spec.alarms:
            delay = at - workflow.now()
            if delay > timedelta(0):
                await workflow.sleep(delay)
            await workflow.execute_activity(noop, "alarm", start_to_close_timeout=ACTIVITY_TIMEOUT)
        if spec.steps:
            await workflow.wait_condition(lambda: self._steps >= spec.steps)
            await workflow.wait_condition(workflow.all_handlers_finished)
        else:
            await workflow.wait_condition(lambda: False)  # like a task left open: waits for ever
        return self._steps

    @workflow.update
    async def step(self, records: int) -> int:
        self._steps += 1
        for n in range(records):
            await workflow.execute_activity(noop, f"record {n}", start_to_close_timeout=ACTIVITY_TIMEOUT)
        return self._steps
