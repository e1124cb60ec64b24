"""Two communes of one province through the year-end PAR round, on the time-skipping server:
self-scores computed by rule equal the hand calculations below; a sub-criterion without
evidence blocks submission until it is explained; the chairman approves, the office submits;
the appraiser scores, asks one commune for an explanation, which answers, and publishes both;
the ranking shows both communes by their appraised scores. What was published then stays as
it was, whatever the communes enter afterwards and whatever catalogue comes next."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.assessment_round import RoundEvent, RoundRole, RoundState
from domain.calendar import TZ
from importers.catalogue import read_catalogue
from services.assessment import assessment_sheet, enter_score
from services.catalogues import import_catalogue
from services.rounds import act_on_round, open_round, round_snapshot
from services.supervision import appraisal_items, round_overview
from tests.services.year import DECISION, SAMPLE, Fate, explain_what_blocks, live, monthly, store
from tests.workflows.rig import task_rig
from workflows.round_contracts import RoundInput, RoundRequest

OPENS = datetime(2025, 12, 1, 8, 0, tzinfo=TZ)
AFTER = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
HOA_AN, HOA_BINH = "Xã Hòa An", "Xã Hòa Bình"
E, R = RoundEvent, RoundRole


def at(day: int, month: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=TZ)


def step(event: RoundEvent, role: RoundRole, **fields) -> RoundRequest:
    return RoundRequest(event=event, user=f"{role.value}-1", role=role, **fields)


@pytest.fixture
def province(session_factory):
    """Hòa An approved all eleven occurrences on time; Hòa Bình one of its ten monthly reports
    five days late. Each entered its own score for report quality (1.2.2)."""
    plans = {}
    for commune, october, quality in ((HOA_AN, Fate.ON_TIME, "1"), (HOA_BINH, Fate.LATE, "0.5")):
        plan_id, catalogue_id = store(session_factory, commune)
        live(
            session_factory,
            plan_id,
            {**monthly(*[Fate.ON_TIME] * 9, october), ("I.2", "2025-01"): Fate.ON_TIME},
            commune,
        )
        with session_factory.begin() as session:
            enter_score(
                session,
                plan_id=plan_id,
                catalogue_id=catalogue_id,
                code="1.2.2",
                points=Decimal(quality),
                reason="tự chấm theo đề cương",
                actor="lan",
                now=OPENS,
            )
        plans[commune] = plan_id
    return session_factory, plans, catalogue_id


def sheet(sessions, plan_id: int, catalogue_id: int, now: datetime = OPENS):
    with sessions() as session:
        return assessment_sheet(
            session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=("1.1.2",), now=now
        )


def score_of(found, code: str) -> Decimal | None:
    return next(item.score.points for item in found.items if item.leaf.code == code)


def overview(sessions, now: datetime = AFTER):
    with sessions() as session:
        return round_overview(session, 2025, [HOA_AN, HOA_BINH], now)


async def test_two_communes_are_assessed_appraised_published_and_ranked(province):
    sessions, plans, catalogue_id = province
    # By hand. 1.1.1 (fixed, 1 point): the plan issued in January, approved → 1.
    # 1.1.2 (threshold 90 %, 2 points, over the whole plan's 11 occurrences):
    #   Hòa An 11 of 11 on time → 2; Hòa Bình 10 of 11 = 90.9 % ≥ 90 % → 10/11 × 2 = 1.818… → 1.82.
    # 1.2.2 (manual, 1 point): as entered, 1 and 0.5. Every other item is unscored: 0.
    hoa_an, hoa_binh = sheet(sessions, plans[HOA_AN], catalogue_id), sheet(sessions, plans[HOA_BINH], catalogue_id)
    assert [score_of(hoa_an, code) for code in ("1.1.1", "1.1.2", "1.2.2")] == [1, 2, 1]
    assert [score_of(hoa_binh, code) for code in ("1.1.1", "1.1.2", "1.2.2")] == [1, Decimal("1.82"), Decimal("0.5")]
    assert (hoa_an.self_score, hoa_binh.self_score) == (Decimal(4), Decimal("3.32"))

    async with task_rig(sessions, OPENS) as rig:
        for commune, plan_id in plans.items():
            opened = RoundInput(
                commune=commune,
                year=2025,
                plan_id=plan_id,
                catalogue_id=catalogue_id,
                plan_completion_codes=("1.1.2",),
                opens=OPENS.date(),
                submission_due=at(15, 1).date(),
                explanation_due=at(27, 2).date(),
                clock_offset=rig.offset,
            )
            assert await open_round(rig.client, opened, task_queue=rig.task_queue)
            assert not await open_round(rig.client, opened, task_queue=rig.task_queue)  # once per commune and year
        for commune, plan_id in plans.items():
            with pytest.raises(WorkflowUpdateFailedError) as refused:  # items without evidence block
                await act_on_round(rig.client, commune, 2025, step(E.APPROVE, R.CHAIRMAN))
            blocking = explain_what_blocks(sessions, plan_id, catalogue_id, OPENS)
            assert "1.2.2" in blocking and ", ".join(blocking) in refused.value.cause.message
            await act_on_round(rig.client, commune, 2025, step(E.APPROVE, R.CHAIRMAN))
        assert [row.state for row in overview(sessions, OPENS)] == [RoundState.APPROVED, RoundState.APPROVED]

        for commune in plans:
            submitted = await act_on_round(rig.client, commune, 2025, step(E.SUBMIT, R.OFFICE))
            assert submitted.state is RoundState.SUBMITTED

        await act_on_round(
            rig.client,
            HOA_AN,
            2025,
            step(E.APPRAISE, R.APPRAISER, codes=("1.2.2",), points=Decimal(0), note="báo cáo thiếu số liệu"),
        )
        with pytest.raises(WorkflowUpdateFailedError) as beyond:
            await act_on_round(
                rig.client, HOA_AN, 2025, step(E.APPRAISE, R.APPRAISER, codes=("1.1.2",), points=Decimal(3))
            )
        assert "điểm thẩm định tiêu chí 1.1.2 phải trong khoảng 0..2" in beyond.value.cause.message
        asked = await act_on_round(
            rig.client,
            HOA_BINH,
            2025,
            step(E.REQUEST_EXPLANATION, R.APPRAISER, codes=("1.1.2",), note="vì sao trễ tháng 10?"),
        )
        assert asked.deadline == at(27, 2).date()
        await act_on_round(rig.client, HOA_BINH, 2025, step(E.ANSWER, R.OFFICE, note="chờ số liệu của huyện"))
        for commune in plans:
            await act_on_round(rig.client, commune, 2025, step(E.PUBLISH, R.APPRAISER, decision=DECISION))
        assert (await round_snapshot(rig.client, HOA_AN, 2025)).state is RoundState.PUBLISHED

    published = overview(sessions)
    # Hòa An: 4 submitted, 1.2.2 appraised at 0 instead of 1 → 3. Hòa Bình: 3.32 as submitted.
    assert [(row.commune, row.rank, row.submitted, row.self_score, row.appraised_score) for row in published] == [
        (HOA_BINH, 1, True, Decimal("3.32"), Decimal("3.32")),
        (HOA_AN, 2, True, Decimal(4), Decimal(3)),
    ]
    assert {row.state for row in published} == {RoundState.PUBLISHED}
    assert [(row.published.decision, row.published.classification) for row in published if row.published] == [
        (DECISION, "Yếu"),
        (DECISION, "Yếu"),
    ]
    assert all(row.max_points == 100 and row.overdue_tasks == 0 for row in published)
    assert [row.on_time_rate for row in published] == [0.909, 1.0]
    with sessions() as session:
        items = {item.item.code: item for item in appraisal_items(session, HOA_BINH, 2025)}
    assert items["1.1.2"].asked and items["1.1.2"].answers == ("chờ số liệu của huyện",)
    assert items["1.2.2"].item.explanation == "Không phát sinh trong năm" and items["1.2.2"].appraised is None

    # Afterwards Hòa An raises its own score, and the province issues next year's catalogue:
    # the published round is what was submitted and appraised, not what the sheet says today.
    with sessions.begin() as session:
        enter_score(
            session,
            plan_id=plans[HOA_AN],
            catalogue_id=catalogue_id,
            code="1.1.1",
            points=Decimal(0),
            reason="nhập lại",
            actor="lan",
            now=AFTER,
        )
        sample = read_catalogue(SAMPLE)
        next_year = sample.model_copy(
            update={"year": 2026, "decision": sample.decision.model_copy(update={"number": "99/QĐ-UBND"})}
        )
        import_catalogue(session, next_year, source_file="2026.yaml", source_sha256="ef" * 32, actor="lan", now=AFTER)
    assert score_of(sheet(sessions, plans[HOA_AN], catalogue_id, AFTER), "1.1.1") == 0
    assert overview(sessions) == published
    with sessions() as session:
        assert {item.item.code: item for item in appraisal_items(session, HOA_BINH, 2025)} == items
