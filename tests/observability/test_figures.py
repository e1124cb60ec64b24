"""The metrics read from the database, on both backends: emails waiting and the oldest unsent,
and each commune's overdue occurrences (open, due before today), none hidden at zero."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig

from notifications.digests import send_daily_digests
from observability.figures import publish, read_figures
from observability.metrics import EMAILS_WAITING, OUTBOX_OLDEST_AGE, OVERDUE_OCCURRENCES, Metrics
from persistence.task_runs import add_started_runs
from persistence.task_tables import TaskRunRow
from tests.notifications.test_scheduler import MONDAY, OUTBOX, prepare, task

TODAY = MONDAY.date()  # 04/03/2024: I.1 and II.2 of the scheduler tests are late, III.1 not yet


@pytest.fixture
def commune_with_late_work(session_factory):
    prepare(session_factory)
    other = task("I.1", date(2024, 1, 31), "Văn phòng")[1].model_copy(update={"commune": "Xã Bên"})
    with session_factory.begin() as session:
        add_started_runs(session, [("cchc-task/9/I.1/2024-01-31", other.model_copy(update={"plan_id": 9}))], MONDAY)
        session.execute(  # the other commune's one late task was done: nothing overdue there
            update(TaskRunRow).where(TaskRunRow.commune == "Xã Bên").values(state="approved")
        )
        send_daily_digests(session, OUTBOX, MONDAY)  # one email to the chairman, not sent yet
    return session_factory


def test_overdue_occurrences_are_counted_per_commune_and_a_commune_with_none_reads_zero(commune_with_late_work):
    with commune_with_late_work() as session:
        figures = read_figures(session, TODAY)
    assert figures.overdue == {"Vĩnh Khê": 2, "Xã Bên": 0}
    with commune_with_late_work() as session:
        assert read_figures(session, date(2024, 7, 1)).overdue == {"Vĩnh Khê": 4, "Xã Bên": 0}


def test_the_unsent_digest_is_waiting_and_its_age_is_published_from_when_it_was_written(commune_with_late_work):
    with commune_with_late_work() as session:
        figures = read_figures(session, TODAY)
    assert figures.emails_waiting == 1 and figures.oldest_unsent == MONDAY

    buffer = MetricBuffer(100)
    publish(
        Metrics.of(Runtime(telemetry=TelemetryConfig(metrics=buffer)).metric_meter),
        figures,
        MONDAY + timedelta(minutes=10),
    )
    published = {(u.metric.name, u.attributes.get("commune")): u.value for u in buffer.retrieve_updates()}
    assert published[EMAILS_WAITING, None] == 1
    assert published[OUTBOX_OLDEST_AGE, None] == 600.0
    assert published[OVERDUE_OCCURRENCES, "Vĩnh Khê"] == 2 and published[OVERDUE_OCCURRENCES, "Xã Bên"] == 0
