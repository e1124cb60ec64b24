"""What both durable workflows are made of (a task occurrence, a commune's PAR round): their
clock, the working-day calendar inside the sandbox, refusals, waiting for an alarm, and
recording each timeline entry through an activity, in seq order, with one retry policy.

Nothing here adds a command of its own: a workflow built on it records the same history as
one written out by hand, so moving code here needs no `workflow.patched`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.calendar import TZ, WorkCalendar
    from workflows.contracts import INVALID_EVENT

SYSTEM = "system"  # the actor of what the workflow does by itself: assignment, reminders, escalations

# Recording is one short SQL transaction: 10 s is generous, and it bounds how long the
# attempt of a killed worker waits before its retry. Retries back off to once every 5 minutes
# and never give up (a database outage must not lose an event); only an event the database
# refuses as invalid stops them.
RECORD_TIMEOUT = timedelta(seconds=10)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    non_retryable_error_types=[INVALID_EVENT],
)


class SandboxedCalendar(WorkCalendar):
    """The plan's working-day calendar, usable inside the workflow sandbox.

    The `holidays` package reads its translation files (gettext) the first time it builds a
    year's holidays, a file access the sandbox forbids. What it reads is package data, the
    same on every replay, so that one call is let through.
    """

    def is_working_day(self, d: date) -> bool:
        with workflow.unsafe.sandbox_unrestricted():
            return super().is_working_day(d)


def refuse(reason: str) -> ApplicationError:
    """The error a validator raises: the update is rejected with `reason`, for people."""
    return ApplicationError(reason, type="Rejected", non_retryable=True)


class DurableTimeline:
    """The clock, the alarm wait and the recorded timeline both workflows share."""

    def __init__(self, clock_offset: timedelta, next_seq: int = 1) -> None:
        self._clock_offset = clock_offset
        self._next_seq = next_seq
        self._recording = asyncio.Lock()  # one record activity at a time
        self._recorded_seq = next_seq - 1  # the last entry recorded: entries reach SQL in seq order

    def _now(self) -> datetime:
        """The workflow's clock: Temporal's deterministic time plus the input's offset.

        The offset is 0 in production; a simulation (demo, tests with the Vĩnh Khê plan's 2024
        dates) runs the clock that far ahead of or behind Temporal's.
        """
        return (workflow.now() + self._clock_offset).astimezone(TZ)

    def _today(self) -> date:
        return self._now().date()

    async def _wait_until(self, at: datetime, woken: Callable[[], bool]) -> None:
        """Sleep on a durable timer until `at` on the workflow's clock, or until `woken()`."""
        delay = at - self._now()
        if delay > timedelta(0):
            try:
                await workflow.wait_condition(woken, timeout=delay, timeout_summary="alarm")
            except TimeoutError:
                pass

    def _entry_fields(
        self, kind: str, actor: str, role: Any, detail: str, data: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The next timeline entry's fields (its state is the caller's): seq, the instant to the
        second, who, what and the particulars."""
        seq, self._next_seq = self._next_seq, self._next_seq + 1
        at = self._now().replace(microsecond=0)
        return {"seq": seq, "at": at, "kind": kind, "actor": actor, "role": role, "detail": detail, "data": data or {}}

    async def _execute_record(self, activity: str, record: Any, seq: int, kind: str) -> None:
        """Record entry `seq` through `activity`, one recording at a time."""
        async with self._recording:
            try:
                await workflow.execute_activity(
                    activity,
                    record,
                    start_to_close_timeout=RECORD_TIMEOUT,
                    retry_policy=RECORD_RETRY,
                    summary=f"{seq} {kind}",
                )
            finally:
                self._recorded_seq = max(self._recorded_seq, seq)
