"""Acceptance: Quảng Vinh 2020 lists the work per department ("a) Bộ phận Văn phòng", then
"- Chủ trì ..., cụ thể:" and "+" items); each department leads the tasks under it."""

from collections import Counter
from datetime import date

import pytest

from domain.models import Recurrence
from importers import read_plan
from tests.importers.builders import SAMPLES

QUANG_VINH = SAMPLES / "quang-vinh-2020-par-index-plan.txt"


@pytest.fixture(scope="module")
def quang_vinh():
    return read_plan(QUANG_VINH)


def task(result, code):
    return next(t for t in result.plan.tasks if t.code == code)


def test_each_department_leads_the_duties_written_under_it(quang_vinh):
    leads = Counter(t.lead for t in quang_vinh.plan.tasks)
    assert leads == {
        ("Bộ phận Văn phòng",): 20,
        ("Bộ phận Tư pháp",): 3,
        ("Bộ phận Tài chính - Kế hoạch",): 2,
        ("Bộ phận Văn hóa và Thông tin",): 2,
    }
    assert {t.code.split(".")[2] for t in quang_vinh.plan.tasks} == {"a", "b", "c", "d"}


def test_each_plus_item_is_a_task_of_its_own_with_the_duty_it_details_as_notes(quang_vinh):
    first = task(quang_vinh, "II.3.a.1.1")
    assert first.title.startswith("Tham mưu UBND xã tiếp tục triển khai các nhiệm vụ trong kế hoạch CCHC năm 2020")
    assert first.notes.startswith("Tham mưu, phối hợp với các cơ quan có liên quan tham mưu UBND xã giải pháp")
    assert (first.source.line_start, first.source.line_end) == (129, 133)
    plain_duty = task(quang_vinh, "II.3.a.5")  # a "-" duty without "+" items is a task itself
    assert plain_duty.title.startswith("Phối hợp với các bộ phận có liên quan tham mưu UBND xã đẩy mạnh")
    assert plain_duty.notes is None


def test_hoan_thanh_trong_thang_10_is_due_in_october_2020(quang_vinh):
    iso = task(quang_vinh, "II.3.a.8")
    assert iso.period_text == "trong tháng 10"
    (occurrence,) = iso.occurrences
    assert (occurrence.period.start, occurrence.period.end) == (date(2020, 10, 1), date(2020, 10, 31))
    assert occurrence.due_date == date(2020, 10, 30)  # 31/10/2020 is a Saturday: the Friday before
    assert not quang_vinh.drafted["II.3.a.8"].period_default


def test_a_duty_with_no_time_is_due_at_the_end_of_2020_marked_default_and_warned(quang_vinh):
    duty = task(quang_vinh, "II.3.b.1.3")
    assert duty.period_text == "Năm 2020"
    assert [o.due_date for o in duty.occurrences] == [date(2020, 12, 31)]
    assert quang_vinh.drafted["II.3.b.1.3"].period_default
    assert any(w.row == 293 and "II.3.b.1.3 không ghi thời gian thực hiện" in w.message for w in quang_vinh.warnings)


def test_every_due_date_is_in_2020(quang_vinh):
    dues = {o.due_date.year for t in quang_vinh.plan.tasks for o in t.occurrences}
    assert dues == {2020}


def test_the_report_duty_every_month_is_periodic(quang_vinh):
    report = task(quang_vinh, "II.3.a.3.4")
    assert report.recurrence == Recurrence.PERIODIC
    assert len(report.occurrences) == 12


def test_general_duties_assigned_to_nobody_are_a_warning_not_tasks(quang_vinh):
    assert any(
        w.row == 99 and "“2. Nhiệm vụ chung” không có nhiệm vụ nào được giao" in w.message for w in quang_vinh.warnings
    )
    assert not any(t.code.startswith("II.2") for t in quang_vinh.plan.tasks)


def test_the_header_is_read_from_the_document(quang_vinh):
    plan = quang_vinh.plan
    assert (plan.number, plan.date, plan.issuer, plan.year) == (
        "136/KH-UBND",
        date(2020, 4, 20),
        "UBND xã Quảng Vinh",
        2020,
    )
