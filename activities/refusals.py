"""Recording, in an event's place, that the database refused it: a row at the event's seq,
sealed into the workflow's audit chain, made only of values the workflow made itself, so it
cannot be refused in turn. A task's read model follows the state the workflow went back to."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.recording import record_in_thread
from evidence.audit_log import seal
from persistence.group_commit import GroupCommit
from persistence.inserts import insert_if_missing
from persistence.recorded_events import refused_columns
from persistence.round_tables import RoundEventRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from workflows.contracts import RECORD_REFUSED, RefusedRecord


class RefusalActivities:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._commits = GroupCommit(session_factory)

    @activity.defn(name=RECORD_REFUSED)
    async def record_refused(self, record: RefusedRecord) -> bool:
        """Write `record`; True if written now, False if an earlier attempt already had."""
        return await record_in_thread(self._commits, _write, record)


def _write(session: Session, record: RefusedRecord) -> bool:
    table = TaskEventRow if record.year is None else RoundEventRow
    if not insert_if_missing(session, table, refused_columns(record), key=("workflow_id", "seq")):
        return False
    seal(session, record.workflow_id, table)
    run = session.get(TaskRunRow, record.workflow_id) if record.year is None else None
    if run is not None and run.last_seq < record.seq:
        run.state, run.last_seq, run.updated_at = record.state, record.seq, record.at
    return True
