"""The PAR round's events are in the audit chain as the tasks' are: each event's hash links
it to the one before, whatever order the events reach the database in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from temporalio.testing import ActivityEnvironment

from activities.round_events import RoundActivities
from domain.assessment_round import RoundState
from domain.calendar import TZ
from evidence.chain import document_of, links
from persistence.round_tables import RoundEventRow
from workflows.round_contracts import RoundEntry, RoundRecord, round_workflow_id

WORKFLOW_ID = round_workflow_id("Vĩnh Khê", 2025)
STEPS = [
    ("open", RoundState.OPEN, "system"),
    ("approve", RoundState.APPROVED, "chairman"),
    ("submit", RoundState.SUBMITTED, "office"),
]


def record(seq: int) -> RoundRecord:
    kind, state, role = STEPS[seq - 1]
    entry = RoundEntry(
        seq=seq,
        at=datetime(2026, 1, 5 + seq, 9, tzinfo=TZ),
        kind=kind,
        state=state,
        actor=f"{role}-1",
        role=role,
        data={"self_score": "4"} if kind == "submit" else {},
    )
    return RoundRecord(workflow_id=WORKFLOW_ID, commune="Vĩnh Khê", year=2025, entry=entry)


def rows(session_factory) -> list[RoundEventRow]:
    with session_factory() as session:
        return list(session.scalars(select(RoundEventRow).order_by(RoundEventRow.seq)))


async def test_round_events_recorded_out_of_order_are_chained_in_seq_order(session_factory):
    activity = RoundActivities(session_factory).record_round_event
    for seq in (1, 3, 2):
        assert await ActivityEnvironment().run(activity, record(seq))
    recorded = rows(session_factory)
    assert [row.chain_hash for row in recorded] == list(links(map(document_of, recorded)))


async def test_a_changed_round_event_no_longer_matches_its_hash(session_factory):
    activity = RoundActivities(session_factory).record_round_event
    for seq in (1, 2, 3):
        await ActivityEnvironment().run(activity, record(seq))
    with session_factory.begin() as session:
        session.execute(update(RoundEventRow).where(RoundEventRow.seq == 3).values(payload={"self_score": "40"}))
    recorded = rows(session_factory)
    recomputed = list(links(map(document_of, recorded)))
    assert [row.chain_hash == digest for row, digest in zip(recorded, recomputed, strict=True)] == [True, True, False]
