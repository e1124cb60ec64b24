"""When a task's reminders and escalations fall due: pure rules taking `now`.

Reminders go out at the start of the working day that lies the plan's offsets (default
7, 3 and 1 working days) before the due date. At the due instant, if the task is still
open, escalation level 1 goes to the chairman; each further level follows the previous
one by the plan's interval of working days (default 3), until the task is approved,
extended or waived. A level is never skipped: a task found late (started after its due
date, or a worker that was down) escalates at once to the next level, not to a pile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from domain.calendar import TZ, WorkCalendar, end_of_day
from domain.models import PlanSettings

WORKDAY_START = time(8, 0)


class AlarmKind(StrEnum):
    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Alarm:
    kind: AlarmKind
    at: datetime  # aware, Asia/Ho_Chi_Minh
    level: int  # reminder: working days before due; escalation: 1, 2, 3 ...


@dataclass(frozen=True)
class AlertState:
    """What has gone out for the current due date."""

    reminders_sent: frozenset[int] = frozenset()
    escalation_level: int = 0
    last_escalated_on: date | None = None


def start_of_workday(day: date) -> datetime:
    return datetime.combine(day, WORKDAY_START, tzinfo=TZ)


def reminder_alarms(due_date: date, settings: PlanSettings, work: WorkCalendar) -> list[Alarm]:
    """Every reminder for `due_date`, earliest first."""
    alarms = [
        Alarm(AlarmKind.REMINDER, start_of_workday(work.subtract_working_days(due_date, n)), n)
        for n in set(settings.reminder_offsets)
        if n > 0
    ]
    return sorted(alarms, key=lambda a: a.at)


def next_escalation(
    now: datetime, due_date: date, state: AlertState, settings: PlanSettings, work: WorkCalendar
) -> Alarm:
    level = state.escalation_level + 1
    if state.last_escalated_on is None:
        at = end_of_day(due_date)
    else:
        at = start_of_workday(work.add_working_days(state.last_escalated_on, settings.escalation_interval))
    return Alarm(AlarmKind.ESCALATION, max(at, now), level)


def next_alarm(now: datetime, due_date: date, state: AlertState, settings: PlanSettings, work: WorkCalendar) -> Alarm:
    """The next reminder still ahead of `now`, else the next escalation.

    A reminder whose time has passed unsent is dropped: a reminder after the fact helps
    nobody, and escalation covers what is late.
    """
    for alarm in reminder_alarms(due_date, settings, work):
        if alarm.level not in state.reminders_sent and alarm.at > now and state.escalation_level == 0:
            return alarm
    return next_escalation(now, due_date, state, settings, work)


def after_alarm(state: AlertState, alarm: Alarm) -> AlertState:
    """The state once `alarm` has gone out."""
    if alarm.kind is AlarmKind.REMINDER:
        return AlertState(state.reminders_sent | {alarm.level}, state.escalation_level, state.last_escalated_on)
    return AlertState(state.reminders_sent, alarm.level, alarm.at.astimezone(TZ).date())
