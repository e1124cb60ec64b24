"""What both durable workflows are made of (a task occurrence, a commune's PAR round): their
clock, the working-day calendar inside the sandbox, refusals, waiting for an alarm, and
recording each timeline entry through an activity, in seq order, with one retry policy, and
what is recorded in an entry's place when the database refuses it.

A workflow built on it records the same history as one written out by hand, so moving code
here needs no `workflow.patched`; what records a refusal is a change of its own, behind
`RECORD_REFUSAL_RECORDED` (docs/versioning.md).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.calendar import TZ, WorkCalendar
    from domain.lifecycle import TaskEntryKind
    from workflows.contracts import INVALID_EVENT, RECORD_REFUSED, RefusedRecord

# Patch (workflow.patched) in force in both workflows; see docs/versioning.md.
RECORD_REFUSAL_RECORDED = "record-refusal-recorded"

RECORD_REFUSED_KIND = TaskEntryKind.RECORD_REFUSED.value  # the same word in a round's timeline
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


def refused_update(reason: str) -> ApplicationError:
    """The refusal of an update whose entry the database refused to record."""
    return refuse(f"không ghi nhận được thao tác: {reason}")


def refused_detail(reason: str) -> str:
    """What an entry the database refused leaves in the timeline, in its place."""
    return f"ghi nhận bị từ chối: {reason}"


def refusal_reason(error: ActivityError) -> str | None:
    """Why the database refused a record activity's event, for people; None if it failed otherwise."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.type == INVALID_EVENT and cause.details:
        return str(cause.details[0])
    return None


@dataclass
class Undo:
    """An update's changes, to take back if the database refuses one of its entries: the
    workflow's fields before each of its entries, by the entry's seq (`DurableTimeline._mark`)."""

    fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    done: bool = False  # taken back: the update's entries from the refused one on are gone


class DurableTimeline:
    """The clock, the alarm wait and the recorded timeline both workflows share."""

    _state: Any  # the workflow's state, an enum: the subclass's
    _entry_type: type[Any]  # the subclass's timeline entry
    # What an undone update leaves as it is: the timeline's bookkeeping.
    _KEPT = frozenset({"_clock_offset", "_next_seq", "_recording", "_recorded_seq", "_timeline"})

    def __init__(self, clock_offset: timedelta, next_seq: int = 1) -> None:
        self._clock_offset = clock_offset
        self._next_seq = next_seq
        self._recording = asyncio.Lock()  # one record activity at a time
        self._recorded_seq = next_seq - 1  # the last entry recorded: entries reach SQL in seq order
        self._timeline: list[Any] = []
        self._changed = False  # the plan or the round moved: the alarm loop plans again

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
                await workflow.wait_condition(woken, timeout=delay)
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

    async def _execute_record(
        self, activity: str, record: Any, seq: int, kind: str, undo: Undo | None = None
    ) -> str | None:
        """Record entry `seq` through `activity`, one recording at a time: None once recorded.

        When the database refuses the entry (and the run took the `RECORD_REFUSAL_RECORDED`
        path), an update's changes are first taken back (`undo`), then the refusal is recorded
        in the entry's place and its reason returned; the workflow goes on.
        """
        async with self._recording:
            try:
                await self._schedule_record(activity, record)
            except ActivityError as error:
                reason = refusal_reason(error)
                if reason is None or not workflow.patched(RECORD_REFUSAL_RECORDED):
                    raise
                if undo is not None:
                    self._take_back(undo, seq)
                await self._schedule_record(RECORD_REFUSED, self._stand_in(seq, kind, reason))
                return reason
            finally:
                self._recorded_seq = max(self._recorded_seq, seq)
        return None

    async def _schedule_record(self, activity: str, record: Any) -> None:
        # No `summary`: the record names its seq and kind, and every summary is one more payload
        # converted in each workflow task and in every replay (a tenth of a replay's time).
        await workflow.execute_activity(
            activity, record, start_to_close_timeout=RECORD_TIMEOUT, retry_policy=RECORD_RETRY
        )

    def _mark(self, undo: Undo) -> None:
        """Keep in `undo` the workflow's fields as they are before the update's next entry."""
        kept = {name: copy.copy(value) for name, value in vars(self).items() if name not in self._KEPT}
        undo.fields[self._next_seq] = kept

    def _take_back(self, undo: Undo, seq: int) -> None:
        """Put the fields back as they were before entry `seq` and drop the update's entries
        from `seq` on (those before it are recorded and stay), unless the workflow took another
        step on top of the update meanwhile: that step was allowed by the update's changes,
        which then stay."""
        if self._next_seq != max(undo.fields) + 1:
            return
        for name, value in undo.fields[seq].items():
            setattr(self, name, value)
        self._timeline = [entry for entry in self._timeline if entry.seq < seq]
        self._next_seq = seq + 1
        self._changed = True  # the due date may be back: plan the alarms again
        undo.done = True

    def _stand_in(self, seq: int, kind: str, reason: str) -> RefusedRecord:
        """The entry that takes refused entry `seq`'s place in the timeline, as it is recorded."""
        at = self._now().replace(microsecond=0)
        detail = refused_detail(reason)
        fields = {"kind": RECORD_REFUSED_KIND, "state": self._state, "actor": SYSTEM, "role": SYSTEM, "detail": detail}
        entry = self._entry_type(seq=seq, at=at, data={"refused": kind}, **fields)
        self._timeline = sorted([*(e for e in self._timeline if e.seq != seq), entry], key=lambda e: e.seq)
        commune, year = self._scope()
        return RefusedRecord(
            workflow_id=workflow.info().workflow_id,
            commune=commune,
            year=year,
            seq=seq,
            at=at,
            state=self._state.value,
            refused=kind,
            detail=detail,
        )

    def _scope(self) -> tuple[str, int | None]:
        """The commune, and the year of a PAR round (None for a task)."""
        raise NotImplementedError
