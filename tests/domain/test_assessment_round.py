"""The PAR round's rules: who moves it where, what blocks submission, and which deadline the
reminders and escalation count towards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.alerts import AlarmKind, AlertState, next_alarm
from domain.assessment_round import (
    Refused,
    RoundDates,
    RoundEvent,
    RoundRole,
    RoundState,
    approval_problem,
    approval_voided,
    deadline_in_force,
    move,
    submission_problem,
)
from domain.calendar import TZ, WorkCalendar
from domain.models import PlanSettings
from workflows.round_contracts import SubmittedItem, changed_items

S, E, R = RoundState, RoundEvent, RoundRole
DATES = RoundDates(opens=date(2025, 12, 1), submission_due=date(2026, 1, 15), explanation_due=date(2026, 2, 27))


def walk(*steps: tuple[RoundEvent, RoundRole]) -> RoundState | Refused:
    state: RoundState | Refused = S.OPEN
    for event, role in steps:
        assert isinstance(state, RoundState), state
        state = move(state, event, role)
    return state


def test_the_chairman_approves_the_office_submits_the_appraiser_asks_the_commune_answers_and_it_is_published():
    assert (
        walk(
            (E.APPROVE, R.CHAIRMAN),
            (E.SUBMIT, R.OFFICE),
            (E.APPRAISE, R.APPRAISER),
            (E.REQUEST_EXPLANATION, R.APPRAISER),
            (E.ANSWER, R.OFFICE),
            (E.APPRAISE, R.APPRAISER),
            (E.PUBLISH, R.APPRAISER),
        )
        is S.PUBLISHED
    )


def test_nothing_is_submitted_before_the_chairman_approves_it():
    refused = move(S.OPEN, E.SUBMIT, R.OFFICE)

    assert isinstance(refused, Refused)
    assert refused.reason == "chỉ gửi bản tự chấm đã được Chủ tịch phê duyệt (trạng thái hiện tại: đang tự chấm)"


def test_a_change_after_approval_sends_the_sheet_back_to_the_chairman():
    assert walk((E.APPROVE, R.CHAIRMAN), (E.REOPEN, R.OFFICE)) is S.OPEN


@pytest.mark.parametrize(
    ("event", "role"),
    [
        (E.APPROVE, R.OFFICE),
        (E.APPROVE, R.APPRAISER),
        (E.PUBLISH, R.CHAIRMAN),
        (E.APPRAISE, R.OFFICE),
        (E.ANSWER, R.APPRAISER),
    ],
)
def test_each_step_belongs_to_its_role(event, role):
    assert isinstance(move(S.SUBMITTED, event, role), Refused)


def test_a_refusal_says_who_may_take_the_step():
    assert move(S.OPEN, E.APPROVE, R.OFFICE) == Refused("chỉ Chủ tịch UBND xã được phê duyệt bản tự chấm")
    assert move(S.APPROVED, E.SUBMIT, R.APPRAISER) == Refused(
        "chỉ Chủ tịch UBND xã hoặc Văn phòng được gửi hồ sơ thẩm định"
    )


def test_a_pending_explanation_keeps_the_result_from_being_published_and_a_published_round_never_changes():
    assert isinstance(move(S.EXPLANATION_REQUESTED, E.PUBLISH, R.APPRAISER), Refused)
    assert move(S.PUBLISHED, E.APPRAISE, R.APPRAISER) == Refused("kết quả đã công bố, không thể thay đổi")


def test_sub_criteria_without_evidence_or_explanation_block_submission():
    assert submission_problem(["1.3.2", "5.1"]) == (
        "còn tiêu chí không có tài liệu kiểm chứng mà chưa giải trình: 1.3.2, 5.1"
    )
    assert submission_problem([]) is None


def test_the_dates_of_a_round_must_follow_one_another():
    assert DATES.problem() is None
    late = RoundDates(opens=date(2026, 1, 20), submission_due=date(2026, 1, 15), explanation_due=date(2026, 2, 27))
    assert late.problem() == (
        "ngày mở (20/01/2026), hạn gửi (15/01/2026) và hạn giải trình (27/02/2026) phải theo thứ tự đó"
    )


def test_the_submission_deadline_runs_until_submission_and_the_explanation_deadline_while_one_is_asked():
    assert deadline_in_force(S.OPEN, DATES) == deadline_in_force(S.APPROVED, DATES) == date(2026, 1, 15)
    assert deadline_in_force(S.EXPLANATION_REQUESTED, DATES) == date(2026, 2, 27)
    assert deadline_in_force(S.SUBMITTED, DATES) is deadline_in_force(S.PUBLISHED, DATES) is None


def test_a_commune_about_to_miss_the_submission_deadline_is_reminded_on_working_days_then_escalated():
    due = deadline_in_force(S.APPROVED, DATES)
    settings, work = PlanSettings(), WorkCalendar()

    first = next_alarm(datetime(2026, 1, 5, 9, tzinfo=TZ), due, AlertState(), settings, work)
    missed = next_alarm(datetime(2026, 1, 15, 9, tzinfo=TZ), due, AlertState(frozenset({7, 3, 1})), settings, work)

    # 7 working days before Thursday 15/01/2026: Tuesday 06/01 (weekends are not counted)
    assert (first.kind, first.at, first.level) == (AlarmKind.REMINDER, datetime(2026, 1, 6, 8, tzinfo=TZ), 7)
    assert (missed.kind, missed.level) == (AlarmKind.ESCALATION, 1)
    assert missed.at.date() == due


def item(code: str, points: str) -> SubmittedItem:
    return SubmittedItem(code=code, name=code, max_points=Decimal(2), points=Decimal(points), how="nhập tay")


def test_the_items_changed_since_approval_are_those_that_differ_appeared_or_went():
    approved = {"1.1": item("1.1", "1"), "1.2": item("1.2", "2"), "1.3": item("1.3", "0")}
    now = (item("1.1", "1"), item("1.2", "1.5"), item("1.4", "1"))

    assert changed_items(approved, now) == ["1.2", "1.4", "1.3"]
    assert changed_items(approved, tuple(approved.values())) == []


def test_approval_is_refused_while_items_block_and_a_voided_one_names_the_changed_items():
    assert approval_problem([]) is None
    assert approval_problem(["1.2", "7.1"]) == (
        "chưa thể phê duyệt: còn tiêu chí không có tài liệu kiểm chứng mà chưa giải trình: 1.2, 7.1"
    )
    assert "(tiêu chí 1.2, 1.4)" in approval_voided(["1.2", "1.4"])
