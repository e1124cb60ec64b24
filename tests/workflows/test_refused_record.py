"""A value the database refuses does not stop a workflow: the refusal is recorded in the
event's place, the update that brought it is refused with the reason, and the task or round
goes on. On the time-skipping server with a real PostgreSQL database, which refuses a name
longer than its column (SQLite would store it)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from temporalio.client import WorkflowUpdateFailedError
from typer.testing import CliRunner

from cli.app import app
from config import Settings, get_settings
from domain.assessment_round import RoundEvent, RoundRole, RoundState
from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.roles import Actor, Role
from evidence.archive import archive_closed
from persistence.db import make_engine, make_session_factory, migrate
from persistence.users import NewUser, add_user
from services.passwords import hash_password
from tests.evidence.test_verify import broken
from tests.services.year import Fate, live, monthly, store
from tests.web.world import PASSWORD, sign_in, task_path
from tests.workflows.rig import CHAIRMAN, at, task_rig
from tests.workflows.test_assessment_round import OPENS, explain_all, open_round, recorded, sheet_on, step
from tests.workflows.test_assessment_round import at as round_day
from tests.workflows.test_task_workflow import VAN_PHONG, kinds, rejection, searchable
from web.app import create_app
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.contracts import Acknowledge, Waiver
from workflows.round_contracts import RoundRequest
from workflows.task import TaskWorkflow

pytestmark = pytest.mark.postgres

# Past the 200 characters of the events' `actor` column: PostgreSQL refuses it (a DataError).
TOO_LONG = "chu-tich-" + "x" * 200
REFUSED = "không ghi nhận được thao tác: cơ sở dữ liệu không nhận một giá trị (quá dài hoặc sai kiểu)"


@pytest.fixture
def postgres_sessions(postgres_schema_url):
    migrate(postgres_schema_url)
    engine = make_engine(postgres_schema_url)
    yield make_session_factory(engine)
    engine.dispose()


async def test_an_update_the_database_refuses_is_refused_recorded_as_such_and_the_task_goes_on(
    postgres_sessions, postgres_schema_url, vinh_khe, tmp_path, monkeypatch
):
    async with task_rig(postgres_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))  # Văn phòng's

        acknowledged = Acknowledge(actor=Actor(user=TOO_LONG, role=Role.CHAIRMAN))
        assert await rejection(handle, TaskWorkflow.acknowledge, acknowledged) == REFUSED

        assert (await handle.query(TaskWorkflow.state)).state is TaskState.ASSIGNED  # nothing changed
        assert (await searchable(handle))[0] == "assigned"
        assert kinds(rig, handle.id) == ["assign", "record_refused"]
        refused = rig.events(handle.id)[-1]
        assert (refused.state, refused.actor, refused.payload) == ("assigned", "system", {"refused": "acknowledge"})
        assert refused.detail == "ghi nhận bị từ chối: cơ sở dữ liệu không nhận một giá trị (quá dài hoặc sai kiểu)"

        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=VAN_PHONG))  # the task goes on

        assert kinds(rig, handle.id) == ["assign", "record_refused", "acknowledge"]
        assert all(event.chain_hash for event in rig.events(handle.id)), "the audit chain runs through the refusal"
        assert (rig.run_row(handle.id).state, rig.run_row(handle.id).last_seq) == ("in_progress", 3)

        settings = Settings(
            data_dir=tmp_path / "data",
            database_url=postgres_schema_url,
            temporal_address=rig.client.service_client.config.target_host,
            task_queue=rig.task_queue,
        )
        shown = await asyncio.to_thread(show_task, monkeypatch, settings, handle.id)
        page = await asyncio.to_thread(task_page, settings, postgres_sessions, handle.id)

        await handle.execute_update(TaskWorkflow.waive, Waiver(actor=CHAIRMAN, reason="không còn phù hợp"))
        await handle.result()
        await archive_closed(rig.client, postgres_sessions, workflow_ids=[handle.id])
        await rig.keep_history(handle, "record-refused")

    assert [entry["kind"] for entry in shown["timeline"]] == ["assign", "record_refused", "acknowledge"]
    assert shown["state"] == "in_progress"
    assert "ghi nhận bị từ chối" in page and "quá dài hoặc sai kiểu" in page
    assert broken(postgres_sessions, handle.id) == []  # the audit finds the log and Temporal's history agree


async def test_a_task_whose_own_events_the_database_refuses_keeps_running_its_timers_and_its_updates(
    postgres_sessions, vinh_khe
):
    # Past the 200 characters of an email's unit column: every email to the lead unit is refused.
    unit = "Văn phòng " + "x" * 200
    async with task_rig(postgres_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1", lead=(unit,)))
        await rig.advance_to(at(30, 1, 9), handle)  # its reminders come, and are refused too
        await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=CHAIRMAN))  # emails nobody

        refused = [(event.kind, event.payload.get("refused")) for event in rig.events(handle.id)]
        reminders = [
            entry
            for entry in (await handle.query(TaskWorkflow.state)).timeline
            if entry.data == {"refused": "reminder"}
        ]

    assert refused[0] == ("record_refused", "assign")
    assert set(refused[1:-1]) == {("record_refused", "reminder")} and len(refused[1:-1]) == len(reminders) >= 2
    assert refused[-1] == ("acknowledge", None)


def show_task(monkeypatch, settings: Settings, workflow_id: str) -> dict:
    """`cchc task show --json`, as the operator runs it on this database and server."""
    monkeypatch.setenv("CCHC_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CCHC_DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("CCHC_TEMPORAL_ADDRESS", settings.temporal_address)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["task", "show", workflow_id.removeprefix("cchc-task/"), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def task_page(settings: Settings, sessions, workflow_id: str) -> str:
    """The task's page, as the commune's chairman reads it."""
    with sessions.begin() as session:
        chairman = NewUser(username="chu-tich", role=Role.CHAIRMAN, commune="Vĩnh Khê")
        add_user(session, chairman, hash_password(PASSWORD), datetime.now(TZ), must_change_password=False)
    with TestClient(create_app(settings), follow_redirects=False) as browser:
        sign_in(browser, "chu-tich")
        response = browser.get(task_path(workflow_id))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def year(postgres_sessions):
    """The sample commune's year on PostgreSQL, as `test_assessment_round` has it."""
    plan_id, catalogue_id = store(postgres_sessions)
    live(postgres_sessions, plan_id, {**monthly(*[Fate.ON_TIME] * 10), ("I.2", "2025-01"): Fate.ON_TIME})
    return plan_id, catalogue_id


async def test_a_round_step_the_database_refuses_is_refused_recorded_as_such_and_the_round_goes_on(
    postgres_sessions, year
):
    plan_id, catalogue_id = year
    async with task_rig(postgres_sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        await rig.advance_to(round_day(5, 1), handle)
        explain_all(
            postgres_sessions,
            plan_id,
            catalogue_id,
            sheet_on(postgres_sessions, plan_id, catalogue_id, round_day(5, 1)).blocking,
        )

        approval = RoundRequest(event=RoundEvent.APPROVE, user=TOO_LONG, role=RoundRole.CHAIRMAN)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(AssessmentRoundWorkflow.act, approval)
        assert refused.value.cause.message == REFUSED
        assert (await handle.query(AssessmentRoundWorkflow.state)).state is RoundState.OPEN

        await handle.execute_update(AssessmentRoundWorkflow.act, step(RoundEvent.APPROVE, RoundRole.CHAIRMAN))
        submitted = await handle.execute_update(AssessmentRoundWorkflow.act, step(RoundEvent.SUBMIT, RoundRole.OFFICE))
        await rig.keep_history(handle, "par-round-record-refused")

    assert submitted.state is RoundState.SUBMITTED
    assert [kind for kind, *_ in recorded(postgres_sessions)] == ["open", "record_refused", "approve", "submit"]
    assert (
        recorded(postgres_sessions)[1][2]
        == "ghi nhận bị từ chối: cơ sở dữ liệu không nhận một giá trị (quá dài hoặc sai kiểu)"
    )
