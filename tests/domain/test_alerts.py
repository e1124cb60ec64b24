from datetime import date, datetime

from domain.alerts import AlarmKind, AlertState, after_alarm, next_alarm
from domain.calendar import TZ, WorkCalendar
from domain.models import PlanSettings

SETTINGS = PlanSettings()
WORK = WorkCalendar()


def at(d, m, y, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def alarms_until_level(due: date, start: datetime, level: int):
    """Every alarm a task left open gets, from `start` until escalation `level`."""
    now, state, seen = start, AlertState(), []
    while state.escalation_level < level:
        alarm = next_alarm(now, due, state, SETTINGS, WORK)
        seen.append(alarm)
        now, state = alarm.at, after_alarm(state, alarm)
    return seen


def test_reminders_for_a_due_date_just_after_tet_fall_on_working_days_before_tet():
    alarms = alarms_until_level(date(2024, 2, 15), at(15, 1, 2024), level=1)
    reminders = [(a.level, a.at) for a in alarms if a.kind is AlarmKind.REMINDER]
    assert reminders == [(7, at(30, 1, 2024, 8)), (3, at(5, 2, 2024, 8)), (1, at(7, 2, 2024, 8))]


def test_escalation_comes_at_the_deadline_then_every_three_working_days():
    alarms = alarms_until_level(date(2024, 4, 1), at(15, 1, 2024), level=4)
    escalations = [(a.level, a.at) for a in alarms if a.kind is AlarmKind.ESCALATION]
    assert escalations == [
        (1, at(1, 4, 2024, 23, 59).replace(second=59)),
        (2, at(4, 4, 2024, 8)),
        (3, at(9, 4, 2024, 8)),
        (4, at(12, 4, 2024, 8)),
    ]


def test_re_escalation_skips_the_april_holidays():
    alarms = alarms_until_level(date(2024, 4, 24), at(1, 4, 2024), level=3)
    escalations = [a.at.date() for a in alarms if a.kind is AlarmKind.ESCALATION]
    # 29/4 (substituted), 30/4 and 1/5 are days off: three working days after 24/4 is 2/5.
    assert escalations == [date(2024, 4, 24), date(2024, 5, 2), date(2024, 5, 7)]


def test_a_task_started_after_its_reminders_gets_no_reminder_after_the_fact():
    alarms = alarms_until_level(date(2024, 2, 15), at(6, 2, 2024, 9), level=1)
    assert [(a.kind, a.level) for a in alarms] == [(AlarmKind.REMINDER, 1), (AlarmKind.ESCALATION, 1)]


def test_a_task_found_late_escalates_once_at_once_not_a_pile_of_levels():
    now = at(20, 5, 2024, 10)
    alarm = next_alarm(now, date(2024, 4, 1), AlertState(), SETTINGS, WORK)
    assert (alarm.kind, alarm.level, alarm.at) == (AlarmKind.ESCALATION, 1, now)
    second = next_alarm(now, date(2024, 4, 1), after_alarm(AlertState(), alarm), SETTINGS, WORK)
    assert (second.level, second.at) == (2, at(23, 5, 2024, 8))
