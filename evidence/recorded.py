"""What a Temporal history says was recorded: the inputs of its record activities, a task's
(`record_event`) or a PAR round's (`record_round_event`), and what stands for an event the
database refused (`record_refused_event`, in the refused one's place)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter

from evidence.chain import document_of
from persistence.recorded_events import event_columns, refused_columns, round_event_columns
from workflows.contracts import RECORD_EVENT, RECORD_REFUSED, RecordedEvent, RefusedRecord
from workflows.round_contracts import RECORD_ROUND_EVENT, RoundRecord

# activity type -> its input's type, and the canonical event (evidence.chain) of that input
# as the activity writes it
_RECORDERS = {
    RECORD_EVENT: (RecordedEvent, lambda event: document_of(SimpleNamespace(**event_columns(event)))),
    RECORD_ROUND_EVENT: (RoundRecord, lambda record: document_of(SimpleNamespace(**round_event_columns(record)))),
    RECORD_REFUSED: (RefusedRecord, lambda record: document_of(SimpleNamespace(**refused_columns(record)))),
}


def recorded_documents(history: WorkflowHistory) -> list[dict[str, Any]]:
    """The canonical event of every event the run asked its record activity to write, in the
    order it asked; an event the database refused gives way to what stands in its place."""
    converter = pydantic_data_converter.payload_converter
    documents: list[dict[str, Any]] = []
    for event in history.events:
        if not event.HasField("activity_task_scheduled_event_attributes"):
            continue
        scheduled = event.activity_task_scheduled_event_attributes
        recorder = _RECORDERS.get(scheduled.activity_type.name)
        if recorder is not None:
            kind, document = recorder
            documents.extend(map(document, converter.from_payloads(list(scheduled.input.payloads), [kind])))
    return list({document["seq"]: document for document in documents}.values())
