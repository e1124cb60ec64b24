"""Working days in Viet Nam: weekends, public holidays (Tết included) and a plan's own days off.

Public holidays come from the `holidays` package, which knows the whole Tết break and the
days off the government substitutes each year; nothing here is a hand-typed list. Where a
deadline on a day off moves is the plan's `DayOffRule` (domain/periods.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)
# Longer than any run of days off the law allows; guards against a runaway search.
_MAX_DAYS_OFF_IN_A_ROW = 366


def end_of_day(d: date) -> datetime:
    """The last second of `d` in Viet Nam, as an aware datetime."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=TZ)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Viet Nam's public holidays (and substituted days off) in `year`."""
    return frozenset(holidays.country_holidays("VN", years=year))


class WorkCalendar:
    """Mon–Fri, minus public holidays, minus the plan's extra days off."""

    def __init__(self, extra_days_off: Iterable[date] = ()) -> None:
        self.extra_days_off = frozenset(extra_days_off)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in public_holidays(d.year) and d not in self.extra_days_off

    def roll_forward(self, d: date) -> date:
        """`d` if it is a working day, else the next working day (art. 148)."""
        return d if self.is_working_day(d) else self._next_working_day(d, ONE_DAY)

    def last_working_day_before(self, d: date) -> date:
        """The last working day strictly before `d`."""
        return self._next_working_day(d, -ONE_DAY)

    def subtract_working_days(self, d: date, n: int) -> date:
        """The n-th working day before `d` (`d` itself never counts); `d` when n is 0."""
        return self._shift(d, n, -ONE_DAY)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (`d` itself never counts); `d` when n is 0."""
        return self._shift(d, n, ONE_DAY)

    def _shift(self, d: date, n: int, step: timedelta) -> date:
        if n < 0:
            raise ValueError("number of working days must not be negative")
        for _ in range(n):
            d = self._next_working_day(d, step)
        return d

    def _next_working_day(self, d: date, step: timedelta) -> date:
        """The first working day after `d` in the direction of `step`."""
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            d += step
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_DAYS_OFF_IN_A_ROW} days of {d:%d/%m/%Y}")
