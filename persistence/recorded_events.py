"""The rows a workflow's recorded event becomes, as columns: a task's `task_events` and
`task_runs` rows, a PAR round's `round_events` row. The record activities write them; the
audit rebuilds the event rows from a Temporal history (evidence.recorded) to compare with
what was written."""

from __future__ import annotations

from typing import Any

from domain.lifecycle import TaskEntryKind
from domain.roles import Role
from workflows.contracts import RecordedEvent, RefusedRecord
from workflows.round_contracts import RoundRecord

RECORD_REFUSED_KIND = TaskEntryKind.RECORD_REFUSED.value  # the same word in a round's timeline
SYSTEM_ACTOR = Role.SYSTEM.value


def event_columns(event: RecordedEvent) -> dict[str, Any]:
    """The `task_events` row of `event`, as recorded."""
    entry = event.entry
    return {
        "workflow_id": event.workflow_id,
        "seq": entry.seq,
        "at": entry.at,
        "kind": entry.kind,
        "state": entry.state.value,
        "actor": entry.actor,
        "role": entry.role.value,
        "detail": entry.detail,
        "payload": dict(entry.data),
    }


def run_columns(event: RecordedEvent) -> dict[str, Any]:
    """The task's `task_runs` row (its read model) as of `event`."""
    entry = event.entry
    return {
        "workflow_id": event.workflow_id,
        "commune": event.commune,
        "plan_id": event.plan_id,
        "task_code": event.task_code,
        "occurrence_key": event.occurrence_key,
        "title": event.title,
        "state": entry.state.value,
        "due_date": event.due,
        "lead": list(event.lead),
        "escalation_level": event.escalation_level,
        "last_seq": entry.seq,
        "updated_at": entry.at,
    }


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
