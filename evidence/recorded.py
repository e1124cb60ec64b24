"""What a Temporal history says was recorded: the inputs of its record activities."""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from activities.events import event_row
from evidence.chain import document_of
from workflows.contracts import RECORD_EVENT, RecordedEvent


def recorded_events(history: WorkflowHistory) -> list[RecordedEvent]:
    """Every event the run asked the record activity to write, in the order it asked."""
    converter = pydantic_data_converter.payload_converter
    recorded = []
    for event in history.events:
        if not event.HasField("activity_task_scheduled_event_attributes"):
            continue
        scheduled = event.activity_task_scheduled_event_attributes
        if scheduled.activity_type.name == RECORD_EVENT:
            recorded.extend(converter.from_payloads(list(scheduled.input.payloads), [RecordedEvent]))
    return recorded


def document_of_recorded(event: RecordedEvent) -> dict[str, Any]:
    """The canonical event (evidence.chain) of what the history recorded: as the record
    activity would write it."""
    return document_of(event_row(event))
