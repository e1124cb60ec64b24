"""The self-assessment sheet computed from a stored year, on SQLite and PostgreSQL: threshold
items from the occurrences mapped to them, fixed items met by approved tasks, entered scores,
explanations and the office's evidence."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.calendar import TZ
from persistence.assessment_tables import AssessmentEntryRow
from services.assessment import (
    NOT_MAPPED,
    AssessmentError,
    Sheet,
    SheetItem,
    add_office_evidence,
    assessment_sheet,
    enter_score,
    explain,
)
from tests.services.year import AFTER_THE_YEAR, Fate, live, monthly, sample_with, store

ON, LATE, OPEN, WAIVED = Fate.ON_TIME, Fate.LATE, Fate.OPEN, Fate.WAIVED


@pytest.fixture
def year(session_factory):
    """(session factory, plan id, catalogue id) of the stored sample year, nothing done yet."""
    plan_id, catalogue_id = store(session_factory)
    return session_factory, plan_id, catalogue_id


def sheet(year, *, plan_completion: tuple[str, ...] = (), now: datetime = AFTER_THE_YEAR) -> Sheet:
    session_factory, plan_id, catalogue_id = year
    with session_factory() as session:
        return assessment_sheet(
            session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=plan_completion, now=now
        )


def item(found: Sheet, code: str) -> SheetItem:
    return next(each for each in found.items if each.leaf.code == code)


def change(year, action, **arguments) -> None:
    session_factory, plan_id, catalogue_id = year
    with session_factory.begin() as session:
        action(session, plan_id=plan_id, catalogue_id=catalogue_id, actor="lan", now=AFTER_THE_YEAR, **arguments)


# --- threshold items ---------------------------------------------------------------------------


def test_nine_of_ten_occurrences_approved_on_time_score_nine_tenths_of_the_maximum(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, ON, LATE))

    scored = item(sheet(year), "1.1.2").score

    assert scored.points == Decimal("1.8")  # 9/10 = 90 % ≥ 90 % → 0,9 × 2 = 1,8
    assert scored.computed
    assert scored.explanation == "9/10 nhiệm vụ hoàn thành đúng hạn = 90 % ≥ 90 % → 0,9 × 2 = 1,8"


def test_eight_of_ten_on_time_is_below_the_floor_and_scores_nothing(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, LATE, OPEN))

    scored = item(sheet(year), "1.1.2").score

    assert scored.points == Decimal(0)
    assert scored.explanation == "8/10 nhiệm vụ hoàn thành đúng hạn = 80 % < 90 % → 0"


def test_ten_of_ten_on_time_scores_the_maximum(year):
    live(year[0], year[1], monthly(*[ON] * 10))

    assert item(sheet(year), "1.1.2").score.points == Decimal(2)


def test_the_score_names_the_occurrences_it_counted_and_the_documents_it_rests_on(year):
    live(year[0], year[1], monthly(*[ON] * 10))

    scored = item(sheet(year), "1.1.2").score

    assert sum(1 for each in scored.inputs if each.startswith("cchc-task/")) == 10
    assert "Số I.1-2025-03/BC-UBND ngày 31/03/2025" in scored.inputs


def test_an_occurrence_stopped_without_an_amending_document_counts_as_not_done(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, ON, WAIVED))

    assert item(sheet(year), "1.1.2").score.explanation.startswith("9/10 nhiệm vụ hoàn thành đúng hạn = 90 %")


def test_an_occurrence_an_amending_plan_took_out_never_counts_against_the_year(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, ON, Fate.AMENDED_OUT))

    assert item(sheet(year), "1.1.2").score.explanation.startswith("9/9 nhiệm vụ hoàn thành đúng hạn = 100 %")


def test_an_occurrence_still_ahead_of_its_deadline_is_not_counted_yet_and_one_past_it_is(year):
    live(year[0], year[1], monthly(ON, ON, ON, ON, ON, ON, ON, ON, OPEN, OPEN))
    mid_october = datetime(2025, 10, 15, 9, tzinfo=TZ)  # September's is overdue, October's not due yet

    assert item(sheet(year, now=mid_october), "1.1.2").score.explanation.startswith("8/9 ")


def test_a_threshold_item_no_task_is_mapped_to_is_not_computed(year):
    scored = item(sheet(year), "1.3.2").score

    assert (scored.points, scored.explanation) == (None, NOT_MAPPED)


def test_a_plan_completion_code_is_scored_on_every_occurrence_of_the_plan(year):
    live(year[0], year[1], {**monthly(*[ON] * 10), ("I.2", "2025-01"): LATE})

    scored = item(sheet(year, plan_completion=("1.3.2",)), "1.3.2").score

    assert scored.explanation == "10/11 nhiệm vụ hoàn thành = 90,91 % ≥ 90 % → 10/11 × 1,5 = 1,36"
    assert scored.points == Decimal("1.36")  # 10/11 × 1,5 = 1,3636…


def test_only_a_threshold_item_can_be_scored_on_the_whole_plan(year):
    with pytest.raises(AssessmentError, match=re.escape("1.1.1 không chấm theo tỷ lệ")):
        sheet(year, plan_completion=("1.1.1",))


# --- fixed items -------------------------------------------------------------------------------


def test_a_fixed_item_is_met_when_every_occurrence_mapped_to_it_is_approved_even_late(year):
    live(year[0], year[1], {("I.2", "2025-01"): LATE})

    scored = item(sheet(year), "1.1.1").score

    assert (scored.points, scored.explanation) == (Decimal(1), "Đạt → 1")


def test_a_fixed_item_whose_task_is_not_approved_waits_for_an_entered_score(year):
    live(year[0], year[1], {("I.2", "2025-01"): OPEN})

    assert item(sheet(year), "1.1.1").score.points is None

    change(year, enter_score, code="1.1.1", points=Decimal(0), reason="Không ban hành kế hoạch")

    assert item(sheet(year), "1.1.1").score.points == Decimal(0)


# --- entered scores ----------------------------------------------------------------------------


def test_an_entered_score_counts_in_its_areas_total_and_the_overall_total(year):
    before = sheet(year)

    change(year, enter_score, code="1.2.2", points=Decimal("0.5"), reason="Báo cáo thiếu nội dung")
    after = sheet(year)

    scored = item(after, "1.2.2").score
    assert (scored.points, scored.computed) == (Decimal("0.5"), False)
    assert scored.explanation == "cán bộ chấm 0,5: Báo cáo thiếu nội dung"
    assert after.totals.areas[0].points == before.totals.areas[0].points + Decimal("0.5")
    assert after.self_score == before.self_score + Decimal("0.5")


def test_an_entered_penalty_is_deducted_from_the_total(year):
    change(year, enter_score, code="TR1", points=Decimal(1), reason="2 nhiệm vụ cấp trên giao bị chậm")

    found = sheet(year)

    assert item(found, "TR1").score.points == Decimal(-1)
    assert found.totals.penalty == Decimal(-1)
    assert found.self_score == Decimal(-1)


def test_entering_a_score_again_replaces_the_first(year):
    change(year, enter_score, code="1.2.2", points=Decimal("0.5"), reason="thiếu nội dung")
    change(year, enter_score, code="1.2.2", points=Decimal(1), reason="đã bổ sung đủ nội dung")

    assert item(sheet(year), "1.2.2").score.points == Decimal(1)
    with year[0]() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentEntryRow)) == 1


def test_an_entered_score_stands_over_the_computed_one_and_quotes_it(year):
    live(year[0], year[1], monthly(*[ON] * 10))

    change(year, enter_score, code="1.1.2", points=Decimal("1.5"), reason="trừ nhiệm vụ chất lượng thấp")

    assert item(sheet(year), "1.1.2").score.explanation == (
        "cán bộ chấm 1,5: trừ nhiệm vụ chất lượng thấp (theo dõi tính được: "
        "10/10 nhiệm vụ hoàn thành đúng hạn = 100 % → 2)"
    )


@pytest.mark.parametrize(
    ("code", "points", "reason", "refusal"),
    [
        ("1.2.2", Decimal(2), "quá điểm", "vượt quá mức tối đa 1"),
        ("1.2.2", Decimal(-1), "âm", "điểm phải từ 0 trở lên"),
        ("1.2.2", Decimal(1), "  ", "phải ghi lý do"),
        ("9.9.9", Decimal(1), "không có", "không có tiêu chí chấm điểm 9.9.9"),
    ],
)
def test_a_score_out_of_range_without_reason_or_for_an_unknown_item_is_refused(year, code, points, reason, refusal):
    with pytest.raises(ValueError, match=refusal):
        change(year, enter_score, code=code, points=points, reason=reason)


# --- evidence and explanations -----------------------------------------------------------------


def test_a_sub_criterion_without_evidence_blocks_the_sheet_until_it_is_explained(year):
    assert "1.3.2" in sheet(year).blocking

    change(year, explain, code="1.3.2", text="Năm 2025 xã không ban hành kế hoạch tuyên truyền riêng")
    found = sheet(year)

    assert "1.3.2" not in found.blocking
    assert "1.3.2" in found.missing_evidence
    assert item(found, "1.3.2").explanation == "Năm 2025 xã không ban hành kế hoạch tuyên truyền riêng"


def test_an_approved_tasks_evidence_is_the_evidence_of_the_items_it_is_mapped_to(year):
    live(year[0], year[1], {("I.2", "2025-01"): ON})

    found = sheet(year)

    [document] = item(found, "1.1.1").evidence
    assert (document.source, document.number, document.task_code) == ("task", "I.2-2025-01/BC-UBND", "I.2")
    assert "1.1.1" not in found.blocking


def test_office_evidence_fills_a_gap(year):
    change(
        year,
        add_office_evidence,
        code="1.3.2",
        number="45/BC-UBND",
        day=date(2025, 12, 5),
        issuer="UBND xã Mẫu",
        summary="Báo cáo kết quả tuyên truyền CCHC năm 2025",
        page="3",
        signed=True,
    )

    found = sheet(year)

    [document] = item(found, "1.3.2").evidence
    assert document.reference == "Số 45/BC-UBND ngày 05/12/2025, trang 3"
    assert (document.source, document.issuer, document.signed) == ("office", "UBND xã Mẫu", True)
    assert "1.3.2" not in found.missing_evidence
    assert "1.3.2" not in found.blocking


def test_an_unclaimed_adjustment_needs_no_evidence_but_a_claimed_one_does(year):
    assert "T1" not in sheet(year).blocking

    change(year, enter_score, code="T1", points=Decimal(1), reason="mô hình một cửa thông minh")

    assert "T1" in sheet(year).blocking


def test_the_sheet_totals_are_the_sum_of_its_item_scores(year):
    live(year[0], year[1], {**monthly(*[ON] * 9, LATE), ("I.2", "2025-01"): ON})
    change(year, enter_score, code="1.2.2", points=Decimal(1), reason="đủ nội dung")
    change(year, enter_score, code="TR1", points=Decimal("0.5"), reason="1 nhiệm vụ chậm")

    found = sheet(year)

    assert found.self_score == Decimal("1.8") + Decimal(1) + Decimal(1) - Decimal("0.5")
    assert found.self_score == sum((each.score.points or Decimal(0) for each in found.items), Decimal(0))
    assert found.max_points == Decimal(100)


# --- a fixed item with a deadline, and an item the province scores -----------------------------

BY_END_OF_JANUARY = {"1.1.1": {"rule": {"kind": "fixed", "deadline": "2025-01-31"}}}
BY_THE_TASKS_DEADLINE = {"1.1.1": {"rule": {"kind": "fixed", "deadline": "task"}}}


@pytest.fixture
def year_with(session_factory):
    """The stored sample year, its catalogue changed as asked: (session factory, plan, catalogue)."""

    def stored(changes: dict) -> tuple:
        plan_id, catalogue_id = store(session_factory, catalogue=sample_with(changes))
        return session_factory, plan_id, catalogue_id

    return stored


def test_a_fixed_item_with_a_deadline_scores_0_for_a_late_document(year_with):
    year = year_with(BY_END_OF_JANUARY)
    live(year[0], year[1], {("I.2", "2025-01"): LATE})  # approved, its document dated 05/02/2025

    scored = item(sheet(year), "1.1.1").score

    assert scored.points == Decimal(0)
    assert scored.explanation == ("Số I.2-2025-01/BC-UBND ngày 05/02/2025, hạn 31/01/2025: ban hành sau thời hạn → 0")


def test_a_fixed_item_with_a_deadline_scores_full_points_for_a_document_on_time(year_with):
    year = year_with(BY_END_OF_JANUARY)
    live(year[0], year[1], {("I.2", "2025-01"): ON})  # its document dated 31/01/2025

    scored = item(sheet(year), "1.1.1").score

    assert (scored.points, scored.computed) == (Decimal(1), True)
    assert scored.explanation.endswith("hạn 31/01/2025: ban hành đúng hạn → 1")


def test_a_fixed_item_with_a_date_is_judged_by_the_office_document_when_no_task_backs_it(year_with):
    year = year_with(BY_END_OF_JANUARY)
    change(
        year,
        add_office_evidence,
        code="1.1.1",
        number="3/KH-UBND",
        day=date(2025, 1, 20),
        issuer="UBND xã Mẫu",
        summary="Kế hoạch CCHC năm 2025",
    )

    assert item(sheet(year), "1.1.1").score.points == Decimal(1)


def test_a_fixed_item_due_by_its_tasks_deadline_scores_0_when_the_document_is_dated_after_the_plans_deadline(
    year_with,
):
    year = year_with(BY_THE_TASKS_DEADLINE)
    live(year[0], year[1], {("I.2", "2025-01"): LATE})

    scored = item(sheet(year), "1.1.1").score

    assert (scored.points, scored.explanation.split(": ")[-1]) == (Decimal(0), "ban hành sau thời hạn → 0")


def test_a_fixed_item_due_by_its_tasks_deadline_scores_full_points_for_a_document_dated_by_it(year_with):
    year = year_with(BY_THE_TASKS_DEADLINE)
    live(year[0], year[1], {("I.2", "2025-01"): ON})

    assert item(sheet(year), "1.1.1").score.points == Decimal(1)


def test_an_item_the_province_scores_is_on_the_sheet_but_neither_self_scored_nor_blocking(year):
    found = sheet(year)

    survey = item(found, "8.1")
    assert (survey.score.points, survey.score.explanation) == (None, "do cơ quan thẩm định chấm, xã không tự chấm")
    assert survey.missing_evidence and "8.1" not in found.blocking
    with pytest.raises(AssessmentError, match=re.escape("tiêu chí 8.1 do cơ quan thẩm định chấm")):
        change(year, enter_score, code="8.1", points=Decimal(8), reason="khảo sát của xã")


def test_a_leaders_extension_does_not_move_the_plan_deadline_a_fixed_item_is_judged_by(year_with):
    year = year_with(BY_THE_TASKS_DEADLINE)
    live(year[0], year[1], {("I.2", "2025-01"): Fate.EXTENDED})  # due 31/01, extended to 10/02, dated 05/02

    assert item(sheet(year), "1.1.1").score.explanation.endswith("hạn 31/01/2025: ban hành sau thời hạn → 0")


def test_an_amending_plan_moves_the_plan_deadline_a_fixed_item_is_judged_by(year_with):
    year = year_with(BY_THE_TASKS_DEADLINE)
    live(year[0], year[1], {("I.2", "2025-01"): Fate.AMENDED})

    assert item(sheet(year), "1.1.1").score.explanation.endswith("hạn 10/02/2025: ban hành đúng hạn → 1")
