"""The rows a workflow's recorded event becomes: a task's `task_events` row, a PAR round's
`round_events` columns. The record activities write them; the audit rebuilds them from a
Temporal history (evidence.recorded) to compare with what was written."""

from __future__ import annotations

from typing import Any

from persistence.task_tables import TaskEventRow
from workflows.contracts import RecordedEvent
from workflows.round_contracts import RoundRecord


def event_row(event: RecordedEvent) -> TaskEventRow:
    """The `task_events` row of `event`, as recorded."""
    entry = event.entry
    return TaskEventRow(
        workflow_id=event.workflow_id,
        seq=entry.seq,
        at=entry.at,
        kind=entry.kind,
        state=entry.state.value,
        actor=entry.actor,
        role=entry.role.value,
        detail=entry.detail,
        payload=dict(entry.data),
    )


def round_event_columns(record: RoundRecord) -> dict[str, Any]:
    """The `round_events` row of `record`, as recorded."""
    entry = record.entry
    return {
        "workflow_id": record.workflow_id,
        "commune": record.commune,
        "year": record.year,
        "seq": entry.seq,
        "at": entry.at,
        "kind": entry.kind,
        "state": entry.state.value,
        "actor": entry.actor,
        "role": entry.role,
        "detail": entry.detail,
        "payload": entry.data,
    }
