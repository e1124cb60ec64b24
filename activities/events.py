"""Recording task events: the SQL event log, the read model and the notification outbox.

One activity, one transaction: the event row (sealed into the task's audit chain,
`evidence.audit_log.seal`), the task's read-model row and the event's notifications commit
together or not at all. Idempotent on (workflow_id, seq): Temporal retries an activity whose
result it did not see, and a retry must write nothing new.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.recording import record_in_thread
from evidence.audit_log import seal
from notifications.raised import outbox_rows
from persistence.recorded_events import event_row
from persistence.task_tables import TaskEventRow, TaskRunRow
from workflows.contracts import RECORD_EVENT, RecordedEvent


class TaskActivities:
    """The task workflows' side effects, given their database in `__init__`."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    @activity.defn(name=RECORD_EVENT)
    async def record_event(self, event: RecordedEvent) -> bool:
        """Write `event`; True if written now, False if an earlier attempt already had."""
        return await record_in_thread(self._write, event)

    def _write(self, event: RecordedEvent) -> bool:
        with self._session_factory.begin() as session:
            if _already_recorded(session, event):
                return False
            session.add(event_row(event))
            seal(session, event.workflow_id)
            _update_run(session, event)
            entry = event.entry
            session.add_all(
                outbox_rows(
                    workflow_id=event.workflow_id,
                    commune=event.commune,
                    seq=entry.seq,
                    at=entry.at,
                    notices=event.notify,
                    payload=_notification_payload(event),
                )
            )
        return True


def _already_recorded(session: Session, event: RecordedEvent) -> bool:
    query = select(TaskEventRow.id).where(
        TaskEventRow.workflow_id == event.workflow_id, TaskEventRow.seq == event.entry.seq
    )
    return session.scalar(query) is not None


def _update_run(session: Session, event: RecordedEvent) -> None:
    """Bring the task's read-model row up to `event`, unless a later event got there first."""
    run = session.get(TaskRunRow, event.workflow_id)
    if run is None:
        run = TaskRunRow(workflow_id=event.workflow_id, last_seq=0)
        session.add(run)
    if run.last_seq > event.entry.seq:
        return
    run.commune = event.commune
    run.plan_id = event.plan_id
    run.task_code = event.task_code
    run.occurrence_key = event.occurrence_key
    run.title = event.title
    run.state = event.entry.state.value
    run.due_date = event.due
    run.lead = list(event.lead)
    run.escalation_level = event.escalation_level
    run.last_seq = event.entry.seq
    run.updated_at = event.entry.at


def _notification_payload(event: RecordedEvent) -> dict[str, Any]:
    """What a template needs to write the message; JSON-ready."""
    entry = event.entry
    return {
        **entry.data,  # first: the event's own fields never hide the task's (evidence has a title too)
        "plan_id": event.plan_id,
        "plan_number": event.plan_number,
        "task_code": event.task_code,
        "occurrence_key": event.occurrence_key,
        "title": event.title,
        "due": event.due.isoformat(),
        "lead": list(event.lead),
        "state": entry.state.value,
        "seq": entry.seq,
        "event": entry.kind,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "detail": entry.detail,
    }
