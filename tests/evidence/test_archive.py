"""The history archive: every closed run of a task's chain, once, as Temporal recorded it; on
the real dev server, the archiver finds closed task and PAR round runs by listing them."""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import date

from sqlalchemy import func, select
from temporalio.client import WorkflowHistory

from evidence.archive import archive_closed, archived_runs, run_archiver
from evidence.verify import whole_history
from persistence.archive_tables import ArchivedHistoryRow
from tests.evidence.tasks import archived_task, finish
from tests.workflows.rig import task_rig
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.round_contracts import RoundInput, round_workflow_id


def archive(sessions, workflow_id: str) -> list[ArchivedHistoryRow]:
    with sessions() as session:
        return archived_runs(session, [workflow_id]).get(workflow_id, [])


def count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ArchivedHistoryRow))


async def test_every_run_of_a_task_that_continued_as_new_is_archived_linked_to_the_one_before(
    sqlite_sessions, vinh_khe_plan
):
    workflow_id = await archived_task(sqlite_sessions, vinh_khe_plan, history_limit=20)

    runs = archive(sqlite_sessions, workflow_id)
    assert len(runs) >= 2
    assert [run.status for run in runs] == ["continued_as_new"] * (len(runs) - 1) + ["completed"]
    assert [run.previous_run_id for run in runs] == [None, *(run.run_id for run in runs[:-1])]
    assert whole_history(runs)
    for run in runs:
        history = WorkflowHistory.from_json(workflow_id, run.history)
        assert (history.run_id, len(history.events)) == (run.run_id, run.events)
        assert hashlib.sha256(run.history.encode()).hexdigest() == run.sha256


async def test_a_run_still_open_waits_and_a_closed_one_is_stored_once(sqlite_sessions, vinh_khe_plan):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe_plan, "I.3"))

        assert await archive_closed(rig.client, sqlite_sessions, workflow_ids=[handle.id]) == 0
        await finish(handle)
        await handle.result()
        assert await archive_closed(rig.client, sqlite_sessions, workflow_ids=[handle.id]) == 1
        assert await archive_closed(rig.client, sqlite_sessions, workflow_ids=[handle.id]) == 0

    assert count(sqlite_sessions) == 1


async def test_on_the_real_server_the_archiver_finds_the_closed_task_and_round_runs_by_listing_them(
    sqlite_sessions, vinh_khe_plan
):
    async with task_rig(sqlite_sessions, local=True) as rig:
        done = await rig.start(rig.input(vinh_khe_plan, "I.3"))
        await rig.start(rig.input(vinh_khe_plan, "II.4"))  # still open
        await finish(done)
        await done.result()
        closed_round = await open_round(rig, "Vĩnh Khê")
        await open_round(rig, "Vĩnh Thủy")  # still open
        await closed_round.terminate("the province withdrew the round")
        stop = asyncio.Event()
        archiver = asyncio.create_task(run_archiver(rig.client, sqlite_sessions, stop, interval=0.2))
        deadline = time.monotonic() + 30
        while count(sqlite_sessions) < 2 and time.monotonic() < deadline:  # the listing may lag
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.wait_for(archiver, 5)

    assert [run.workflow_id for run in archive(sqlite_sessions, done.id)] == [done.id]
    assert [run.status for run in archive(sqlite_sessions, closed_round.id)] == ["terminated"]
    assert count(sqlite_sessions) == 2


async def open_round(rig, commune: str):
    """A commune's PAR round opened on the rig's worker; its handle once its opening is recorded."""
    opening = RoundInput(
        commune=commune,
        year=2024,
        plan_id=1,
        catalogue_id=1,
        opens=date(2024, 12, 1),
        submission_due=date(2025, 1, 15),
        explanation_due=date(2025, 2, 27),
    )
    handle = await rig.client.start_workflow(
        AssessmentRoundWorkflow.run, opening, task_queue=rig.task_queue, id=round_workflow_id(commune, 2024)
    )
    await handle.query(AssessmentRoundWorkflow.state)
    return handle
