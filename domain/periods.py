"""The period grammar: the time column of a plan ("Quý I/2024", "Trước 31/12/2023",
"Thường xuyên", ...) becomes a recurrence and dated occurrences.

Texts are folded (NFC, casefolded, one tone placement, single spaces) and cut into
tokens; each form of the grammar is a small recursive-descent function over a cursor.
Anything no form reads completely raises PeriodError: a guess never becomes a deadline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import NamedTuple, NoReturn

from domain.calendar import WorkCalendar, end_of_day
from domain.errors import CchcError, ErrorCategory
from domain.models import (
    BeforeDayRule,
    DayOffRule,
    DueRule,
    Occurrence,
    Period,
    PlanSettings,
    Recurrence,
    ReportDeadline,
    ReportingCalendar,
)

# ---------------------------------------------------------------- text: folding and tokens

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# Vowel pairs whose tone is written on either letter: "hóa"/"hoá", "thủy"/"thuỷ", "khỏe"/"khoẻ".
_TONE_PAIRS = {
    unicodedata.normalize("NFC", first + tone) + second: first + unicodedata.normalize("NFC", second + tone)
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for tone in _TONE_MARKS
}
_OLD_TONE_PLACEMENT = re.compile("|".join(_TONE_PAIRS))


def fold(text: str) -> str:
    """Text in the one form the grammar compares: NFC, casefolded, tone on the second
    vowel of oa/oe/uy, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    text = _OLD_TONE_PLACEMENT.sub(lambda m: _TONE_PAIRS[m.group()], text)
    return " ".join(text.split())


class Token(NamedTuple):
    kind: str  # "word", "num" or "punct"
    text: str


_TOKEN = re.compile(r"(?P<num>\d+)|(?P<word>[^\W\d_]+)|(?P<punct>\S)")


def tokenize(text: str) -> list[Token]:
    """Folded words, numbers and single punctuation characters."""
    return [_token(m) for m in _TOKEN.finditer(fold(text))]


def _token(m: re.Match[str]) -> Token:
    kind = m.lastgroup
    assert kind is not None  # every alternative of _TOKEN is a named group
    return Token(kind, m.group())


def phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    """Folded word sequences, longest first so that the longest alternative wins."""
    return tuple(sorted({tuple(fold(t).split()) for t in texts}, key=len, reverse=True))


def expand(*parts: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Every phrase made of one alternative per part: expand(("a", "b"), ("", "c"))."""
    return phrases(*(" ".join(filter(None, combo)) for combo in product(*parts)))


class Cursor:
    """A position in a token list, with small accept-or-stay-put helpers."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def phrase(self, options: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
        """Accept the first option whose words come next."""
        for words in options:
            found = self.tokens[self.pos : self.pos + len(words)]
            if [t.text for t in found] == list(words) and all(t.kind == "word" for t in found):
                self.pos += len(words)
                return words
        return None

    def word(self, *words: str) -> str | None:
        return self._accept("word", words)

    def punct(self, chars: str) -> str | None:
        return self._accept("punct", tuple(chars))

    def number(self, digits: int | None = None) -> int | None:
        token = self.peek()
        if token is None or token.kind != "num" or (digits and len(token.text) != digits):
            return None
        self.pos += 1
        return int(token.text)

    def small_number(self) -> int | None:
        """A day or a month: one or two digits."""
        token = self.peek()
        return self.number() if token is not None and len(token.text) <= 2 else None

    def year(self) -> int | None:
        """A four-digit year this product can date (1900–2199)."""
        token = self.peek()
        if token is None or token.kind != "num" or not re.fullmatch(r"19\d\d|2[01]\d\d", token.text):
            return None
        return self.number()

    def _accept(self, kind: str, options: tuple[str, ...]) -> str | None:
        token = self.peek()
        if token is None or token.kind != kind or (options and token.text not in options):
            return None
        self.pos += 1
        return token.text


def strip_punctuation(tokens: list[Token]) -> list[Token]:
    """Drop punctuation around an expression: "Tháng 1/2024." reads as "Tháng 1/2024"."""
    start, end = 0, len(tokens)
    while start < end and tokens[start].kind == "punct":
        start += 1
    while end > start and tokens[end - 1].kind == "punct":
        end -= 1
    return tokens[start:end]


_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def roman_value(word: str) -> int | None:
    """The value of a roman numeral ("iv" → 4), None if the word is not one."""
    if not word or any(ch not in _ROMAN_DIGITS for ch in word):
        return None
    values = [_ROMAN_DIGITS[ch] for ch in word]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def quarter_token(cur: Cursor) -> int | None:
    """A quarter number written in roman or arabic digits, unchecked ("v" → 5)."""
    token = cur.peek()
    if token is None:
        return None
    value = int(token.text) if token.kind == "num" else roman_value(token.text)
    if value is not None:
        cur.advance()
    return value


# ---------------------------------------------------------------- dates


def last_day_of_month(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def deadline_day(deadline: ReportDeadline, year: int) -> date:
    """The calendar day of a report deadline for the plan's `year` (before any rule).

    A deadline in a month before the reported period ends falls in the next year ("báo
    cáo năm trước ngày 15/01"); a day past the month's end means the month's last day.
    """
    deadline_year = year + (deadline.month < deadline.period_end_month)
    last = last_day_of_month(deadline_year, deadline.month)
    return last.replace(day=min(deadline.day, last.day))


# ---------------------------------------------------------------- errors and context


class PeriodError(CchcError, ValueError):
    """A time expression the grammar cannot read; the message names it, in Vietnamese."""

    category = ErrorCategory.BAD_INPUT

    def __init__(self, text: str, reason: str | None = None) -> None:
        message = f"không đọc được thời hạn “{text}”"
        super().__init__(f"{message}: {reason}" if reason else message)
        self.text = text
        self.reason = reason


Result = tuple[Recurrence, tuple[Occurrence, ...]]


@dataclass(frozen=True)
class _Context:
    text: str
    year: int
    plan_date: date
    calendar: ReportingCalendar
    settings: PlanSettings
    work: WorkCalendar

    def fail(self, reason: str | None = None) -> NoReturn:
        raise PeriodError(self.text, reason)

    def once_year(self, written: int | None, continues: bool) -> int:
        """A written year wins, except "…và những năm tiếp theo" from an earlier year."""
        if written is None or (continues and written <= self.year):
            return self.year
        return written

    def recurring_year(self, written: int | None) -> int:
        return self.year if written is None or written <= self.year else written

    def apply_day_off_rule(self, d: date) -> date:
        """`d` moved off a day off by the plan's rule (`d` itself when it is a working day)."""
        rule = self.settings.day_off_rule
        if rule is DayOffRule.AS_WRITTEN or self.work.is_working_day(d):
            return d
        if rule is DayOffRule.NEXT_WORKING_DAY:
            return self.work.roll_forward(d)
        return self.work.last_working_day_before(d)

    def before(self, d: date) -> date:
        if self.settings.before_day_rule == BeforeDayRule.PREVIOUS_DAY:
            return d - timedelta(days=1)
        return self.work.last_working_day_before(d)

    def due(self, d: date, rule: DueRule) -> date:
        return self.before(d) if rule == DueRule.BEFORE_DAY else self.apply_day_off_rule(d)

    def occurrence(self, key: str, period: Period, day: date, rule: DueRule) -> Occurrence:
        due_date = self.due(day, rule)
        return Occurrence(
            key=key,
            period=period,
            due_date=due_date,
            due=end_of_day(due_date),
            rule=rule,
            source_text=self.text,
            past_due_at_issue=due_date < self.plan_date,
        )

    def valid_date(self, year: int, month: int, day: int) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            self.fail(f"không có ngày {day:02d}/{month:02d}/{year}")

    def span(self, first: int, last: int, year: int) -> Occurrence:
        """One occurrence for months first..last of `year`, due at the period's end."""
        named = _span_name(first, last, year)
        if named is None:
            self.fail()
        key, label = named
        end = last_day_of_month(year, last)
        return self.occurrence(key, Period(start=date(year, first, 1), end=end, label=label), end, DueRule.PERIOD_END)

    def spans(self, months_per_span: int, year: int) -> tuple[Occurrence, ...]:
        return tuple(self.span(m, m + months_per_span - 1, year) for m in range(1, 13, months_per_span))

    def deadline_occurrences(self, deadlines: tuple[ReportDeadline, ...], year: int) -> tuple[Occurrence, ...]:
        """One occurrence per report deadline; each period runs from the end of the
        previous reported period (or 1 January) to the end of its own."""
        if not deadlines:
            self.fail("lịch báo cáo của kế hoạch không có kỳ báo cáo nào")
        ordered = sorted(deadlines, key=lambda d: (d.period_end_month, deadline_day(d, year)))
        occurrences = []
        for deadline in ordered:
            earlier = [d.period_end_month for d in ordered if d.period_end_month < deadline.period_end_month]
            start = date(year, max(earlier) + 1, 1) if earlier else date(year, 1, 1)
            end = last_day_of_month(year, deadline.period_end_month)
            period = Period(start=start, end=end, label=f"{deadline.label} ({year})")
            occurrences.append(
                self.occurrence(f"{year}-{deadline.key}", period, deadline_day(deadline, year), deadline.rule)
            )
        return tuple(occurrences)


_NAMED_SPANS = {
    (1, 6): ("H1", "6 tháng đầu năm"),
    (1, 9): ("M9", "9 tháng đầu năm"),
    (7, 12): ("H2", "6 tháng cuối năm"),
}


def _span_name(first: int, last: int, year: int) -> tuple[str, str] | None:
    """The occurrence key and the people's label of months first..last, if it has one."""
    if first == last:
        return f"{year}-{first:02d}", f"Tháng {first:02d}/{year}"
    if last - first == 2 and last % 3 == 0:
        return f"{year}-Q{last // 3}", f"Quý {ROMAN[last // 3]}/{year}"
    if (first, last) == (1, 12):
        return f"{year}", f"Năm {year}"
    if (first, last) in _NAMED_SPANS:
        suffix, label = _NAMED_SPANS[(first, last)]
        return f"{year}-{suffix}", f"{label} {year}"
    return None


# ---------------------------------------------------------------- the grammar

_LEADS = phrases("hoàn thành", "thực hiện", "triển khai")
_IN = phrases("trong", "vào")
_CONTINUES = expand(("và",), ("những", "các"), ("năm",), ("tiếp theo", "sau", "kế tiếp", "tiếp"))
EVERY = ("hàng", "hằng", "mỗi")
MONTH = phrases("tháng")
QUARTER = phrases("quý")
YEAR_WORD = phrases("năm")
_WHOLE_YEAR = phrases("cả năm")
_FIRST_MONTHS = phrases("đầu năm")
_LAST_MONTHS = phrases("cuối năm")
_BEFORE = phrases("trước")
BY = phrases("chậm nhất", "hạn chót", "hạn cuối", "không quá", "không muộn hơn")
BY_FILLERS = phrases("là", "vào")
DAY = phrases("ngày")
_DATE_SEPARATORS = "/-."
_EVERY_YEAR = expand(EVERY, ("năm",))
_EVERY_QUARTER = expand(EVERY, ("quý",))
_EVERY_MONTH = expand(EVERY, ("tháng",))
_ONGOING = phrases("thường xuyên", "liên tục")
_PERIODIC = phrases("định kỳ")


def _continues(cur: Cursor) -> bool:
    return cur.phrase(_CONTINUES) is not None


def _year_suffix(cur: Cursor) -> int | None:
    """ "/2024", "-2024" or "năm 2024" after a month or a quarter."""
    start = cur.pos
    if cur.punct("/-") or cur.phrase(YEAR_WORD):
        year = cur.year()
        if year is not None:
            return year
    cur.pos = start
    return None


def _date(cur: Cursor, ctx: _Context) -> date | None:
    """ "31/12/2023", "30/6" (plan year), "30-6-2024", "30 tháng 6 năm 2024"."""
    start = cur.pos
    day, month, year = cur.small_number(), None, None
    if day is not None:
        if sep := cur.punct(_DATE_SEPARATORS):
            month = cur.small_number()
            year_follows = cur.punct(sep) is not None
        else:
            month = cur.small_number() if cur.phrase(MONTH) else None
            year_follows = cur.phrase(YEAR_WORD) is not None
        year = cur.year() if year_follows else None
        if year_follows and year is None:
            month = None
    if month is None or day is None:  # a month is only read after a day
        cur.pos = start
        return None
    return ctx.valid_date(year or ctx.year, month, day)


def _month_form(cur: Cursor, ctx: _Context) -> Result | None:
    """ "Tháng 1/2024", "tháng 12", "tháng 10 năm 2024", "01/2024"."""
    if cur.phrase(MONTH):
        month = cur.small_number()
        written = _year_suffix(cur)
    else:
        month = cur.small_number()
        written = cur.year() if cur.punct("/-") else None
        if written is None:
            return None
    if month is None:
        return None
    if not 1 <= month <= 12:
        ctx.fail(f"không có tháng {month}")
    year = ctx.once_year(written, _continues(cur))
    return Recurrence.ONCE, (ctx.span(month, month, year),)


def _quarter_form(cur: Cursor, ctx: _Context) -> Result | None:
    if not cur.phrase(QUARTER) or (quarter := quarter_token(cur)) is None:
        return None
    if quarter not in ROMAN:
        ctx.fail(f"không có quý {cur.tokens[cur.pos - 1].text.upper()}")
    year = _year_suffix(cur)
    year = ctx.once_year(year, _continues(cur))
    return Recurrence.ONCE, (ctx.span(3 * quarter - 2, 3 * quarter, year),)


def _day_form(cur: Cursor, ctx: _Context) -> Result | None:
    """ "Trước [ngày] D" (BEFORE_DAY), "Chậm nhất [là|vào] [ngày] D" or a bare date (BY_DAY)."""
    if cur.phrase(_BEFORE):
        rule = DueRule.BEFORE_DAY
    else:
        rule = DueRule.BY_DAY
        if cur.phrase(BY):
            cur.phrase(BY_FILLERS)
    cur.phrase(DAY)
    day = _date(cur, ctx)
    if day is None:
        return None
    if rule == DueRule.BEFORE_DAY:
        key, label, end = f"before-{day.isoformat()}", f"Trước ngày {day:%d/%m/%Y}", day - timedelta(days=1)
    else:
        key, label, end = f"by-{day.isoformat()}", f"Chậm nhất ngày {day:%d/%m/%Y}", day
    start = min(ctx.plan_date, date(day.year, 1, 1), end)
    return Recurrence.ONCE, (ctx.occurrence(key, Period(start=start, end=end, label=label), day, rule),)


def _part_year_form(cur: Cursor, ctx: _Context) -> Result | None:
    """ "6 tháng đầu năm 2024", "9 tháng", "6 tháng cuối năm", "Năm 2024", "Cả năm"."""
    months = cur.number()
    if months is not None:
        if not cur.phrase(MONTH):
            return None
        if cur.phrase(_LAST_MONTHS):
            first, last = 13 - months, 12
        else:
            cur.phrase(_FIRST_MONTHS)
            first, last = 1, months
    elif cur.phrase(_WHOLE_YEAR) or cur.phrase(YEAR_WORD):
        first, last = 1, 12
    else:
        return None
    if not 1 <= first <= last <= 12:
        return None
    written = cur.year()
    continues = _continues(cur)
    if continues and months is None:  # "Năm 2018 và các năm tiếp theo": every year
        return Recurrence.ANNUAL, (_annual_occurrence(ctx, ctx.recurring_year(written)),)
    return Recurrence.ONCE, (ctx.span(first, last, ctx.once_year(written, continues)),)


def _recurring_tail(cur: Cursor) -> int | None:
    """What may follow a recurring expression: "[trong] [năm] 2023 [và những năm tiếp theo]"."""
    cur.phrase(_IN)
    if not cur.phrase(_WHOLE_YEAR):
        cur.phrase(YEAR_WORD)
    written = cur.year()
    _continues(cur)
    return written


def _annual_form(cur: Cursor, ctx: _Context) -> Result | None:
    """ "Hàng năm", "Hằng năm", "Định kỳ hàng năm"."""
    cur.phrase(_PERIODIC)
    if not cur.phrase(_EVERY_YEAR):
        return None
    return Recurrence.ANNUAL, (_annual_occurrence(ctx, ctx.recurring_year(_recurring_tail(cur))),)


def _annual_occurrence(ctx: _Context, year: int) -> Occurrence:
    """The year's occurrence, due with the plan's year-end report when it has one."""
    year_end = [] if ctx.calendar.is_default else [d for d in ctx.calendar.deadlines if d.period_end_month == 12]
    if not year_end:
        return ctx.span(1, 12, year)
    deadline = max(year_end, key=lambda d: (d.key == "Y", deadline_day(d, year)))
    period = Period(start=date(year, 1, 1), end=date(year, 12, 31), label=f"Năm {year}")
    return ctx.occurrence(f"{year}", period, deadline_day(deadline, year), deadline.rule)


def _ongoing_form(cur: Cursor, ctx: _Context) -> Result | None:
    if not cur.phrase(_ONGOING):
        return None
    cur.phrase(_EVERY_YEAR)
    year = ctx.recurring_year(_recurring_tail(cur))
    return Recurrence.ONGOING, ctx.deadline_occurrences(ctx.calendar.deadlines, year)


def _periodic_form(cur: Cursor, ctx: _Context) -> Result | None:
    """ "Định kỳ [hàng quý|hàng tháng]": the reporting calendar's deadlines (those ending
    each quarter or month when the calendar has them all); "Hàng quý", "Hàng tháng": the
    quarters or months themselves, due at their end."""
    periodic = cur.phrase(_PERIODIC) is not None
    months_per_period = 3 if cur.phrase(_EVERY_QUARTER) else 1 if cur.phrase(_EVERY_MONTH) else None
    if not periodic and months_per_period is None:
        return None
    year = ctx.recurring_year(_recurring_tail(cur))
    deadlines = ctx.calendar.deadlines
    if months_per_period is None:
        return Recurrence.PERIODIC, ctx.deadline_occurrences(deadlines, year)
    ends = set(range(months_per_period, 13, months_per_period))
    matching = tuple(d for d in deadlines if d.period_end_month in ends)
    if periodic and {d.period_end_month for d in matching} == ends:
        return Recurrence.PERIODIC, ctx.deadline_occurrences(matching, year)
    return Recurrence.PERIODIC, ctx.spans(months_per_period, year)


_FORMS = (_month_form, _quarter_form, _day_form, _part_year_form, _annual_form, _ongoing_form, _periodic_form)


def resolve_period(
    text: str,
    *,
    year: int,
    plan_date: date,
    calendar: ReportingCalendar,
    settings: PlanSettings,
    work: WorkCalendar | None = None,
) -> Result:
    """Read a plan's time expression; raise PeriodError when it cannot be read whole."""
    ctx = _Context(text, year, plan_date, calendar, settings, work or WorkCalendar(settings.extra_days_off))
    tokens = strip_punctuation(tokenize(text))
    if not tokens:
        ctx.fail("thời hạn để trống")
    cur = Cursor(tokens)
    cur.phrase(_LEADS)
    cur.phrase(_IN)
    start = cur.pos
    for form in _FORMS:
        cur.pos = start
        result = form(cur, ctx)
        if result is not None and cur.at_end():
            return result
    ctx.fail()


def reads_as_period(text: str, *, year: int, plan_date: date, calendar: ReportingCalendar) -> bool:
    """Whether the period grammar reads `text` whole."""
    try:
        resolve_period(text, year=year, plan_date=plan_date, calendar=calendar, settings=PlanSettings())
    except PeriodError:
        return False
    return True
