"""The PAR round of one commune on the time-skipping server: reminders and escalation before a
submission deadline the commune is about to miss, and the round from approval to publication."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from domain.assessment_round import RoundEvent, RoundRole, RoundState
from domain.calendar import TZ
from persistence.round_tables import RoundEventRow
from services.assessment import AssessmentError, assessment_sheet, enter_score, explain
from services.supervision import overview_document, round_overview
from tests.services.year import DECISION, Fate, live, monthly, sample_with, store
from tests.workflows.rig import task_rig
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.round_contracts import RoundInput, RoundRequest, round_workflow_id

OPENS = datetime(2025, 12, 1, 8, 0, tzinfo=TZ)
E, R = RoundEvent, RoundRole


def at(day: int, month: int, year: int = 2026, hour: int = 8, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def round_input(plan_id: int, catalogue_id: int, offset) -> RoundInput:
    return RoundInput(
        commune="Xã Mẫu", year=2025, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=("1.1.2",),
        opens=OPENS.date(), submission_due=at(15, 1).date(), explanation_due=at(27, 2).date(), clock_offset=offset,
    )  # fmt: skip


async def open_round(rig, plan_id: int, catalogue_id: int):
    return await rig.client.start_workflow(
        AssessmentRoundWorkflow.run, round_input(plan_id, catalogue_id, rig.offset),
        id=round_workflow_id("Xã Mẫu", 2025), task_queue=rig.task_queue,
    )  # fmt: skip


def recorded(sessions) -> list[tuple[str, datetime, str]]:
    with sessions() as session:
        rows = session.scalars(select(RoundEventRow).order_by(RoundEventRow.seq))
        return [(row.kind, row.at.astimezone(TZ), row.detail) for row in rows]


def step(event: RoundEvent, role: RoundRole, **fields) -> RoundRequest:
    return RoundRequest(event=event, user=f"{role.value}-1", role=role, **fields)


def sheet_on(sessions, plan_id: int, catalogue_id: int, now: datetime):
    with sessions() as session:
        return assessment_sheet(
            session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=("1.1.2",), now=now
        )


def explain_all(sessions, plan_id: int, catalogue_id: int, codes) -> None:
    with sessions.begin() as session:
        for code in codes:
            explain(
                session,
                plan_id=plan_id,
                catalogue_id=catalogue_id,
                code=code,
                text="Không phát sinh trong năm",
                actor="lan",
                now=at(5, 1),
            )


@pytest.fixture
def year(sqlite_sessions):
    plan_id, catalogue_id = store(sqlite_sessions)
    live(sqlite_sessions, plan_id, {**monthly(*[Fate.ON_TIME] * 10), ("I.2", "2025-01"): Fate.ON_TIME})
    return sqlite_sessions, plan_id, catalogue_id


async def test_a_commune_about_to_miss_the_submission_deadline_is_reminded_on_working_days_then_escalated(year):
    sessions, plan_id, catalogue_id = year
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        await rig.advance_to(at(20, 1, hour=10), handle)
        await rig.keep_history(handle, "par-round-escalates")

    events = [(kind, moment) for kind, moment, _ in recorded(sessions)]
    # 15/01/2026 is a Thursday: 7, 3 and 1 working days before are 06/01, 12/01 and 14/01; the
    # chairman hears of it at the end of the day, then three working days later (Tuesday 20/01).
    assert events == [
        ("open", OPENS),
        ("reminder", at(6, 1)),
        ("reminder", at(12, 1)),
        ("reminder", at(14, 1)),
        ("escalation", at(15, 1, hour=23, minute=59, second=59)),
        ("escalation", at(20, 1)),
    ]
    details = [detail for *_, detail in recorded(sessions)]
    assert details[1] == "nhắc việc gửi hồ sơ tự đánh giá: còn 7 ngày làm việc đến hạn 15/01/2026"
    assert details[-1] == "cảnh báo quá hạn lần 2: gửi hồ sơ tự đánh giá, hạn 15/01/2026"


async def test_approved_submitted_once_explained_appraised_asked_answered_and_published(year):
    sessions, plan_id, catalogue_id = year
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        await rig.advance_to(at(5, 1), handle)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN))
        with pytest.raises(WorkflowUpdateFailedError):  # nothing approved, nothing to submit
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.SUBMIT, R.OFFICE))
        sheet = sheet_on(sessions, plan_id, catalogue_id, at(5, 1))
        assert sheet.blocking and ", ".join(sheet.blocking) in refused.value.cause.message
        explain_all(sessions, plan_id, catalogue_id, sheet.blocking)
        sheet = sheet_on(sessions, plan_id, catalogue_id, at(5, 1))
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN))
        submitted = await handle.execute_update(AssessmentRoundWorkflow.act, step(E.SUBMIT, R.OFFICE))
        assert (submitted.state, submitted.self_score, submitted.deadline) == (
            RoundState.SUBMITTED,
            sheet.self_score,
            None,
        )
        await rig.advance_to(at(20, 1), handle)  # past the submission deadline: submitted, no alarm

        await handle.execute_update(
            AssessmentRoundWorkflow.act, step(E.APPRAISE, R.APPRAISER, codes=("1.1.2",), points=Decimal("1.5"))
        )
        with pytest.raises(WorkflowUpdateFailedError):  # the commune never appraises itself
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.PUBLISH, R.OFFICE))
        asked = await handle.execute_update(
            AssessmentRoundWorkflow.act,
            step(E.REQUEST_EXPLANATION, R.APPRAISER, codes=("1.2.2",), note="thiếu phụ lục"),
        )
        assert (asked.state, asked.deadline, asked.asked) == (
            RoundState.EXPLANATION_REQUESTED,
            at(27, 2).date(),
            ("1.2.2",),
        )
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.ANSWER, R.OFFICE, note="đã bổ sung phụ lục"))
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.PUBLISH, R.APPRAISER, decision=DECISION))
        final = await handle.result()
        await rig.keep_history(handle, "par-round-published")

    assert final.state is RoundState.PUBLISHED
    assert final.appraised == {"1.1.2": Decimal("1.5")}
    assert [kind for kind, *_ in recorded(sessions)] == [
        "open",
        "approve",
        "submit",
        "appraise",
        "request_explanation",
        "answer",
        "publish",
    ]


async def test_a_score_changed_after_the_chairman_approved_voids_the_approval_until_he_approves_again(year):
    sessions, plan_id, catalogue_id = year
    explain_all(sessions, plan_id, catalogue_id, sheet_on(sessions, plan_id, catalogue_id, at(5, 1)).blocking)
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        await rig.advance_to(at(5, 1), handle)
        approved = await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN))
        assert approved.state is RoundState.APPROVED
        with sessions.begin() as session:
            enter_score(
                session,
                plan_id=plan_id,
                catalogue_id=catalogue_id,
                code="1.2.2",
                points=Decimal("0.5"),
                reason="báo cáo quý IV nộp muộn",
                actor="lan",
                now=at(6, 1),
            )

        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.SUBMIT, R.OFFICE))
        assert "đã thay đổi sau khi Chủ tịch phê duyệt (tiêu chí 1.2.2)" in refused.value.cause.message
        assert (await handle.query(AssessmentRoundWorkflow.state)).state is RoundState.OPEN
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN))
        submitted = await handle.execute_update(AssessmentRoundWorkflow.act, step(E.SUBMIT, R.OFFICE))
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.PUBLISH, R.APPRAISER, decision=DECISION))
        await handle.result()
        await rig.keep_history(handle, "par-round-approval-voided")

    assert submitted.self_score == sheet_on(sessions, plan_id, catalogue_id, at(6, 1)).self_score
    events = recorded(sessions)
    assert [kind for kind, *_ in events] == ["open", "approve", "approval_voided", "approve", "submit", "publish"]
    assert "tiêu chí 1.2.2" in events[2][2]
    with sessions() as session:
        approvals = session.scalars(select(RoundEventRow.payload).where(RoundEventRow.kind == "approve")).all()
    points = [{item["code"]: item["points"] for item in approval["sheet"]}["1.2.2"] for approval in approvals]
    assert points[1] == "0.5" and points[0] != "0.5"  # each approval keeps the sheet the chairman saw


async def submit_and_appraise_the_survey(sessions, plan_id: int, catalogue_id: int, *, survey: Decimal):
    """Through the round to publication: approved and submitted with the survey (8.1) neither
    scored nor explained by the commune, the appraiser scoring it; the snapshot after publishing."""
    explain_all(sessions, plan_id, catalogue_id, sheet_on(sessions, plan_id, catalogue_id, at(5, 1)).blocking)
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        await rig.advance_to(at(5, 1), handle)
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN))
        submitted = await handle.execute_update(AssessmentRoundWorkflow.act, step(E.SUBMIT, R.OFFICE))
        assert submitted.state is RoundState.SUBMITTED
        await handle.execute_update(
            AssessmentRoundWorkflow.act, step(E.APPRAISE, R.APPRAISER, codes=("8.1",), points=survey)
        )
        with pytest.raises(WorkflowUpdateFailedError) as undecided:
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.PUBLISH, R.APPRAISER))
        assert "ghi số, ngày và người ký quyết định công bố" in str(undecided.value.cause)
        await handle.execute_update(AssessmentRoundWorkflow.act, step(E.PUBLISH, R.APPRAISER, decision=DECISION))
        return await handle.result()


async def test_an_item_the_province_scores_never_blocks_submission_and_is_scored_by_the_appraiser(year):
    sessions, plan_id, catalogue_id = year
    sheet = sheet_on(sessions, plan_id, catalogue_id, at(5, 1))
    assert "8.1" not in sheet.blocking and "8.1" in sheet.missing_evidence

    final = await submit_and_appraise_the_survey(sessions, plan_id, catalogue_id, survey=Decimal(8))

    assert final.appraised == {"8.1": Decimal(8)}
    with sessions() as session:
        submitted = session.scalars(select(RoundEventRow.payload).where(RoundEventRow.kind == "submit")).one()
    survey = next(item for item in submitted["sheet"] if item["code"] == "8.1")
    assert (survey["scored_by"], survey["points"], survey["explanation"]) == ("province", None, None)
    assert final.published is not None and final.published.points == sheet.self_score + 8


@pytest.fixture
def banded_year(sqlite_sessions):
    """The year of `year`, on the sample catalogue with bands of its own: Tốt from 12 %, Khá from 8 %."""
    bands = [{"name": "Tốt", "min_percent": 12}, {"name": "Khá", "min_percent": 8}, {"name": "Yếu", "min_percent": 0}]
    plan_id, catalogue_id = store(sqlite_sessions, catalogue=sample_with({}, bands=bands))
    live(sqlite_sessions, plan_id, {**monthly(*[Fate.ON_TIME] * 10), ("I.2", "2025-01"): Fate.ON_TIME})
    return sqlite_sessions, plan_id, catalogue_id


async def test_publication_records_the_decision_and_the_classification(banded_year):
    sqlite_sessions, plan_id, catalogue_id = banded_year
    self_score = sheet_on(sqlite_sessions, plan_id, catalogue_id, at(5, 1)).self_score  # 1.1.1 and 1.1.2: 3

    final = await submit_and_appraise_the_survey(sqlite_sessions, plan_id, catalogue_id, survey=Decimal(6))

    assert final.published is not None
    assert (final.published.decision, final.published.points) == (DECISION, self_score + 6)
    assert final.published.classification == "Khá"  # 9 of 100: from 8 %, below 12 %
    with sqlite_sessions() as session:
        published = session.scalars(select(RoundEventRow.payload).where(RoundEventRow.kind == "publish")).one()
        (row,) = round_overview(session, 2025, ["Xã Mẫu"], at(20, 2))
    assert published["classification"] == "Khá"
    assert published["decision"] == {"number": "125/QĐ-UBND", "issued": "2026-02-10", "signer": DECISION.signer}
    assert row.published == final.published and row.appraised_score == final.published.points
    assert overview_document(row)["classification"] == "Khá"


async def test_a_control_character_in_a_round_note_an_explanation_or_a_score_reason_is_refused(year):
    sessions, plan_id, catalogue_id = year
    sheet_place = {"plan_id": plan_id, "catalogue_id": catalogue_id, "code": "1.1.2", "actor": "lan", "now": at(5, 1)}
    with sessions.begin() as session:
        with pytest.raises(AssessmentError, match="giải trình chứa ký tự điều khiển"):
            explain(session, text="Không phát sinh\x00", **sheet_place)
        with pytest.raises(AssessmentError, match="lý do chấm điểm chứa ký tự điều khiển"):
            enter_score(session, points=Decimal("1"), reason="đủ\x1b[31m", **sheet_place)
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig, plan_id, catalogue_id)
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(AssessmentRoundWorkflow.act, step(E.APPROVE, R.CHAIRMAN, note="đồng ý\x00"))
        assert refused.value.cause.message == "trường “note” chứa ký tự điều khiển (không in được)"
    assert [kind for kind, *_ in recorded(sessions)] == ["open"]
