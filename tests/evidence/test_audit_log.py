"""The record activity seals each event into its task's chain, on both backends; events that
arrive out of seq order chain exactly as if they had not; migration 0007 seals the events
recorded before it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Integer, String, column, insert, select, table
from temporalio.testing import ActivityEnvironment

from activities.events import TaskActivities
from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.roles import Role
from evidence.chain import document_of, links
from persistence.task_tables import TaskEventRow
from persistence.types import AwareDateTime
from tests.persistence.migrating import migrated_over
from workflows.contracts import RecordedEvent, TimelineEntry, task_workflow_id

WORKFLOW_ID = task_workflow_id(1, "I.3", "2024-02")
# task_events as revision 0006 left it: no chain_hash column yet.
OLD_EVENTS = table(
    "task_events",
    *(column(name, String()) for name in ("workflow_id", "kind", "state", "actor", "role", "detail")),
    column("seq", Integer()),
    column("at", AwareDateTime()),
    column("payload", JSON()),
)
START = datetime(2024, 1, 15, 8, tzinfo=TZ)


def recorded(seq: int) -> RecordedEvent:
    """The task's event number `seq`: one reminder a day after the assignment."""
    return RecordedEvent(
        workflow_id=WORKFLOW_ID,
        commune="Vĩnh Khê",
        plan_id=1,
        task_code="I.3",
        occurrence_key="2024-02",
        entry=TimelineEntry(
            seq=seq,
            at=START + timedelta(days=seq - 1),
            kind="assign" if seq == 1 else "reminder",
            state=TaskState.ASSIGNED,
            actor="system",
            role=Role.SYSTEM,
            detail=f"nhắc việc lần {seq - 1}" if seq > 1 else "",
            data={} if seq == 1 else {"level": seq},
        ),
        due=date(2024, 2, 29),
        lead=("Văn hóa",),
    )


async def record(session_factory, *seqs: int) -> None:
    activity = TaskActivities(session_factory).record_event
    for seq in seqs:
        await ActivityEnvironment().run(activity, recorded(seq))


def hashes(session_factory) -> list[str | None]:
    with session_factory() as session:
        return list(session.scalars(select(TaskEventRow.chain_hash).order_by(TaskEventRow.seq)))


def recomputed(session_factory) -> list[str]:
    with session_factory() as session:
        rows = session.scalars(select(TaskEventRow).order_by(TaskEventRow.seq)).all()
        return list(links(map(document_of, rows)))


async def test_each_recorded_event_is_sealed_into_its_tasks_chain_in_the_same_write(session_factory):
    await record(session_factory, 1, 2, 3)

    assert hashes(session_factory) == recomputed(session_factory)
    assert all(hashes(session_factory))


async def test_events_recorded_out_of_seq_order_wait_for_the_gap_then_chain_as_if_in_order(session_factory):
    await record(session_factory, 1, 3, 4)
    assert hashes(session_factory)[0] is not None and hashes(session_factory)[1:] == [None, None]

    await record(session_factory, 2)

    assert hashes(session_factory) == recomputed(session_factory)


async def test_a_retried_record_changes_no_hash(session_factory):
    await record(session_factory, 1, 2)
    before = hashes(session_factory)

    await record(session_factory, 2)

    assert hashes(session_factory) == before


def test_the_migration_seals_the_events_recorded_before_it_up_to_a_gap(database_url):
    with migrated_over(
        database_url, "0006", lambda connection: connection.execute(insert(OLD_EVENTS), _old_rows())
    ) as connection:
        rows = connection.execute(select(TaskEventRow).order_by(TaskEventRow.seq)).all()

    sealed = list(links(map(document_of, rows[:2])))
    assert [row.chain_hash for row in rows] == [*sealed, None]  # seq 3 is missing: 4 waits for it


def _old_rows() -> list[dict]:
    rows = []
    for seq in (1, 2, 4):
        entry = recorded(seq).entry
        rows.append(
            {
                "workflow_id": WORKFLOW_ID,
                "seq": seq,
                "at": entry.at,
                "kind": entry.kind,
                "state": entry.state.value,
                "actor": entry.actor,
                "role": entry.role.value,
                "detail": entry.detail,
                "payload": entry.data,
            }
        )
    return rows
