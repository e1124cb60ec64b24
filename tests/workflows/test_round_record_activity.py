"""The round's record activity keeps the tasks' error policy: written once, and an event the
database refuses fails for good instead of being retried under the round's lock."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.round_events import RoundActivities
from domain.assessment_round import RoundState
from domain.calendar import TZ
from persistence.round_tables import RoundEventRow
from persistence.task_tables import NotificationRow
from workflows.contracts import INVALID_EVENT
from workflows.round_contracts import RoundEntry, RoundRecord


def escalation(at: datetime) -> RoundRecord:
    entry = RoundEntry(
        seq=2,
        at=at,
        kind="escalation",
        state=RoundState.OPEN,
        actor="system",
        role="system",
        detail="cảnh báo quá hạn lần 1: gửi hồ sơ tự đánh giá, hạn 15/01/2025",
        data={"level": 1, "deadline": "2025-01-15"},
    )
    return RoundRecord(workflow_id="cchc-round/2024/Vĩnh Khê", commune="Vĩnh Khê", year=2024, entry=entry)


def counts(session_factory) -> tuple[int, int]:
    with session_factory() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (RoundEventRow, NotificationRow))


async def test_a_round_event_recorded_twice_is_written_once_with_its_emails_once(session_factory):
    record = escalation(datetime(2025, 1, 16, 8, tzinfo=TZ))
    activities = RoundActivities(session_factory)

    assert await ActivityEnvironment().run(activities.record_round_event, record) is True
    assert await ActivityEnvironment().run(activities.record_round_event, record) is False
    assert counts(session_factory) == (1, 2)  # the chairman, the office in copy


async def test_a_round_event_the_database_refuses_is_not_retried(session_factory):
    naive = escalation(datetime(2025, 1, 16, 8))

    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(RoundActivities(session_factory).record_round_event, naive)

    assert (refused.value.type, refused.value.non_retryable) == (INVALID_EVENT, True)
    assert counts(session_factory) == (0, 0)
