"""Recording task events: the SQL event log, the read model and the notification outbox.

One activity, one transaction (which the activities running beside it may share,
`persistence.group_commit`): the event row (sealed into the task's audit chain,
`evidence.audit_log.seal`), the task's read-model row and the event's notifications commit
together or not at all. Each row is written by one statement (insert-or-ignore,
insert-or-update) built once per process. Idempotent on (workflow_id, seq): Temporal
retries an activity whose result it did not see, and a retry must write nothing new.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.recording import record_in_thread
from evidence.audit_log import seal
from notifications.raised import outbox_rows
from persistence.group_commit import GroupCommit
from persistence.inserts import insert_if_missing, upsert_unless_newer
from persistence.recorded_events import event_columns, run_columns
from persistence.task_tables import TaskEventRow, TaskRunRow
from workflows.contracts import RECORD_EVENT, RecordedEvent


class TaskActivities:
    """The task workflows' side effects, given their database in `__init__`."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._commits = GroupCommit(session_factory)

    @activity.defn(name=RECORD_EVENT)
    async def record_event(self, event: RecordedEvent) -> bool:
        """Write `event`; True if written now, False if an earlier attempt already had."""
        return await record_in_thread(self._commits, _write, event)


def _write(session: Session, event: RecordedEvent) -> bool:
    if not insert_if_missing(session, TaskEventRow, event_columns(event), key=("workflow_id", "seq")):
        return False
    seal(session, event.workflow_id)
    # The task's read model, unless a later event got there first.
    upsert_unless_newer(session, TaskRunRow, run_columns(event), key="workflow_id", version="last_seq")
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
