"""The audit log in SQL: `task_events` and `round_events` rows sealed into their workflow's
chain, and read back.

The record activity calls `seal` in the transaction that writes an event. An event is sealed
(gets its `chain_hash`) once every earlier seq of its task is recorded; events that arrive out
of seq order (histories from before the `record-in-seq-order` patch) wait unsealed until the
gap is filled, then the write that fills it seals them all. So the hashes depend only on the
events and their seq, never on the order they reached the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, Table, Update, bindparam, select, update
from sqlalchemy.orm import Session

from domain.calendar import end_of_day
from evidence.chain import EVENT_COLUMNS, GENESIS, document_of, links, plan_head, unbroken
from persistence.round_tables import RoundEventRow
from persistence.task_tables import TaskEventRow, TaskRunRow

TimelineRow = TaskEventRow | RoundEventRow
Row = TypeVar("Row", TaskEventRow, RoundEventRow)


def seal(session: Session, workflow_id: str, table: type[TimelineRow] = TaskEventRow) -> None:
    """Chain every event of the workflow that can be chained now and is not yet: a task's
    (`task_events`) or a PAR round's (`round_events`), by the same rules."""
    session.flush()  # events added to the session are chained with the others
    connection = session.connection()
    statements = _sealing(table.__table__)
    pending = connection.execute(statements.pending, {"workflow_id": workflow_id}).all()
    if not pending:
        return
    first = pending[0].seq
    before = {"workflow_id": workflow_id, "seq": first - 1}
    previous = GENESIS if first == 1 else connection.scalar(statements.previous, before)
    if previous is None:  # an earlier event is not recorded yet
        return
    rows = unbroken(pending, lambda row: row.seq, first)
    digests = links(map(document_of, rows), previous)
    connection.execute(statements.chain, [{"row": row.id, "digest": d} for row, d in zip(rows, digests, strict=True)])


class _Sealing(NamedTuple):
    pending: Select[Any]  # the workflow's events not chained yet, in seq order
    previous: Select[Any]  # the hash of its event `seq`
    chain: Update  # an event's hash, by row id


@cache
def _sealing(table: Table) -> _Sealing:
    """The statements `seal` runs, built once per table."""
    columns = table.columns
    of_workflow = columns.workflow_id == bindparam("workflow_id")
    return _Sealing(
        pending=select(columns.id, columns.workflow_id, *(columns[name] for name in EVENT_COLUMNS))
        .where(of_workflow, columns.chain_hash.is_(None))
        .order_by(columns.seq),
        previous=select(columns.chain_hash).where(of_workflow, columns.seq == bindparam("seq")),
        chain=update(table).where(columns.id == bindparam("row")).values(chain_hash=bindparam("digest")),
    )


def events_by_task(session: Session, workflow_ids: Iterable[str], table: type[Row]) -> dict[str, list[Row]]:
    """Each workflow's events in seq order (workflows without events are left out): tasks'
    with `table=TaskEventRow`, PAR rounds' with `table=RoundEventRow`."""
    ids = list(workflow_ids)
    query = select(table).where(table.workflow_id.in_(ids)).order_by(table.workflow_id, table.seq)
    events: dict[str, list[Row]] = {}
    for row in session.scalars(query):
        events.setdefault(row.workflow_id, []).append(row)
    return events


def timelines(session: Session, workflow_ids: Iterable[str]) -> dict[str, Sequence[TimelineRow]]:
    """Each workflow's events in seq order, tasks and PAR rounds alike."""
    ids = list(workflow_ids)
    return {**events_by_task(session, ids, TaskEventRow), **events_by_task(session, ids, RoundEventRow)}


def head_of(events: Mapping[str, Sequence[TimelineRow]]) -> str:
    """The head over these workflows' chains: each one's last sealed hash."""
    heads = []
    for workflow_id, rows in events.items():
        sealed = [row.chain_hash for row in rows if row.chain_hash]
        if sealed:
            heads.append((workflow_id, sealed[-1]))
    return plan_head(heads)


def task_ids(session: Session, plan_id: int | None = None) -> list[str]:
    """The workflow ids of a plan's task occurrences (every plan's when None), sorted."""
    query = select(TaskRunRow.workflow_id).order_by(TaskRunRow.workflow_id)
    if plan_id is not None:
        query = query.where(TaskRunRow.plan_id == plan_id)
    return list(session.scalars(query))


def round_ids(session: Session, *, year: int | None = None, plan_id: int | None = None) -> list[str]:
    """The workflow ids of the PAR rounds of `year`, or of the rounds that assess `plan_id`
    (as their opening event recorded it), every round's when both are None; sorted."""
    query = select(RoundEventRow).where(RoundEventRow.seq == 1).order_by(RoundEventRow.workflow_id)
    if year is not None:
        query = query.where(RoundEventRow.year == year)
    openings = session.scalars(query)
    return [row.workflow_id for row in openings if plan_id is None or row.payload.get("plan_id") == plan_id]


def states_on(events: Mapping[str, Sequence[TimelineRow]], day: date) -> dict[str, str | None]:
    """Each task's state at the end of `day` in Viet Nam: the state after its last event by
    then (`task_events.state`), None when it had none yet."""
    end = end_of_day(day)
    return {
        workflow_id: next((row.state for row in reversed(rows) if row.at <= end), None)
        for workflow_id, rows in events.items()
    }
