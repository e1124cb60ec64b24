"""Acceptance: Long Điền A 2023 writes each task as a numbered item with field lines
("Cơ quan chủ trì/thực hiện", "Thời gian thực hiện"); it is read as a draft, task by task."""

from datetime import date

import pytest

from domain.models import DueRule, Recurrence
from importers import read_plan
from importers.header import GivenHead
from tests.importers.builders import SAMPLES

LONG_DIEN_A = SAMPLES / "long-dien-a-2023-cchc-plan.txt"
# 05/03/2023 is a Sunday: the Friday before
REPORT_DAYS = [date(2023, 3, 3), date(2023, 6, 5), date(2023, 9, 5), date(2023, 12, 5)]
ONGOING = "thường xuyên trong năm 2023 và những năm tiếp theo."
FROM_Q1 = "Quý I/2023 và những năm tiếp theo."

# code: (lead, coordinating, period as written, source lines)
EXPECTED = {
    "II.1": (
        ["Công chức Văn Phòng – Thống kê", "Ban điều hành CCHC cấp xã"],
        ["các ngành liên quan"],
        FROM_Q1,
        (88, 140),
    ),
    "II.2": (["Phụ trách ĐTT -NVH"], ["Công chức Văn Phòng – Thống kê"], ONGOING, (142, 185)),
    "II.3": (["Công chức Văn Phòng – Thống kê"], ["Bộ phận một cửa"], ONGOING, (187, 209)),
    "II.4.a": (["Công chức Văn Phòng – Thống kê"], [], FROM_Q1, (219, 252)),
    "II.4.b": (["Công chức Tư Pháp – Hộ tịch", "Bộ phận một cửa"], ["các ngành có liên quan"], ONGOING, (254, 280)),
    "II.5": (["Công chức Văn Phòng – Thống kê"], ["các ngành có liên quan"], ONGOING, (282, 319)),
    "II.7": (["Phụ trách Công nghệ thông tin"], ["các ngành liên quan"], ONGOING, (321, 343)),
    "II.8": (["Công chức Văn Phòng – Thống kê"], ["các ngành liên quan"], FROM_Q1, (345, 370)),
    "II.9": (
        ["Công chức Văn Phòng – Thống kê", "Công chức Tài Chính – Kế toán"],
        [],
        "Quý II/2023 và những năm tiếp theo.",
        (372, 388),
    ),
    "II.10": ([], [], "chậm nhất ngày 05/12/2023", (390, 396)),
}


@pytest.fixture(scope="module")
def long_dien_a():
    return read_plan(LONG_DIEN_A, year=2023)


def task(result, code):
    return next(t for t in result.plan.tasks if t.code == code)


def warnings_at(result, line):
    return [w.message for w in result.warnings if w.row == line]


def test_there_is_a_task_for_items_1_to_5_and_7_to_10_of_section_ii_and_two_for_item_4(long_dien_a):
    assert [t.code for t in long_dien_a.plan.tasks] == list(EXPECTED)
    assert [s.code for s in long_dien_a.plan.sections] == ["II"]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_task_has_its_lead_coordinating_units_period_and_source_lines_as_written(long_dien_a, code):
    lead, coordinating, period, (start, end) = EXPECTED[code]
    found = task(long_dien_a, code)
    assert list(found.lead) == lead
    assert list(found.coordinating) == coordinating
    assert found.period_text == period
    assert (found.source.line_start, found.source.line_end) == (start, end)


def test_the_lead_comes_from_chu_tri_where_written_and_else_from_thuc_hien(long_dien_a):
    item_5 = task(
        long_dien_a, "II.5"
    )  # "Cơ quan chủ trì: ...( Phụ trách nội vụ)", "Cơ quan thực hiện: Các ngành có liên quan"
    assert "Cơ quan chủ trì: Công chức Văn Phòng – Thống kê( Phụ trách nội vụ)" in item_5.source.text
    assert item_5.lead == ("Công chức Văn Phòng – Thống kê",)
    item_4a = task(long_dien_a, "II.4.a")  # only "Cơ quan thực hiện"
    assert "Cơ quan thực hiện: Công chức Văn Phòng – Thống kê." in item_4a.source.text


def test_item_4_gives_one_task_per_field_block_titled_by_the_item_and_its_letter(long_dien_a):
    first, second = task(long_dien_a, "II.4.a"), task(long_dien_a, "II.4.b")
    assert first.title.startswith("Tăng cường kiểm tra công tác cải cách hành chính")
    assert first.title.endswith(": Đối với tổ kiểm tra công vụ")
    assert "Đối với công tác tiếp dân" in second.title
    assert first.notes.startswith("- Kiện toàn Tổ kiểm tra công vụ của xã.")


def test_the_quarter_i_and_following_years_period_is_quarter_i_2023_due_at_its_end(long_dien_a):
    (occurrence,) = task(long_dien_a, "II.1").occurrences
    assert task(long_dien_a, "II.1").recurrence == Recurrence.ONCE
    assert (occurrence.key, occurrence.due_date, occurrence.rule) == ("2023-Q1", date(2023, 3, 31), DueRule.PERIOD_END)
    assert occurrence.source_text == FROM_Q1


def test_ongoing_tasks_fall_due_on_the_plan_own_report_days_of_2023(long_dien_a):
    ongoing = task(long_dien_a, "II.2")
    assert ongoing.recurrence == Recurrence.ONGOING
    assert [o.due_date for o in ongoing.occurrences] == REPORT_DAYS
    assert {o.rule for o in ongoing.occurrences} == {DueRule.BY_DAY}


def test_section_iv_reporting_duty_is_the_plan_reporting_calendar(long_dien_a):
    calendar = long_dien_a.plan.reporting_calendar
    assert not calendar.is_default
    assert [(d.key, d.month, d.day, d.rule) for d in calendar.deadlines] == [
        ("Q1", 3, 5, DueRule.BY_DAY),
        ("H1", 6, 5, DueRule.BY_DAY),
        ("M9", 9, 5, DueRule.BY_DAY),
        ("Y", 12, 5, DueRule.BY_DAY),
    ]
    assert "chậm nhất ngày 05 của các tháng 3, tháng 6, tháng 9, tháng 12" in calendar.source_text


def test_the_missing_item_6_is_a_warning_on_the_line_of_item_7(long_dien_a):
    assert warnings_at(long_dien_a, 321) == ["số thứ tự không liền nhau: sau mục 5 (dòng 282) là mục 7"]


def test_item_10_names_no_unit_and_no_time_so_it_has_no_lead_and_the_year_end_report_day_both_warned(long_dien_a):
    item_10 = task(long_dien_a, "II.10")
    assert item_10.lead == ()
    assert [o.due_date for o in item_10.occurrences] == [date(2023, 12, 5)]
    assert long_dien_a.drafted["II.10"].period_default
    assert not long_dien_a.drafted["II.9"].period_default
    messages = warnings_at(long_dien_a, 390)
    assert any("II.10 không ghi cơ quan chủ trì" in m for m in messages)
    assert any("II.10 không ghi thời gian thực hiện; dùng mặc định “chậm nhất ngày 05/12/2023”" in m for m in messages)


def test_the_missing_number_and_date_are_warnings_and_given_ones_replace_them():
    drafted = read_plan(LONG_DIEN_A, year=2023)
    assert any("không ghi số" in w.message for w in drafted.warnings)
    given = GivenHead(number="58/KH-UBND", date=date(2023, 3, 1), issuer="UBND xã Long Điền A")
    completed = read_plan(LONG_DIEN_A, year=2023, given=given)
    assert not any("không ghi số" in w.message or "không ghi ngày" in w.message for w in completed.warnings)
    plan = completed.plan
    assert (plan.number, plan.date, plan.issuer, plan.commune) == (
        "58/KH-UBND",
        date(2023, 3, 1),
        "UBND xã Long Điền A",
        "Long Điền A",
    )
