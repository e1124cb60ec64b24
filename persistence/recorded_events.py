"""The rows a workflow's recorded event becomes: a task's `task_events` row, a PAR round's
`round_events` columns. The record activities write them; the audit rebuilds them from a
Temporal history (evidence.recorded) to compare with what was written."""

from __future__ import annotations

from typing import Any

from domain.lifecycle import TaskEntryKind
from domain.roles import Role
from persistence.task_tables import TaskEventRow
from workflows.contracts import RecordedEvent, RefusedRecord
from workflows.round_contracts import RoundRecord

RECORD_REFUSED_KIND = TaskEntryKind.RECORD_REFUSED.value  # the same word in a round's timeline
SYSTEM_ACTOR = Role.SYSTEM.value


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


def refused_columns(record: RefusedRecord) -> dict[str, Any]:
    """The row that stands for an event the database refused: a task's `task_events` columns,
    with a round's `commune` and `year` when it is a round's."""
    columns: dict[str, Any] = {
        "workflow_id": record.workflow_id,
        "seq": record.seq,
        "at": record.at,
        "kind": RECORD_REFUSED_KIND,
        "state": record.state,
        "actor": SYSTEM_ACTOR,
        "role": SYSTEM_ACTOR,
        "detail": record.detail,
        "payload": {"refused": record.refused},
    }
    if record.year is not None:
        columns |= {"commune": record.commune, "year": record.year}
    return columns
