from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import TZ, WorkCalendar, end_of_day

work = WorkCalendar()


def test_the_whole_tet_2024_break_is_off_work():
    assert not any(work.is_working_day(date(2024, 2, d)) for d in range(8, 15))
    assert work.is_working_day(date(2024, 2, 7))
    assert work.is_working_day(date(2024, 2, 15))


def test_a_period_ending_inside_tet_2024_rolls_to_thursday_15_february():
    assert work.roll_forward(date(2024, 2, 10)) == date(2024, 2, 15)


def test_a_working_day_does_not_roll():
    assert work.roll_forward(date(2024, 3, 8)) == date(2024, 3, 8)


def test_a_sunday_rolls_to_monday():
    assert work.roll_forward(date(2024, 3, 31)) == date(2024, 4, 1)


def test_30_april_2024_rolls_past_the_substituted_day_off_and_labour_day_to_2_may():
    assert not work.is_working_day(date(2024, 4, 29))  # substituted day off
    assert work.roll_forward(date(2024, 4, 30)) == date(2024, 5, 2)


def test_31_august_2024_rolls_past_the_weekend_and_national_day_to_wednesday_4_september():
    assert work.roll_forward(date(2024, 8, 31)) == date(2024, 9, 4)


def test_the_last_working_day_before_a_saturday_is_the_friday():
    assert work.last_working_day_before(date(2023, 12, 31)) == date(2023, 12, 29)


def test_the_last_working_day_before_the_end_of_tet_2024_is_7_february():
    assert work.last_working_day_before(date(2024, 2, 15)) == date(2024, 2, 7)


def test_reminders_7_3_and_1_working_days_before_15_february_2024_fall_before_tet():
    due = date(2024, 2, 15)
    assert work.subtract_working_days(due, 1) == date(2024, 2, 7)
    assert work.subtract_working_days(due, 3) == date(2024, 2, 5)
    assert work.subtract_working_days(due, 7) == date(2024, 1, 30)


def test_adding_working_days_skips_weekends_and_holidays():
    assert work.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert work.add_working_days(date(2024, 4, 26), 3) == date(2024, 5, 6)


def test_zero_working_days_is_the_day_itself():
    assert work.add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 10)
    assert work.subtract_working_days(date(2024, 2, 10), 0) == date(2024, 2, 10)


def test_a_plans_extra_day_off_is_not_a_working_day():
    own = WorkCalendar([date(2024, 1, 2)])
    assert not own.is_working_day(date(2024, 1, 2))
    assert own.roll_forward(date(2024, 1, 1)) == date(2024, 1, 3)
    assert work.roll_forward(date(2024, 1, 1)) == date(2024, 1, 2)


def test_end_of_day_is_the_last_second_in_viet_nam():
    moment = end_of_day(date(2024, 4, 1))
    assert moment == datetime(2024, 4, 1, 23, 59, 59, tzinfo=TZ)
    assert moment.utcoffset() == timedelta(hours=7)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(days)
def test_rolling_forward_lands_on_the_first_working_day_on_or_after_the_day(d):
    rolled = work.roll_forward(d)
    assert rolled >= d and work.is_working_day(rolled)
    assert not any(work.is_working_day(d + timedelta(days=i)) for i in range((rolled - d).days))


@given(days)
def test_the_last_working_day_before_a_day_is_an_earlier_working_day(d):
    before = work.last_working_day_before(d)
    assert before < d and work.is_working_day(before)
    assert not any(work.is_working_day(before + timedelta(days=i)) for i in range(1, (d - before).days))
