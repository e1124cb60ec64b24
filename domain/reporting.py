"""A plan's reporting calendar ("chế độ báo cáo") as data.

`find_reporting_calendar` reads the plan's prose sentence by sentence. In a sentence about
reports ("báo cáo ...") it finds report kinds ("báo cáo quý", "6 tháng", "năm") and
deadlines: a rule ("trước ngày" → BEFORE_DAY, "chậm nhất ngày"/"hạn chót" → BY_DAY)
followed by a day ("10/6", "10 tháng cuối cùng của quý", "20 hằng tháng", "05 của các
tháng 3, 6, 9, 12"). Each deadline applies to the kinds named before it in its sentence,
else to those named after it in its clause, else to those of the previous sentence (which
named kinds but no deadline), else to the kinds its day implies ("tháng cuối quý": quarters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Final

from domain.models import DueRule, ReportDeadline, ReportingCalendar
from domain.periods import (  # the words both grammars read
    BY,
    BY_FILLERS,
    DAY,
    EVERY,
    MONTH,
    QUARTER,
    ROMAN,
    YEAR_WORD,
    Cursor,
    Token,
    expand,
    last_day_of_month,
    phrases,
    quarter_token,
    tokenize,
)


@dataclass(frozen=True)
class _Report:
    """One report the plan asks for: the quarter I report, the 6-month report, ..."""

    key: str
    period_end_month: int
    name: str  # how the label names it: "quý I", "6 tháng", "năm", "tháng 03"
    rank: int  # the longer the reported period, the higher


def _quarter(q: int) -> _Report:
    return _Report(f"Q{q}", 3 * q, f"quý {ROMAN[q]}", 2)


def _month(m: int) -> _Report:
    return _Report(f"M{m:02d}", m, f"tháng {m:02d}", 1)


QUARTERS = tuple(_quarter(q) for q in range(1, 5))
MONTHS = tuple(_month(m) for m in range(1, 13))
HALF_YEAR = _Report("H1", 6, "6 tháng", 3)
NINE_MONTHS = _Report("M9", 9, "9 tháng", 4)
YEAR = _Report("Y", 12, "năm", 5)
_FIRST_N_MONTHS = {3: _quarter(1), 6: HALF_YEAR, 9: NINE_MONTHS, 12: YEAR}  # "3 tháng", "6 tháng", ...


@dataclass(frozen=True)
class _Day:
    """When a report is due: day `day` of a listed month or of a month relative to the period."""

    day: int
    months: tuple[int, ...] = ()  # listed months ("các tháng 3, 6, 9, 12", "10/6")
    after_end: int = 0  # without listed months: 0 = the period's last month, 1 = the month after
    unit: tuple[_Report, ...] = ()  # the reports a relative day implies ("tháng cuối quý": quarters)

    def month_for(self, report: _Report) -> int | None:
        """The month `report` is due in: a listed month in its last month or the next one."""
        if not self.months:
            return (report.period_end_month - 1 + self.after_end) % 12 + 1
        near = [m for m in self.months if (m - report.period_end_month) % 12 <= 1]
        return min(near, key=lambda m: (m - report.period_end_month) % 12) if near else None

    def implied(self) -> tuple[_Report, ...]:
        if not self.months:
            return self.unit
        return tuple(_quarter(m // 3) if m % 3 == 0 else _month(m) for m in self.months)


@dataclass(frozen=True)
class _Deadline:
    rule: DueRule
    day: _Day


class _Stop(Enum):
    STOP = ";"  # the end of a clause


_STOP: Final = _Stop.STOP

# What a sentence reads as: report kinds, deadlines and clause stops.
_Item = tuple[_Report, ...] | _Deadline | _Stop

# ---------------------------------------------------------------- words

_REPORT = phrases("báo cáo")
_BEFORE = phrases("trước ngày")
_BEFORE_WORD = phrases("trước")
_OF = phrases("của")
_THE = phrases("các")
_FIRST_MONTHS_OF_YEAR = phrases("đầu năm")
_NEXT_YEAR = phrases("năm sau", "của năm sau", "năm tiếp theo", "của năm tiếp theo")
_QUARTER_END_MONTH = expand(("tháng cuối",), ("", "cùng"), ("", "của"), ("quý",))
_PERIOD_END_MONTH = expand(("tháng cuối",), ("", "cùng"), ("", "của"), ("kỳ", "kỳ báo cáo"))
_EVERY_MONTH = phrases(*(f"{e} tháng" for e in EVERY), "tháng báo cáo")
_NEXT_QUARTER_MONTH = expand(("tháng đầu",), ("", "tiên"), ("", "của"), ("quý",), ("sau", "tiếp theo", "kế tiếp"))
_NEXT_MONTH = phrases("tháng sau", "tháng tiếp theo", "tháng kế tiếp")
# Words after which a bare "tháng"/"năm" names a report: "báo cáo năm", "hằng tháng", "cả năm".
_KIND_CONTEXT = {t for p in phrases("cáo", "cả", "cuối", *EVERY) for t in p}
_LIST_CONTEXT = {",", "và"}

# ---------------------------------------------------------------- sentences

# A sentence ends at ". ", at a table cell (tab) or where a new paragraph starts with a
# bullet, a number, a heading; a line break alone does not end it. The break after a line
# feed skips only the next line's indent ([^\S\n], never another line feed), so each line
# feed is looked past once: a file of blank lines is read in linear time.
_SENTENCE_BREAK = re.compile(r"\t|\n[^\S\n]*(?=[-+•*#]|\d+[.)]\s|[IVXivx]+\.\s|[a-zđ]\)\s)|(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    parts = (" ".join(part.split()).lstrip("-+•* ") for part in _SENTENCE_BREAK.split(text))
    return [part for part in parts if part]


# ---------------------------------------------------------------- scanning one sentence


def _deadline(cur: Cursor) -> _Deadline | None:
    """A rule and a day: "trước ngày 10/6", "chậm nhất là ngày 05 của các tháng 3, 6"."""
    start = cur.pos
    if cur.phrase(_BEFORE):
        rule = DueRule.BEFORE_DAY
    elif cur.phrase(BY):
        rule = DueRule.BY_DAY
        cur.punct(":")
        cur.phrase(BY_FILLERS)
        if cur.phrase(_BEFORE_WORD):
            rule = DueRule.BEFORE_DAY
        cur.phrase(DAY)
    else:
        return None
    day = _day(cur)
    if day is None:
        cur.pos = start + 1
        return None
    return _Deadline(rule, day)


def _day(cur: Cursor) -> _Day | None:
    day = cur.small_number()
    if day is None or not 1 <= day <= 31:
        return None
    if cur.punct("/-."):
        month = cur.small_number()
        if month is None or not 1 <= month <= 12:
            return None
        if cur.punct("/-."):
            cur.year()
        cur.phrase(_NEXT_YEAR)
        return _Day(day, (month,))
    cur.phrase(_OF)
    if cur.phrase(_QUARTER_END_MONTH):
        return _Day(day, unit=QUARTERS)
    if cur.phrase(_NEXT_QUARTER_MONTH):
        return _Day(day, after_end=1, unit=QUARTERS)
    if cur.phrase(_EVERY_MONTH) or cur.phrase(_PERIOD_END_MONTH):
        return _Day(day, unit=MONTHS)
    if cur.phrase(_NEXT_MONTH):
        return _Day(day, after_end=1, unit=MONTHS)
    cur.phrase(_THE)
    months = _month_list(cur)
    return _Day(day, months) if months else None


def _month_list(cur: Cursor) -> tuple[int, ...]:
    """ "tháng 3, tháng 6, tháng 9, tháng 12", "tháng 3, 6, 9 và 12", "tháng 6 năm 2024"."""
    if not cur.phrase(MONTH):
        return ()
    months = []
    while (month := cur.small_number()) is not None and 1 <= month <= 12:
        months.append(month)
        before_separator = cur.pos
        if not (cur.punct(",") or cur.word("và")):
            break
        cur.phrase(MONTH)
        if (token := cur.peek()) is None or token.kind != "num":
            cur.pos = before_separator
            break
    if months and cur.phrase(YEAR_WORD) and cur.year() is None:
        cur.pos -= 1
    return tuple(months)


def _kind(cur: Cursor, items: list[_Item]) -> tuple[_Report, ...] | None:
    """A report kind: "quý", "quý I", "3/6/9 tháng [đầu năm]", "báo cáo tháng", "năm"."""
    start = cur.pos
    previous = cur.peek(-1)
    if cur.phrase(QUARTER):
        quarter = quarter_token(cur)
        if quarter in ROMAN:
            return (_quarter(quarter),)
        cur.pos = start + 1
        return QUARTERS
    if (months := cur.number()) is not None:
        if months in _FIRST_N_MONTHS and cur.phrase(MONTH):
            cur.phrase(_FIRST_MONTHS_OF_YEAR)
            return (_FIRST_N_MONTHS[months],)
        cur.pos = start
        return None
    if not _kind_context(previous, items):
        return None
    reports = MONTHS if cur.phrase(MONTH) else (YEAR,) if cur.phrase(YEAR_WORD) else None
    following = cur.peek()
    if reports is None or (following is not None and following.kind == "num"):
        cur.pos = start
        return None
    return reports


def _kind_context(previous: Token | None, items: list[_Item]) -> bool:
    if previous is None:
        return False
    in_list = previous.text in _LIST_CONTEXT and bool(items) and isinstance(items[-1], tuple)
    return previous.text in _KIND_CONTEXT or in_list


def _scan(tokens: list[Token]) -> list[_Item]:
    """The sentence as a list of report kinds (tuples), deadlines and clause stops."""
    cur = Cursor(tokens)
    items: list[_Item] = []
    while not cur.at_end():
        if cur.punct(";"):
            items.append(_STOP)
        elif (deadline := _deadline(cur)) is not None:
            items.append(deadline)
        elif (kind := _kind(cur, items)) is not None:
            items.append(kind)
        else:
            cur.advance()
    return items


def _bind(items: list[_Item], carried: tuple[_Report, ...]) -> list[tuple[tuple[_Report, ...], _Deadline, bool]]:
    """Pair each deadline with its reports; the flag says the carried ones were used."""
    bound = []
    before: list[_Report] = []
    i = 0
    while i < len(items):
        item = items[i]
        i += 1
        if isinstance(item, tuple):
            before.extend(item)
        elif item is _STOP:
            before = []
        else:
            after: list[_Report] = []
            while not before and i < len(items) and isinstance(following := items[i], tuple):
                after.extend(following)
                i += 1
            reports = tuple(before or after) or carried or item.day.implied()
            bound.append((reports, item, not (before or after) and bool(carried)))
            before = []
    return bound


# ---------------------------------------------------------------- the calendar


def find_reporting_calendar(text: str) -> ReportingCalendar | None:
    """The reporting calendar a plan's text sets out, or None when it sets none."""
    due: dict[str, tuple[_Report, int, int, DueRule]] = {}
    used: list[str] = []
    carried: tuple[_Report, ...] = ()
    carried_sentence = ""
    for sentence in _sentences(text):
        tokens = tokenize(sentence)
        if not _mentions_reports(tokens):
            carried = ()
            continue
        items = _scan(tokens)
        bindings = _bind(items, carried)
        for reports, deadline, used_carried in bindings:
            if used_carried and carried_sentence not in used:
                used.append(carried_sentence)
            for report in reports:
                if (month := deadline.day.month_for(report)) is not None:
                    due[report.key] = (report, month, deadline.day.day, deadline.rule)
        if bindings and sentence not in used:
            used.append(sentence)
        kinds = tuple(r for item in items if isinstance(item, tuple) for r in item)
        carried, carried_sentence = ((), "") if bindings else (kinds, sentence)
    if not due:
        return None
    return ReportingCalendar(deadlines=_merge(due.values()), source_text=" ".join(used))


def _mentions_reports(tokens: list[Token]) -> bool:
    cur = Cursor(tokens)
    while not cur.at_end():
        if cur.phrase(_REPORT):
            return True
        cur.advance()
    return False


def _merge(entries: Iterable[tuple[_Report, int, int, DueRule]]) -> tuple[ReportDeadline, ...]:
    """One deadline per distinct day: the quarter II and 6-month reports both due before
    10/6 become "Báo cáo quý II và 6 tháng", keyed by the longer period (H1)."""
    groups: dict[tuple[int, int, DueRule], list[_Report]] = {}
    for report, month, day, rule in entries:
        groups.setdefault((month, day, rule), []).append(report)
    deadlines = []
    for (month, day, rule), reports in groups.items():
        reports.sort(key=lambda r: r.rank)
        main = reports[-1]
        deadlines.append(
            ReportDeadline(
                key=main.key,
                label="Báo cáo " + " và ".join(r.name for r in reports),
                period_end_month=main.period_end_month,
                month=month,
                day=day,
                rule=rule,
            )
        )
    return tuple(sorted(deadlines, key=lambda d: (d.month < d.period_end_month, d.month, d.day, d.rule)))


def default_calendar() -> ReportingCalendar:
    """Quarterly reports due at each quarter's end, for plans that set no calendar."""
    return ReportingCalendar(
        deadlines=tuple(
            ReportDeadline(
                key=q.key,
                label=f"Báo cáo {q.name}",
                period_end_month=q.period_end_month,
                month=q.period_end_month,
                day=last_day_of_month(2001, q.period_end_month).day,
                rule=DueRule.BY_DAY,
            )
            for q in QUARTERS
        ),
        is_default=True,
    )
