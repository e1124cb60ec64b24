"""On time as the province counts it: the accepted document's own date against the plan's
deadline, whatever day it was uploaded or confirmed; and the rate as directed, counting the
chairman's extensions. Through the real workflow, the record activity and the SQL it writes.

Task I.1 of Vĩnh Khê 2024 (Văn phòng) is due Wednesday 31/01/2024.
"""

from __future__ import annotations

from datetime import date

from services.outcomes import Tally, year_tally
from tests.workflows.rig import CHAIRMAN, at, task_rig
from tests.workflows.test_task_workflow import finish, rejection
from workflows.contracts import AmendmentRef, DeadlineExtension, Waiver
from workflows.task import TaskWorkflow

AFTER_THE_YEAR = at(15, 1, 9, year=2025)


def tally(rig) -> Tally:
    with rig.sessions() as session:
        return year_tally(session, "Vĩnh Khê", 2024, AFTER_THE_YEAR)


async def test_a_late_document_uploaded_early_is_late(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(24, 1, 9), handle)
        extension = DeadlineExtension(actor=CHAIRMAN, new_due=date(2024, 2, 29), reason="chờ hướng dẫn của huyện")
        await handle.execute_update(TaskWorkflow.extend_deadline, extension)
        await rig.advance_to(at(2, 2, 9), handle)
        # Dated 02/02, after the plan's 31/01; uploaded and confirmed the same day, weeks
        # before the extended deadline.
        await finish(handle, day=date(2024, 2, 2))
        await handle.result()

        counted = tally(rig)

    assert (counted.plan.on_time, counted.plan.late) == (0, 1)
    assert (counted.directed.on_time, counted.directed.late) == (1, 0)
    assert (counted.on_time_rate, counted.on_time_rate_directed) == (0.0, 1.0)


async def test_an_early_document_uploaded_late_is_on_time(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(6, 2, 9), handle)  # escalated since 31/01
        await finish(handle, day=date(2024, 1, 30))  # signed 30/01, uploaded and confirmed 06/02
        await handle.result()

        counted = tally(rig)

    assert (counted.approved, counted.plan.on_time, counted.directed.on_time) == (1, 1, 1)
    assert (counted.on_time_rate, counted.on_time_rate_directed) == (1.0, 1.0)


async def test_a_task_stopped_without_an_amending_document_counts_as_not_done_by_the_plan(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(22, 1, 9), handle)
        await handle.execute_update(TaskWorkflow.waive, Waiver(actor=CHAIRMAN, reason="gộp vào nhiệm vụ khác"))
        await handle.result()

        counted = tally(rig)

    assert (counted.waived, counted.plan.not_done, counted.plan.settled, counted.directed.settled) == (1, 1, 1, 0)
    assert (counted.on_time_rate, counted.on_time_rate_directed) == (0.0, None)


async def test_a_task_stopped_citing_the_amending_document_leaves_both_rates_and_shows_it(sqlite_sessions, vinh_khe):
    amendment = AmendmentRef(number="25/KH-UBND", issued=date(2024, 1, 19))
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(22, 1, 9), handle)
        stop = Waiver(actor=CHAIRMAN, reason="kế hoạch điều chỉnh bỏ nhiệm vụ", amendment=amendment)
        await handle.execute_update(TaskWorkflow.waive, stop)
        await handle.result()

        counted = tally(rig)
        recorded = next(event for event in rig.events(handle.id) if event.kind == "waive")

    assert (counted.waived, counted.plan.settled, counted.directed.settled) == (1, 0, 0)
    assert (counted.on_time_rate, counted.on_time_rate_directed) == (None, None)
    assert (
        recorded.detail == "dừng thực hiện theo văn bản số 25/KH-UBND ngày 19/01/2024: kế hoạch điều chỉnh bỏ nhiệm vụ"
    )
    assert recorded.payload["amendment"] == {"number": "25/KH-UBND", "issued": "2024-01-19", "title": ""}


async def test_a_stop_citing_a_document_not_yet_issued_or_without_a_number_is_refused(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))
        await rig.advance_to(at(22, 1, 9), handle)

        def stop(number: str, issued: date) -> Waiver:
            return Waiver(
                actor=CHAIRMAN, reason="kế hoạch điều chỉnh", amendment=AmendmentRef(number=number, issued=issued)
            )

        assert await rejection(handle, TaskWorkflow.waive, stop("25/KH-UBND", date(2024, 1, 23))) == (
            "ngày văn bản điều chỉnh (23/01/2024) sau ngày hôm nay"
        )
        assert await rejection(handle, TaskWorkflow.waive, stop(" ", date(2024, 1, 19))) == (
            "thiếu số văn bản điều chỉnh"
        )
        assert (await handle.query(TaskWorkflow.state)).state == "assigned"
