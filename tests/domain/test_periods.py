import unicodedata
from datetime import date, datetime, timedelta

import pytest

from domain.calendar import ONE_DAY, TZ, WorkCalendar
from domain.models import BeforeDayRule, DayOffRule, DueRule, PlanSettings, Recurrence
from domain.periods import PeriodError, fold, resolve_period
from domain.reporting import default_calendar, find_reporting_calendar

VINH_KHE_CALENDAR = find_reporting_calendar(
    "Báo cáo quý gửi trước ngày 10 tháng cuối cùng của quý; báo cáo 6 tháng trước ngày 10/6, "
    "báo cáo 9 tháng trước ngày 10/9 và báo cáo năm trước ngày 10/12."
)
LONG_DIEN_A_CALENDAR = find_reporting_calendar(
    "Kết quả thực hiện các nội dung trong kế hoạch này được báo cáo định kỳ 3 tháng, 6 tháng, 9 tháng, năm. "
    "Thời gian báo cáo: chậm nhất ngày 05 của các tháng 3, tháng 6, tháng 9, tháng 12(7)."
)
VINH_KHE_DATE = date(2024, 1, 15)


def resolve(text, *, year=2024, plan_date=VINH_KHE_DATE, calendar=None, settings=PlanSettings()):
    return resolve_period(
        text, year=year, plan_date=plan_date, calendar=calendar or default_calendar(), settings=settings
    )


def once(text, **kwargs):
    recurrence, occurrences = resolve(text, **kwargs)
    assert recurrence == Recurrence.ONCE
    (occurrence,) = occurrences
    return occurrence


def dues(occurrences):
    return [(o.key, o.due_date) for o in occurrences]


# ---------------------------------------------------------------- months and quarters


@pytest.mark.parametrize(
    ("text", "key", "start", "end", "due"),
    [
        ("Tháng 1/2024", "2024-01", date(2024, 1, 1), date(2024, 1, 31), date(2024, 1, 31)),
        ("Tháng 02/2024", "2024-02", date(2024, 2, 1), date(2024, 2, 29), date(2024, 2, 29)),
        ("tháng 12", "2024-12", date(2024, 12, 1), date(2024, 12, 31), date(2024, 12, 31)),
        ("trong tháng 10", "2024-10", date(2024, 10, 1), date(2024, 10, 31), date(2024, 10, 31)),
        ("hoàn thành trong tháng 10).", "2024-10", date(2024, 10, 1), date(2024, 10, 31), date(2024, 10, 31)),
        ("Tháng 4/2024", "2024-04", date(2024, 4, 1), date(2024, 4, 30), date(2024, 4, 26)),
        ("Tháng 8 năm 2024", "2024-08", date(2024, 8, 1), date(2024, 8, 31), date(2024, 8, 30)),
        ("Quý I/2024", "2024-Q1", date(2024, 1, 1), date(2024, 3, 31), date(2024, 3, 29)),
        ("Quý IV", "2024-Q4", date(2024, 10, 1), date(2024, 12, 31), date(2024, 12, 31)),
        ("quý 3 năm 2024", "2024-Q3", date(2024, 7, 1), date(2024, 9, 30), date(2024, 9, 30)),
        ("  QUÝ  ii / 2024 .", "2024-Q2", date(2024, 4, 1), date(2024, 6, 30), date(2024, 6, 28)),
    ],
)
def test_a_month_or_quarter_is_due_on_its_last_working_day(text, key, start, end, due):
    occurrence = once(text)
    assert (occurrence.key, occurrence.period.start, occurrence.period.end) == (key, start, end)
    assert occurrence.due_date == due
    assert occurrence.rule == DueRule.PERIOD_END


def test_quarter_i_2024_ends_on_sunday_and_is_due_friday_29_march_within_the_quarter():
    occurrence = once("Quý I/2024")
    assert occurrence.due_date == date(2024, 3, 29)
    assert occurrence.due == datetime(2024, 3, 29, 23, 59, 59, tzinfo=TZ)
    assert occurrence.due.utcoffset() == timedelta(hours=7)
    assert occurrence.period.label == "Quý I/2024"


def test_months_are_labelled_with_two_digits():
    assert once("Tháng 1/2024").period.label == "Tháng 01/2024"


def test_a_year_written_in_the_text_wins_over_the_plan_year():
    assert once("Tháng 12/2025").key == "2025-12"


def test_a_quarter_from_an_earlier_year_and_the_years_after_means_this_plans_quarter():
    occurrence = once("Quý II/2023 và những năm tiếp theo")
    assert occurrence.key == "2024-Q2"
    assert occurrence.due_date == date(2024, 6, 28)


def test_with_civil_code_art_148_as_the_plans_rule_quarter_i_2024_is_due_monday_1_april():
    settings = PlanSettings(day_off_rule=DayOffRule.NEXT_WORKING_DAY)
    assert once("Quý I/2024", settings=settings).due_date == date(2024, 4, 1)
    assert once("Tháng 8 năm 2024", settings=settings).due_date == date(2024, 9, 4)


def test_as_written_a_period_ending_on_a_sunday_is_due_that_sunday():
    settings = PlanSettings(day_off_rule=DayOffRule.AS_WRITTEN)
    assert once("Quý I/2024", settings=settings).due_date == date(2024, 3, 31)


def test_a_plan_stored_with_the_old_roll_over_setting_keeps_its_rule():
    assert PlanSettings.model_validate({"roll_over_non_working": True}).day_off_rule == DayOffRule.NEXT_WORKING_DAY
    assert PlanSettings.model_validate({"roll_over_non_working": False}).day_off_rule == DayOffRule.AS_WRITTEN
    assert PlanSettings().day_off_rule == DayOffRule.WITHIN_PERIOD


def test_a_plans_extra_day_off_moves_the_due_date():
    settings = PlanSettings(extra_days_off=(date(2024, 3, 29),))
    assert once("Quý I/2024", settings=settings).due_date == date(2024, 3, 28)
    art_148 = PlanSettings(extra_days_off=(date(2024, 4, 1),), day_off_rule=DayOffRule.NEXT_WORKING_DAY)
    assert once("Quý I/2024", settings=art_148).due_date == date(2024, 4, 2)


# ---------------------------------------------------------------- before and by a day


def test_before_31_december_2023_is_due_friday_29_december_and_already_past_at_issue():
    occurrence = once("Trước 31/12/2023")
    assert occurrence.key == "before-2023-12-31"
    assert occurrence.due_date == date(2023, 12, 29)
    assert occurrence.rule == DueRule.BEFORE_DAY
    assert occurrence.past_due_at_issue
    assert (occurrence.period.start, occurrence.period.end) == (date(2023, 1, 1), date(2023, 12, 30))


def test_before_a_day_without_a_year_uses_the_plan_year():
    occurrence = once("Trước 30/6")
    assert occurrence.key == "before-2024-06-30"
    assert occurrence.due_date == date(2024, 6, 28)
    assert not occurrence.past_due_at_issue
    assert once("trước ngày 30/6/2024").due_date == date(2024, 6, 28)


def test_the_previous_day_rule_takes_the_day_before_whatever_it_is():
    settings = PlanSettings(before_day_rule=BeforeDayRule.PREVIOUS_DAY)
    assert once("Trước 31/12/2023", settings=settings).due_date == date(2023, 12, 30)


def test_by_a_day_inside_tet_2024_is_due_wednesday_7_february_before_the_break():
    occurrence = once("Chậm nhất ngày 10/02/2024")
    assert occurrence.key == "by-2024-02-10"
    assert occurrence.due_date == date(2024, 2, 7)
    assert occurrence.rule == DueRule.BY_DAY


def test_a_deadline_by_a_working_day_is_that_day():
    assert once("Chậm nhất ngày 15/3/2024").due_date == date(2024, 3, 15)
    assert once("hạn chót 15/3").key == "by-2024-03-15"


# ---------------------------------------------------------------- parts of the year, years


@pytest.mark.parametrize(
    ("text", "key", "end", "due"),
    [
        ("6 tháng đầu năm 2024", "2024-H1", date(2024, 6, 30), date(2024, 6, 28)),
        ("9 tháng", "2024-M9", date(2024, 9, 30), date(2024, 9, 30)),
        ("Năm 2024", "2024", date(2024, 12, 31), date(2024, 12, 31)),
        ("Cả năm", "2024", date(2024, 12, 31), date(2024, 12, 31)),
    ],
)
def test_parts_of_the_year_are_due_at_their_end(text, key, end, due):
    occurrence = once(text)
    assert (occurrence.key, occurrence.period.start, occurrence.period.end) == (key, date(2024, 1, 1), end)
    assert occurrence.due_date == due
    assert occurrence.rule == DueRule.PERIOD_END


@pytest.mark.parametrize("text", ["Hàng năm", "Hằng năm", "Năm 2018 và các năm tiếp theo"])
def test_every_year_is_one_occurrence_due_with_the_plans_year_end_report(text):
    recurrence, (occurrence,) = resolve(text, calendar=VINH_KHE_CALENDAR)
    assert recurrence == Recurrence.ANNUAL
    assert occurrence.key == "2024"
    assert occurrence.due_date == date(2024, 12, 9)  # before Tuesday 10/12/2024
    assert occurrence.rule == DueRule.BEFORE_DAY


def test_every_year_without_a_reporting_calendar_is_due_on_the_years_last_working_day():
    recurrence, (occurrence,) = resolve("Hàng năm", year=2023, plan_date=date(2023, 3, 1))
    assert recurrence == Recurrence.ANNUAL
    # Sunday 31/12/2023: Friday 29/12/2023, inside the year
    assert (occurrence.key, occurrence.due_date, occurrence.rule) == ("2023", date(2023, 12, 29), DueRule.PERIOD_END)


# ---------------------------------------------------------------- ongoing and periodic


def test_ongoing_work_in_vinh_khe_2024_checks_in_before_each_report():
    recurrence, occurrences = resolve("Thường xuyên", calendar=VINH_KHE_CALENDAR)
    assert recurrence == Recurrence.ONGOING
    assert dues(occurrences) == [
        ("2024-Q1", date(2024, 3, 8)),  # before Sunday 10/03: Friday 08/03
        ("2024-H1", date(2024, 6, 7)),  # before Monday 10/06: Friday 07/06
        ("2024-M9", date(2024, 9, 9)),  # before Tuesday 10/09
        ("2024-Y", date(2024, 12, 9)),  # before Tuesday 10/12
    ]
    assert [(o.period.start, o.period.end) for o in occurrences] == [
        (date(2024, 1, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 31)),
    ]
    assert all(o.rule == DueRule.BEFORE_DAY for o in occurrences)


def test_ongoing_work_in_long_dien_a_2023_checks_in_by_the_5th_or_the_working_day_before():
    recurrence, occurrences = resolve(
        "thường xuyên trong năm 2023 và những năm tiếp theo",
        year=2023,
        plan_date=date(2023, 3, 1),
        calendar=LONG_DIEN_A_CALENDAR,
    )
    assert recurrence == Recurrence.ONGOING
    assert dues(occurrences) == [
        ("2023-Q1", date(2023, 3, 3)),  # Sunday 05/03/2023 → Friday 03/03
        ("2023-H1", date(2023, 6, 5)),
        ("2023-M9", date(2023, 9, 5)),
        ("2023-Y", date(2023, 12, 5)),
    ]
    assert all(o.rule == DueRule.BY_DAY for o in occurrences)


def test_periodic_work_follows_the_reporting_calendar():
    for text in ("Định kỳ", "Định kỳ hàng quý"):
        recurrence, occurrences = resolve(text, calendar=VINH_KHE_CALENDAR)
        assert recurrence == Recurrence.PERIODIC
        assert [o.due_date for o in occurrences] == [
            date(2024, 3, 8),
            date(2024, 6, 7),
            date(2024, 9, 9),
            date(2024, 12, 9),
        ]


def test_every_quarter_is_due_at_each_quarters_end():
    recurrence, occurrences = resolve("Hàng quý", calendar=VINH_KHE_CALENDAR)
    assert recurrence == Recurrence.PERIODIC
    assert dues(occurrences) == [
        ("2024-Q1", date(2024, 3, 29)),
        ("2024-Q2", date(2024, 6, 28)),
        ("2024-Q3", date(2024, 9, 30)),
        ("2024-Q4", date(2024, 12, 31)),
    ]


def test_every_month_is_due_on_each_months_last_working_day_before_holidays():
    recurrence, occurrences = resolve("Hằng tháng")
    assert recurrence == Recurrence.PERIODIC
    assert len(occurrences) == 12
    assert dict(dues(occurrences))["2024-04"] == date(2024, 4, 26)
    assert dict(dues(occurrences))["2024-08"] == date(2024, 8, 30)


def test_ongoing_work_without_a_reporting_calendar_checks_in_at_each_quarters_end():
    _, occurrences = resolve("Thường xuyên")
    assert dues(occurrences) == [
        ("2024-Q1", date(2024, 3, 29)),
        ("2024-Q2", date(2024, 6, 28)),
        ("2024-Q3", date(2024, 9, 30)),
        ("2024-Q4", date(2024, 12, 31)),
    ]


# ---------------------------------------------------------------- what every occurrence keeps


@pytest.mark.parametrize(
    "text",
    [
        "Tháng 1/2024",
        "Quý I/2024",
        "Trước 31/12/2023",
        "Chậm nhất ngày 15/3/2024",
        "Hàng năm",
        "Thường xuyên",
        "Định kỳ",
    ],
)
def test_every_occurrence_keeps_its_source_text_period_and_rule(text):
    _, occurrences = resolve(text, calendar=VINH_KHE_CALENDAR)
    for occurrence in occurrences:
        assert occurrence.source_text == text
        assert occurrence.period.start <= occurrence.period.end
        assert occurrence.period.label
        assert occurrence.rule in DueRule
        assert occurrence.due.date() == occurrence.due_date


def test_spelling_variants_read_the_same():
    expected = once("Tháng 02/2024")
    for text in ("tháng 2/2024", "THÁNG 02 / 2024.", unicodedata.normalize("NFD", "Tháng 2/2024"), "tháng   2-2024"):
        assert once(text).due_date == expected.due_date
    assert fold("Văn hoá") == fold("văn hóa") == fold(unicodedata.normalize("NFD", "VĂN HOÁ"))


# ---------------------------------------------------------------- what it cannot read


@pytest.mark.parametrize(
    "text",
    [
        "Sớm nhất có thể",
        "",
        "Quý V/2024",
        "Tháng 13/2024",
        "31/02/2024",
        "Trước 31/02/2024",
        "Tháng 1/24",
        "Quý I/2024 hoặc quý II",
    ],
)
def test_unreadable_expressions_raise_an_error_naming_the_text(text):
    with pytest.raises(PeriodError) as caught:
        resolve(text)
    assert f"“{text}”" in str(caught.value)
    assert str(caught.value).startswith("không đọc được thời hạn")


# ---------------------------------------------------------------- further wordings


def test_every_year_in_long_dien_a_2023_is_due_by_tuesday_5_december():
    recurrence, (occurrence,) = resolve(
        "Định kỳ hàng năm", year=2023, plan_date=date(2023, 3, 1), calendar=LONG_DIEN_A_CALENDAR
    )
    assert recurrence == Recurrence.ANNUAL
    assert (occurrence.key, occurrence.due_date, occurrence.rule) == ("2023", date(2023, 12, 5), DueRule.BY_DAY)


def test_periodic_every_quarter_with_a_monthly_calendar_takes_the_quarter_end_months_reports():
    monthly = find_reporting_calendar("Báo cáo tháng trước ngày 20 hằng tháng.")
    _, occurrences = resolve("Định kỳ hàng quý", calendar=monthly)
    assert dues(occurrences) == [
        ("2024-M03", date(2024, 3, 19)),
        ("2024-M06", date(2024, 6, 19)),
        ("2024-M09", date(2024, 9, 19)),
        ("2024-M12", date(2024, 12, 19)),
    ]
    assert [o.period.start for o in occurrences] == [date(2024, m, 1) for m in (1, 4, 7, 10)]


def test_the_second_half_of_the_year_is_due_at_the_years_end():
    occurrence = once("6 tháng cuối năm 2024")
    assert (occurrence.key, occurrence.period.start, occurrence.due_date) == (
        "2024-H2",
        date(2024, 7, 1),
        date(2024, 12, 31),
    )


def test_a_bare_month_and_year_is_that_month():
    assert once("01/2024").key == "2024-01"


def test_a_bare_date_is_read_as_a_deadline_on_that_day():
    occurrence = once("10/02/2024")
    assert (occurrence.key, occurrence.rule, occurrence.due_date) == (
        "by-2024-02-10",
        DueRule.BY_DAY,
        date(2024, 2, 7),
    )


def test_a_year_written_in_words_reads_like_digits():
    assert once("trước ngày 30 tháng 6 năm 2024").key == "before-2024-06-30"


# ---------------------------------------------------------------- a day off at the period's end, any year

MONTHS_AND_QUARTERS = [f"Tháng {m}/{y}" for y in range(2020, 2031) for m in range(1, 13)] + [
    f"Quý {q}/{y}" for y in range(2020, 2031) for q in ("I", "II", "III", "IV")
]


@pytest.mark.parametrize("text", MONTHS_AND_QUARTERS)
def test_every_month_and_quarter_is_due_on_its_last_working_day_inside_it(text):
    occurrence = once(text, year=int(text[-4:]), plan_date=date(2020, 1, 1))
    work = WorkCalendar()
    assert occurrence.period.start <= occurrence.due_date <= occurrence.period.end
    assert work.is_working_day(occurrence.due_date)
    after = occurrence.due_date + timedelta(days=1)
    assert not any(work.is_working_day(day) for day in _days(after, occurrence.period.end))


@pytest.mark.parametrize("text", MONTHS_AND_QUARTERS)
def test_under_art_148_every_month_and_quarter_is_due_on_the_first_working_day_from_its_end(text):
    settings = PlanSettings(day_off_rule=DayOffRule.NEXT_WORKING_DAY)
    occurrence = once(text, year=int(text[-4:]), plan_date=date(2020, 1, 1), settings=settings)
    work = WorkCalendar()
    assert occurrence.due_date >= occurrence.period.end and work.is_working_day(occurrence.due_date)
    assert not any(work.is_working_day(day) for day in _days(occurrence.period.end, occurrence.due_date - ONE_DAY))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
