"""Around every activity of our worker: its log context, and the metrics of what it recorded.

Each activity runs with a `LogContext` naming its workflow (the task occurrence or PAR round)
and, from its input, the commune and plan, so every line it logs carries them. A recording
that wrote its event now (the activity returned True; a retry that found it written returns
False) counts one `cchc_events_recorded_total` of its kind, and an alarm (reminder,
escalation) how late it was recorded after the instant it was due, `cchc_alarm_lateness_seconds`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from observability.logs import LogContext, end_context, start_context
from observability.metrics import Metrics
from workflows.contracts import RecordedEvent
from workflows.round_contracts import RoundRecord, RoundScope

ALARMS = frozenset({"reminder", "escalation"})


class ActivityContext(Interceptor):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Inbound(next, self._metrics)


class _Inbound(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, metrics: Metrics) -> None:
        super().__init__(next)
        self._metrics = metrics

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        given = input.args[0] if input.args else None
        token = start_context(_context_of(given))
        try:
            result = await super().execute_activity(input)
        finally:
            end_context(token)
        if result is True and isinstance(given, RecordedEvent | RoundRecord):
            self._count(given)
        return result

    def _count(self, record: RecordedEvent | RoundRecord) -> None:
        entry = record.entry
        self._metrics.events_recorded.add(1, {"kind": entry.kind})
        scheduled = entry.data.get("scheduled_at")
        if entry.kind in ALARMS and scheduled:
            late = datetime.now(UTC) - _aware(scheduled)
            self._metrics.alarm_lateness.record(max(late.total_seconds(), 0.0), {"kind": entry.kind})


def _context_of(given: object) -> LogContext:
    context = LogContext(task=activity.info().workflow_id)
    if isinstance(given, RecordedEvent):
        context.commune, context.plan = given.commune, given.plan_id
    elif isinstance(given, RoundRecord):
        context.commune = given.commune
    elif isinstance(given, RoundScope):
        context.plan = given.plan_id
    return context


def _aware(value: datetime | str) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
