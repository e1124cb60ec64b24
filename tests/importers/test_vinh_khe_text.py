"""Acceptance: the Vĩnh Khê 2024 plan (text rendering of the issued document) is read whole."""

import unicodedata
from datetime import date

import pytest

from domain.models import DueRule, Recurrence, Severity
from importers import read_plan
from tests.importers.builders import VINH_KHE

REPORT_DAYS = [date(2024, 3, 8), date(2024, 6, 7), date(2024, 9, 9), date(2024, 12, 9)]


def task(result, code):
    return next(t for t in result.plan.tasks if t.code == code)


def test_the_plan_has_28_tasks_in_8_sections_numbered_as_written(vinh_khe):
    plan = vinh_khe.plan
    counts = {s.code: sum(t.section == s.code for t in plan.tasks) for s in plan.sections}
    assert counts == {"I": 6, "II": 4, "III": 5, "IV": 2, "V": 3, "VI": 3, "VII": 4, "VIII": 1}
    assert len(plan.tasks) == 28
    assert [t.code for t in plan.tasks if t.section == "I"] == ["I.1", "I.2", "I.3", "I.4", "I.5", "I.6"]
    assert plan.sections[0].title == "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC"
    assert plan.sections[2].title == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"  # a markdown heading between rows
    assert plan.sections[4].title == "XÂY DỰNG VÀ NÂNG CAO CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC"


def test_the_header_gives_number_date_issuer_commune_year_and_title(vinh_khe):
    plan = vinh_khe.plan
    assert plan.number == "10/KH-UBND"
    assert plan.date == date(2024, 1, 15)
    assert plan.issuer == "UBND xã Vĩnh Khê"
    assert plan.commune == "Vĩnh Khê"
    assert plan.year == 2024
    assert plan.title == "Cải cách hành chính xã Vĩnh Khê năm 2024"


def test_the_reporting_calendar_comes_from_the_plan_text(vinh_khe):
    calendar = vinh_khe.plan.reporting_calendar
    assert not calendar.is_default
    assert [(d.key, d.month, d.day, d.rule) for d in calendar.deadlines] == [
        ("Q1", 3, 10, DueRule.BEFORE_DAY),
        ("H1", 6, 10, DueRule.BEFORE_DAY),
        ("M9", 9, 10, DueRule.BEFORE_DAY),
        ("Y", 12, 10, DueRule.BEFORE_DAY),
    ]


def expected_lead(code):
    section = code.split(".")[0]
    if code in ("I.3", "VII.1"):
        return "Văn hoá"
    return {"II": "Tư pháp", "VI": "Tài chính"}.get(section, "Văn phòng")


def test_every_task_has_its_lead_unit(vinh_khe):
    assert {t.code: t.lead for t in vinh_khe.plan.tasks} == {
        t.code: (expected_lead(t.code),) for t in vinh_khe.plan.tasks
    }
    assert all(t.coordinating == ("Các bộ phận liên quan",) for t in vinh_khe.plan.tasks)


def test_the_two_tone_placements_of_van_hoa_are_one_unit_and_a_warning_names_the_row(vinh_khe):
    assert task(vinh_khe, "I.3").lead == task(vinh_khe, "VII.1").lead
    names = [u.name for u in vinh_khe.plan.units]
    assert sorted(names) == sorted(["Văn phòng", "Các bộ phận liên quan", "Văn hoá", "Tư pháp", "Tài chính"])
    (merged,) = [w for w in vinh_khe.warnings if "Văn hóa" in w.message]
    assert merged.row == 273 and merged.column == "Bộ phận chủ trì"


@pytest.mark.parametrize(
    "code, period_text, due",
    [
        ("I.1", "Tháng 1/2024", date(2024, 1, 31)),
        ("I.2", "Quý I/2024", date(2024, 3, 29)),  # 31/03 is a Sunday: the Friday before, in the quarter
        ("I.3", "Tháng 2/2024", date(2024, 2, 29)),
        ("I.5", "Quý IV", date(2024, 12, 31)),
        ("II.2", "Tháng 2/2024", date(2024, 2, 29)),
        ("III.1", "Tháng 02/2024", date(2024, 2, 29)),
        ("IV.1", "Quý I/2024", date(2024, 3, 29)),
        ("V.3", "Tháng 12/2024", date(2024, 12, 31)),
        ("VIII.1", "Tháng 2/2024", date(2024, 2, 29)),
    ],
)
def test_a_dated_period_is_due_once(vinh_khe, code, period_text, due):
    t = task(vinh_khe, code)
    assert t.period_text == period_text
    assert t.recurrence == Recurrence.ONCE
    assert [o.due_date for o in t.occurrences] == [due]
    assert not t.occurrences[0].past_due_at_issue


def test_ongoing_and_periodic_tasks_fall_due_with_each_report_of_the_plan(vinh_khe):
    ongoing = [t for t in vinh_khe.plan.tasks if t.period_text == "Thường xuyên"]
    assert len(ongoing) == 15
    for t in ongoing:
        assert t.recurrence == Recurrence.ONGOING
        assert [o.due_date for o in t.occurrences] == REPORT_DAYS
    periodic = task(vinh_khe, "I.4")
    assert periodic.period_text == "Định kỳ" and periodic.recurrence == Recurrence.PERIODIC
    assert [o.due_date for o in periodic.occurrences] == REPORT_DAYS


def test_a_task_already_past_due_on_the_plan_date_is_imported_with_a_warning_naming_its_row(vinh_khe):
    t = task(vinh_khe, "II.4")
    (occurrence,) = t.occurrences
    assert occurrence.due_date == date(2023, 12, 29)  # the last working day before 31/12/2023
    assert occurrence.past_due_at_issue
    (warning,) = [w for w in vinh_khe.warnings if "quá hạn" in w.message]
    assert warning.severity == Severity.WARNING
    assert warning.row == 245 and warning.column == "Thời gian thực hiện"
    assert "II.4" in warning.message
    assert "đã quá hạn vào ngày ban hành kế hoạch (15/01/2024)" in warning.message
    assert sum(o.past_due_at_issue for t in vinh_khe.plan.tasks for o in t.occurrences) == 1


def test_a_wrapped_line_continues_the_task_row_above_it(vinh_khe):
    t = task(vinh_khe, "II.1")
    assert t.product == "Các văn bản chỉ đạo của UBND xã"
    assert t.budget == "Kinh phí hoạt động thường xuyên"
    assert t.notes is None
    assert (t.source.row, t.source.line_start, t.source.line_end) == (240, 240, 242)


def test_every_task_points_to_its_line(vinh_khe):
    assert task(vinh_khe, "I.1").source.row == 233
    assert task(vinh_khe, "VIII.1").source.row == 278
    assert "Ban hành Kế hoạch cải cách hành chính năm 2024" in task(vinh_khe, "I.1").source.text


def test_the_only_warnings_are_the_past_due_task_and_the_two_spellings(vinh_khe):
    assert len(vinh_khe.warnings) == 2


def windows_1258(text: str) -> bytes:
    """The text as Windows writes Vietnamese in code page 1258: letters precomposed, tone
    marks as separate combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    letters = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        letters.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(letters).encode("cp1258")


def summary(result):
    plan = result.plan
    return (plan.number, plan.date, plan.issuer, plan.title, plan.tasks, [w.message for w in result.warnings])


@pytest.mark.parametrize(
    "encode", [lambda t: unicodedata.normalize("NFD", t).encode(), windows_1258], ids=["nfd", "cp1258"]
)
def test_the_same_plan_in_decomposed_unicode_or_windows_1258_imports_the_same(vinh_khe, tmp_path, encode):
    path = tmp_path / VINH_KHE.name
    path.write_bytes(encode(VINH_KHE.read_text(encoding="utf-8")))
    assert summary(read_plan(path)) == summary(vinh_khe)
