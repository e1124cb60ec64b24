"""The record activity on both database backends: one transaction, idempotent on (workflow_id, seq);
the read-model rows `cchc plan start` adds before the first event."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.events import TaskActivities
from activities.recording import record_in_thread
from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.notifications import Notice, Recipient
from domain.roles import Role
from persistence.group_commit import GroupCommit
from persistence.task_runs import add_started_runs
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from persistence.user_tables import LoginFailureRow
from workflows.contracts import (
    INVALID_EVENT,
    RecordedEvent,
    TaskInput,
    TimelineEntry,
    task_workflow_id,
)

WORKFLOW_ID = task_workflow_id(1, "I.1", "2024-01")


DEADLINE = datetime(2024, 1, 31, 23, 59, 59, tzinfo=TZ)
START = datetime(2024, 1, 15, 8, tzinfo=TZ)


def escalation(seq: int = 5, level: int = 1, at: datetime = DEADLINE) -> RecordedEvent:
    return RecordedEvent(
        workflow_id=WORKFLOW_ID,
        commune="Vĩnh Khê",
        plan_id=1,
        plan_number="10/KH-UBND",
        task_code="I.1",
        occurrence_key="2024-01",
        title="Ban hành Kế hoạch cải cách hành chính năm 2024",
        entry=TimelineEntry(
            seq=seq,
            at=at,
            kind="escalation",
            state=TaskState.ASSIGNED,
            actor="system",
            role=Role.SYSTEM,
            detail="cảnh báo quá hạn lần 1",
            data={"level": level},
        ),
        due=date(2024, 1, 31),
        lead=("Văn phòng",),
        escalation_level=level,
        notify=(
            Notice(kind="escalation", recipient=Recipient.CHAIRMAN),
            Notice(kind="escalation", recipient=Recipient.DEPARTMENT_HEAD, unit="Văn phòng"),
        ),
    )


def counts(session_factory) -> tuple[int, int, int]:
    with session_factory() as session:
        tables = (TaskEventRow, NotificationRow, TaskRunRow)
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in tables)


async def test_a_retried_record_writes_nothing_twice(session_factory):
    record = TaskActivities(session_factory).record_event
    env = ActivityEnvironment()

    first = await env.run(record, escalation())
    again = await env.run(record, escalation())

    assert (first, again) == (True, False)
    assert counts(session_factory) == (1, 2, 1)
    with session_factory() as session:
        keys = session.scalars(select(NotificationRow.dedup_key).order_by(NotificationRow.id)).all()
        run = session.get(TaskRunRow, WORKFLOW_ID)
    assert keys == [f"{WORKFLOW_ID}/5/escalation/chairman", f"{WORKFLOW_ID}/5/escalation/department_head:Văn phòng"]
    assert (run.state, run.escalation_level, run.last_seq) == ("assigned", 1, 5)


async def test_an_event_recorded_late_does_not_roll_the_read_model_back(session_factory):
    record = TaskActivities(session_factory).record_event
    env = ActivityEnvironment()

    await env.run(record, escalation(seq=6, level=2, at=datetime(2024, 2, 5, 8, tzinfo=TZ)))
    await env.run(record, escalation(seq=5, level=1))

    with session_factory() as session:
        run = session.get(TaskRunRow, WORKFLOW_ID)
        seqs = session.scalars(select(TaskEventRow.seq).order_by(TaskEventRow.seq)).all()
    assert (run.escalation_level, run.last_seq) == (2, 6)
    assert seqs == [5, 6]


async def test_an_event_the_database_refuses_is_not_retried(session_factory):
    naive = escalation(at=datetime(2024, 1, 31, 23, 59, 59))

    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(TaskActivities(session_factory).record_event, naive)

    assert (refused.value.type, refused.value.non_retryable) == (INVALID_EVENT, True)
    assert refused.value.details == ("có giá trị không hợp lệ",)  # the reason the workflow records
    assert counts(session_factory) == (0, 0, 0)


def started_input() -> TaskInput:
    event = escalation()
    fields = ("commune", "plan_id", "plan_number", "task_code", "occurrence_key", "title", "lead", "due")
    return TaskInput(**{name: getattr(event, name) for name in fields})


def run_row(session_factory) -> tuple:
    with session_factory() as session:
        run = session.get(TaskRunRow, WORKFLOW_ID)
        return run.state, run.due_date, run.lead, run.escalation_level, run.last_seq


async def test_a_started_task_is_in_the_read_model_before_its_first_event_which_then_takes_over(session_factory):
    with session_factory.begin() as session:
        add_started_runs(session, [(WORKFLOW_ID, started_input())], START)
    assert run_row(session_factory) == ("assigned", date(2024, 1, 31), ["Văn phòng"], 0, 0)

    await ActivityEnvironment().run(TaskActivities(session_factory).record_event, escalation())
    with session_factory.begin() as session:  # a second `cchc plan start` changes nothing
        add_started_runs(session, [(WORKFLOW_ID, started_input())], START)

    assert run_row(session_factory) == ("assigned", date(2024, 1, 31), ["Văn phòng"], 1, 5)
    assert counts(session_factory) == (1, 2, 1)


async def test_a_record_that_breaks_a_constraint_is_not_retried(session_factory):
    def write(session: Session, row: LoginFailureRow) -> bool:
        session.add(row)
        return True

    with pytest.raises(ApplicationError) as refused:
        await record_in_thread(
            GroupCommit(session_factory), write, LoginFailureRow(username=None, address="127.0.0.1", at=START)
        )

    assert (refused.value.type, refused.value.non_retryable) == (INVALID_EVENT, True)
    assert refused.value.details == ("dữ liệu trái ràng buộc của cơ sở dữ liệu",)


def reminders(count: int) -> list[RecordedEvent]:
    """The first reminder of `count` tasks, falling due at the same instant."""
    return [
        escalation(seq=1, level=0).model_copy(update={"workflow_id": task_workflow_id(1, f"I.{n}", "2024-01")})
        for n in range(1, count + 1)
    ]


def recorded_ids(session_factory) -> list[str]:
    with session_factory() as session:
        return session.scalars(select(TaskEventRow.workflow_id).order_by(TaskEventRow.id)).all()


async def record_at_once(session_factory, events: list[RecordedEvent]) -> list[bool | BaseException]:
    record = TaskActivities(session_factory).record_event
    return await asyncio.gather(*(ActivityEnvironment().run(record, e) for e in events), return_exceptions=True)


async def test_events_recorded_at_the_same_time_share_one_commit_and_each_is_written_once(engine, session_factory):
    events = reminders(50)
    commits = []
    event.listen(engine, "commit", lambda connection: commits.append(connection))

    results = await record_at_once(session_factory, events + events[:5])  # five retried at the same moment

    assert results == [True] * 50 + [False] * 5
    assert recorded_ids(session_factory) == [e.workflow_id for e in events]
    assert counts(session_factory) == (50, 100, 50)
    assert len(commits) == 1


async def test_an_event_the_database_refuses_fails_only_its_own_activity_not_those_recorded_with_it(session_factory):
    events = reminders(5)
    events[2] = events[2].model_copy(update={"entry": events[2].entry.model_copy(update={"at": datetime(2024, 1, 31)})})

    results = await record_at_once(session_factory, events)

    refused = results.pop(2)
    assert isinstance(refused, ApplicationError) and (refused.type, refused.non_retryable) == (INVALID_EVENT, True)
    assert results == [True] * 4
    assert recorded_ids(session_factory) == [e.workflow_id for i, e in enumerate(events) if i != 2]
    assert counts(session_factory) == (4, 8, 4)
