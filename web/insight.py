"""What the dashboards show beyond the task list: on-time rates per lead unit and per month,
drawn as self-contained SVG.

The counting rule is `services.outcomes` (`domain.on_time`): on time = the accepted
document dated by the deadline; overdue = open with its deadline before `today`; a rate is
on time out of the occurrences due by `today`, that is those done (whenever that was) or
open past their deadline. Two rates: by the plan's deadlines (a stopped task without an
amending document counts as not done), and as directed (the leaders' extensions counted,
stopped tasks not). An open occurrence whose deadline is today or later does not count
yet, so a December task does not lower the rate in March.

An occurrence with several lead units counts for each of them: each one is answerable for
it. Units are grouped by `domain.units.unit_key`, shown as first spelled (by due date).
`today` is the day the dashboard is read: the read model holds each occurrence's latest
state, not a history to rewind to an earlier day.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from html import escape

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from domain.calendar import TZ
from domain.units import unit_key
from persistence.task_tables import TaskRunRow
from services.outcomes import Measure, Tally, count, counted_runs, ratio


@dataclass(frozen=True)
class UnitRate:
    unit: str
    occurrences: int  # all of the unit's, due or not
    waived: int  # stopped (dừng thực hiện)
    plan: Measure  # against the plan's deadlines: what the province counts
    directed: Measure  # against the deadlines in force, the leaders' extensions counted

    @property
    def on_time_rate(self) -> float | None:  # None: nothing due yet
        return self.plan.rate

    @property
    def on_time_rate_directed(self) -> float | None:
        return self.directed.rate

    @property
    def due(self) -> int:
        """The occurrences the rate is out of."""
        return self.plan.settled


@dataclass(frozen=True)
class MonthRate:
    month: int
    due: int
    on_time: int
    rate: float | None  # by the plan; None: nothing due that month (yet)
    rate_directed: float | None


def unit_rates(
    session: Session, today: date, *, communes: Collection[str] | None = None, plan_id: int | None = None
) -> list[UnitRate]:
    """Each lead unit's occurrences and on-time rate on `today`, by unit key, over `communes`
    (None: every commune)."""
    as_of = datetime.combine(today, time.min, tzinfo=TZ)
    names: dict[str, str] = {}
    tallies: dict[str, Tally] = {}
    for run, history in counted_runs(session, *_scope(communes, plan_id)):
        for key, name in _lead_units(run.lead).items():
            names.setdefault(key, name)
            count(tallies.setdefault(key, Tally()), run, history, as_of)
    return [_unit_rate(names[key], tallies[key]) for key in sorted(tallies)]


def monthly_trend(
    session: Session, year: int, *, communes: Collection[str] | None = None, plan_id: int | None = None, today: date
) -> list[MonthRate]:
    """The on-time rate of the occurrences due in each month of `year` (due date in force).

    An approved occurrence counts at once; an open one counts (as not on time) once its month
    has passed. Until then an open occurrence is not counted: the month's rate does not
    swing while its deadlines are still running.
    """
    where = [*_scope(communes, plan_id), TaskRunRow.due_date.between(date(year, 1, 1), date(year, 12, 31))]
    as_of = datetime.combine(today, time.min, tzinfo=TZ)
    tallies = {month: Tally() for month in range(1, 13)}
    for run, history in counted_runs(session, *where):
        count(tallies[run.due_date.month], run, history, as_of)
    return [_month_rate(year, month, tally, today) for month, tally in tallies.items()]


def _scope(communes: Collection[str] | None, plan_id: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if communes is not None:
        where.append(TaskRunRow.commune.in_(communes))
    if plan_id is not None:
        where.append(TaskRunRow.plan_id == plan_id)
    return where


def _lead_units(lead: list[str]) -> dict[str, str]:
    """unit key -> spelling, once per unit however often the lead names it."""
    units: dict[str, str] = {}
    for name in lead:
        units.setdefault(unit_key(name), name)
    return units


def _unit_rate(name: str, tally: Tally) -> UnitRate:
    return UnitRate(name, tally.occurrences, tally.waived, tally.plan, tally.directed)


def _month_rate(year: int, month: int, tally: Tally, today: date) -> MonthRate:
    month_passed = today > date(year, month, calendar.monthrange(year, month)[1])
    plan, directed = tally.plan, tally.directed
    due = _month_due(plan, month_passed)
    return MonthRate(
        month=month,
        due=due,
        on_time=plan.on_time,
        rate=ratio(plan.on_time, due),
        rate_directed=ratio(directed.on_time, _month_due(directed, month_passed)),
    )


def _month_due(measure: Measure, month_passed: bool) -> int:
    """What a month's rate is out of: until the month has passed, only what was done."""
    return measure.settled if month_passed else measure.on_time + measure.late


# --- charts ----------------------------------------------------------------------------------

RED, AMBER, GREEN = "#c62828", "#b26a00", "#2e7d32"
TRACK, INK, FAINT = "#eceff1", "#212121", "#757575"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'

LABEL_WIDTH, BAR_LENGTH, VALUE_WIDTH = 210, 300, 260
DIRECTED_OFFSET = 110  # where the rate as directed is written, after the rate by the plan
ROW_HEIGHT, BAR_THICKNESS, TOP = 28, 16, 24
UNIT_NAME_LIMIT = 26  # characters that fit in LABEL_WIDTH

PLOT_LEFT, PLOT_TOP, PLOT_HEIGHT, MONTH_WIDTH = 44, 24, 160, 44


def rate_colour(rate: float) -> str:
    """Red under 70 %, amber under 90 %, green from 90 %."""
    if rate < 0.70:
        return RED
    return AMBER if rate < 0.90 else GREEN


def percent(rate: float) -> str:
    """0.857 -> "85,7%", 1.0 -> "100%" (Vietnamese decimal comma)."""
    return f"{round(rate * 100, 1):g}".replace(".", ",") + "%"


def rates_svg(rates: Sequence[UnitRate], *, title: str) -> str:
    """One horizontal bar per unit: its on-time rate by the plan, coloured by `rate_colour`,
    written out with the count it is out of, then its rate as directed; 70 % and 90 % marked."""
    width = LABEL_WIDTH + BAR_LENGTH + VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(rates), 1) + 8
    rows = [_rate_row(index, rate) for index, rate in enumerate(rates)]
    if not rates:
        rows.append(_text(LABEL_WIDTH, TOP + 18, "Chưa có nhiệm vụ nào.", fill=FAINT))
    marks = [_threshold(LABEL_WIDTH + BAR_LENGTH * share, height, share) for share in (0.70, 0.90)]
    return _svg(width, height, title, [*rows, *marks])


def _rate_row(index: int, rate: UnitRate) -> str:
    y = TOP + ROW_HEIGHT * index
    bar_y = y + (ROW_HEIGHT - BAR_THICKNESS) / 2
    name = rate.unit if len(rate.unit) <= UNIT_NAME_LIMIT else rate.unit[: UNIT_NAME_LIMIT - 1] + "…"
    parts = [
        _text(LABEL_WIDTH - 8, y + 18, name, anchor="end"),
        _rect(LABEL_WIDTH, bar_y, BAR_LENGTH, BAR_THICKNESS, TRACK),
    ]
    value_x = LABEL_WIDTH + BAR_LENGTH + 8
    directed = "—" if rate.on_time_rate_directed is None else percent(rate.on_time_rate_directed)
    if rate.on_time_rate is None:
        value = "chưa đến hạn"
        parts.append(_text(value_x, y + 18, value, fill=FAINT))
    else:
        value = f"{percent(rate.on_time_rate)} ({rate.plan.on_time}/{rate.due})"
        colour = rate_colour(rate.on_time_rate)
        parts.append(_rect(LABEL_WIDTH, bar_y, BAR_LENGTH * rate.on_time_rate, BAR_THICKNESS, colour))
        parts.append(_text(value_x, y + 18, value))
        parts.append(_text(value_x + DIRECTED_OFFSET, y + 18, f"chỉ đạo {directed}", fill=FAINT))
    tip = (
        f"{rate.unit}: đúng hạn theo kế hoạch {value}; hoàn thành trễ hạn {rate.plan.late}, "
        f"quá hạn {rate.plan.overdue}, dừng thực hiện {rate.waived}, tổng {rate.occurrences} kỳ thực hiện; "
        f"đúng hạn theo chỉ đạo {directed}"
    )
    return f"<g><title>{escape(tip)}</title>{''.join(parts)}</g>"


def _threshold(x: float, height: int, share: float) -> str:
    line = f'<line x1="{x:g}" y1="{TOP - 4}" x2="{x:g}" y2="{height - 4}" stroke="{FAINT}" stroke-dasharray="3 3"/>'
    return line + _text(x, TOP - 8, percent(share), anchor="middle", fill=FAINT)


def trend_svg(trend: Sequence[MonthRate], *, title: str) -> str:
    """One bar per month T1..T12 with its rate written above it; a month without occurrences
    due has no bar, only a dash."""
    width = PLOT_LEFT + MONTH_WIDTH * 12 + 8
    height = PLOT_TOP + PLOT_HEIGHT + 28
    grid = [_grid_line(share, width) for share in (0.0, 0.5, 0.70, 0.90, 1.0)]
    columns = [_month_column(month) for month in sorted(trend, key=lambda m: m.month)]
    return _svg(width, height, title, [*grid, *columns])


def _grid_line(share: float, width: int) -> str:
    y = PLOT_TOP + PLOT_HEIGHT * (1 - share)
    line = f'<line x1="{PLOT_LEFT}" y1="{y:g}" x2="{width - 8}" y2="{y:g}" stroke="{TRACK}"/>'
    return line + _text(PLOT_LEFT - 6, y + 4, percent(share), anchor="end", fill=FAINT)


def _month_column(month: MonthRate) -> str:
    x = PLOT_LEFT + MONTH_WIDTH * (month.month - 1)
    centre = x + MONTH_WIDTH / 2
    baseline = PLOT_TOP + PLOT_HEIGHT
    parts = [_text(centre, baseline + 18, f"T{month.month}", anchor="middle")]
    if month.rate is None:
        tip = f"Tháng {month.month}: chưa có nhiệm vụ đến hạn"
        parts.append(_text(centre, baseline - 4, "–", anchor="middle", fill=FAINT))
    else:
        directed = "—" if month.rate_directed is None else percent(month.rate_directed)
        tip = (
            f"Tháng {month.month}: đúng hạn theo kế hoạch {percent(month.rate)} ({month.on_time}/{month.due}); "
            f"theo chỉ đạo {directed}"
        )
        bar = PLOT_HEIGHT * month.rate
        parts.append(_rect(x + 8, baseline - bar, MONTH_WIDTH - 16, bar, rate_colour(month.rate)))
        parts.append(_text(centre, baseline - bar - 4, percent(month.rate), anchor="middle"))
    return f"<g><title>{escape(tip)}</title>{''.join(parts)}</g>"


def _svg(width: int, height: int, title: str, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" {FONT}>'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" fill="{fill}"/>'


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK) -> str:
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
