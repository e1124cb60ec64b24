"""From task drafts (what a table row or a YAML entry says) to a validated Plan.

Shared by every format: unit names are checked and resolved through one UnitDirectory,
every period goes through the period grammar, task codes are checked. All errors are
collected before anything is raised; warnings go with the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from domain.calendar import WorkCalendar
from domain.models import (
    DueRule,
    Occurrence,
    Plan,
    PlanSettings,
    Recurrence,
    ReportingCalendar,
    Section,
    SourceRef,
    Task,
)
from domain.periods import PeriodError, deadline_day, reads_as_period, resolve_period
from domain.units import UnitDirectory
from importers.errors import Findings, ImportResult


@dataclass(frozen=True)
class TaskDraft:
    section: str  # section code, "" when the plan has no sections
    number: str  # as written in the STT column, without its trailing dot
    title: str
    product: str | None
    lead: tuple[str, ...]  # unit names as written
    coordinating: tuple[str, ...]
    period_text: str
    criteria: tuple[str, ...]
    budget: str | None
    notes: str | None
    source: SourceRef | None
    row: int | None  # where findings about this task point
    lead_column: str  # column names as written in the input, for findings
    period_column: str
    coordinating_column: str | None = None

    @property
    def code(self) -> str:
        return f"{self.section}.{self.number}" if self.section else self.number


_AND = re.compile(r"\s+và\s+", re.IGNORECASE)
_DATE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,4}")
_NUMBER = re.compile(r"[\d\s.,%]+")
MAX_UNIT_NAME_WORDS = 10


def assemble_plan(
    *,
    file: str,
    head: Mapping[str, Any],
    settings: PlanSettings,
    calendar: ReportingCalendar,
    sections: Iterable[Section],
    tasks: Iterable[TaskDraft],
    unit_order: Iterable[str] = (),
    findings: Findings | None = None,
    drafting: bool = False,
) -> ImportResult:
    """The plan, or PlanInputError with every error (those already in `findings` too).

    `head` holds number, date, issuer, commune, year and title. `drafting` (a prose plan's
    draft, for the office to complete): a task without a lead is a warning, not an error.
    """
    report = findings or Findings(file)
    drafts = unique_codes(list(tasks), report)
    if calendar.is_default:
        report.warning(
            "kế hoạch không nêu thời hạn gửi báo cáo (chế độ báo cáo); dùng lịch mặc định: "
            "báo cáo quý, hạn ngày cuối quý"
        )
    directory = UnitDirectory(unit_order)
    names = _unit_names(drafts, directory, report, drafting)
    work = WorkCalendar(settings.extra_days_off)
    built = []
    for draft, task_names in zip(drafts, names, strict=True):
        if drafting:
            draft = _drafted_period(draft, head, calendar, report)
        period = _resolve_period(draft, head, settings, calendar, work, report)
        if period is not None:
            lead = _resolved(task_names.lead, directory)
            coordinating = tuple(n for n in _resolved(task_names.coordinating, directory) if n not in lead)
            built.append(_task(draft, *period, lead, coordinating))
    _check_numbering(drafts, report, drafting)
    _report_merged_units(directory, drafts, names, report)
    report.raise_errors()
    plan = Plan(
        number=head["number"],
        date=head["date"],
        issuer=head["issuer"],
        commune=head["commune"],
        commune_kind=head["commune_kind"],
        year=head["year"],
        title=head["title"],
        reporting_calendar=calendar,
        settings=settings,
        sections=tuple(sections),
        units=directory.units(),
        tasks=tuple(built),
    )
    return ImportResult(plan=plan, warnings=report.warnings)


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class _Names:
    """One task's unit names, checked and split, as written."""

    lead: tuple[str, ...]
    coordinating: tuple[str, ...]

    def all(self) -> tuple[str, ...]:
        return (*self.lead, *self.coordinating)


def _unit_names(drafts: list[TaskDraft], directory: UnitDirectory, report: Findings, drafting: bool) -> list[_Names]:
    """Every task's names, each added to the directory. Names are checked first; then, with
    all the plan's plain names known, the ones with "và" are split or kept whole."""
    checked = []
    for draft in drafts:
        if not draft.lead and drafting:
            report.warning(
                f"nhiệm vụ {draft.code} không ghi cơ quan chủ trì; hãy ghi vào bản nháp trước khi nhập",
                draft.row,
                draft.lead_column,
            )
        elif not draft.lead:
            report.error(f"nhiệm vụ {draft.code} không có bộ phận chủ trì", draft.row, draft.lead_column)
        names = _Names(
            _checked(draft.lead, draft.row, draft.lead_column, report, drafting),
            _checked(draft.coordinating, draft.row, _coordinating_column(draft), report, drafting),
        )
        checked.append(names)
        for name in names.all():
            if not _AND.search(name):
                directory.add(name)
    split = [_Names(_split_and(n.lead, directory), _split_and(n.coordinating, directory)) for n in checked]
    for names in split:
        for name in names.all():
            if _AND.search(name):
                directory.add(name)
    return split


def _resolved(names: tuple[str, ...], directory: UnitDirectory) -> tuple[str, ...]:
    """The units' display names, each once."""
    return tuple(dict.fromkeys(directory.resolve(name).name for name in names))


def _coordinating_column(draft: TaskDraft) -> str:
    return draft.coordinating_column or draft.lead_column


def _checked(names: tuple[str, ...], row: int | None, column: str, report: Findings, drafting: bool) -> tuple[str, ...]:
    """The names that are unit names; an error for each that is not (a date, a number, a
    sentence: a cell filled in the wrong column), in a draft a warning."""
    kept = []
    for name in names:
        problem = None
        if _NUMBER.fullmatch(name):
            problem = "là một con số"
        elif _DATE.search(name):
            problem = "là một ngày hoặc thời hạn"
        elif len(name.replace("-", " ").split()) > MAX_UNIT_NAME_WORDS:
            problem = f"là một câu (hơn {MAX_UNIT_NAME_WORDS} từ)"
        if problem:
            (report.warning if drafting else report.error)(f"“{name}” {problem}, không phải tên bộ phận", row, column)
        else:
            kept.append(name)
    return tuple(kept)


def _split_and(names: tuple[str, ...], directory: UnitDirectory) -> tuple[str, ...]:
    """ "Văn phòng và Tư pháp" names two units when the plan names each of them on its own
    elsewhere; otherwise "và" is part of one unit's name ("Văn hóa và Thông tin")."""
    split: list[str] = []
    for name in names:
        parts = [p.strip() for p in _AND.split(name)]
        split += parts if len(parts) > 1 and all(directory.knows(p) for p in parts) else [name]
    return tuple(split)


def _report_merged_units(
    directory: UnitDirectory, drafts: list[TaskDraft], names: list[_Names], report: Findings
) -> None:
    """Warn where one unit is written several ways, at the first row of each other spelling."""
    first_seen: dict[str, tuple[int | None, str]] = {}
    for draft, task_names in zip(drafts, names, strict=True):
        for name in task_names.lead:
            first_seen.setdefault(name, (draft.row, draft.lead_column))
        for name in task_names.coordinating:
            first_seen.setdefault(name, (draft.row, _coordinating_column(draft)))
    for unit in directory.units():
        for spelling in directory.spellings(unit):
            if spelling != unit.name and spelling in first_seen:
                row, column = first_seen[spelling]
                report.warning(
                    f"“{spelling}” được hiểu là bộ phận “{unit.name}” (cùng một bộ phận, viết khác)", row, column
                )


# ---------------------------------------------------------------- periods and tasks


def _resolve_period(
    draft: TaskDraft,
    head: Mapping[str, Any],
    settings: PlanSettings,
    calendar: ReportingCalendar,
    work: WorkCalendar,
    report: Findings,
) -> tuple[Recurrence, tuple[Occurrence, ...]] | None:
    """The task's occurrences, or None with an error; a warning for each already past due."""
    try:
        recurrence, occurrences = resolve_period(
            draft.period_text,
            year=head["year"],
            plan_date=head["date"],
            calendar=calendar,
            settings=settings,
            work=work,
        )
    except PeriodError as exc:
        report.error(str(exc), draft.row, draft.period_column)
        return None
    for occurrence in occurrences:
        if occurrence.past_due_at_issue:
            report.warning(
                f"nhiệm vụ {draft.code}: hạn {occurrence.due_date:%d/%m/%Y} (“{draft.period_text}”) đã quá hạn "
                f"vào ngày ban hành kế hoạch ({head['date']:%d/%m/%Y})",
                draft.row,
                draft.period_column,
            )
    return recurrence, occurrences


def default_period(year: int, calendar: ReportingCalendar) -> tuple[str, str]:
    """The plan's year-end report date, else the year itself."""
    year_end = [] if calendar.is_default else [d for d in calendar.deadlines if d.period_end_month == 12]
    if not year_end:
        return f"Năm {year}", "hết năm của kế hoạch"
    deadline = max(year_end, key=lambda d: (d.key == "Y", deadline_day(d, year)))
    day = deadline_day(deadline, year)
    rule = "trước ngày" if deadline.rule == DueRule.BEFORE_DAY else "chậm nhất ngày"
    return f"{rule} {day:%d/%m/%Y}", "hạn báo cáo năm của kế hoạch"


def _drafted_period(
    draft: TaskDraft, head: Mapping[str, Any], calendar: ReportingCalendar, report: Findings
) -> TaskDraft:
    """In a draft, a time the grammar cannot read becomes the plan's default, with a warning
    that keeps what was written for the office to correct."""
    if reads_as_period(draft.period_text, year=head["year"], plan_date=head["date"], calendar=calendar):
        return draft
    default, meaning = default_period(head["year"], calendar)
    written = f"không đọc được thời gian “{draft.period_text}”" if draft.period_text else "không ghi thời gian"
    report.warning(
        f"nhiệm vụ {draft.code} {written}; dùng mặc định “{default}” ({meaning})", draft.row, draft.period_column
    )
    return replace(draft, period_text=default)


def _task(
    draft: TaskDraft,
    recurrence: Recurrence,
    occurrences: tuple[Occurrence, ...],
    lead: tuple[str, ...],
    coordinating: tuple[str, ...],
) -> Task:
    return Task(
        code=draft.code,
        section=draft.section,
        number=draft.number,
        title=draft.title,
        product=draft.product,
        lead=lead,
        coordinating=coordinating,
        period_text=draft.period_text,
        recurrence=recurrence,
        criteria=draft.criteria,
        budget=draft.budget,
        notes=draft.notes,
        occurrences=occurrences,
        source=draft.source,
    )


def unique_codes(drafts: list[TaskDraft], report: Findings) -> list[TaskDraft]:
    """Each task's code made unique by its position: a code used before gets a suffix
    ("III.2-2"), with a warning naming both rows (plans are typed by hand; the code names
    the task's workflows)."""
    rows: dict[str, int | None] = {}
    unique = []
    for draft in drafts:
        code, n = draft.code, 1
        while code in rows:
            n += 1
            code = f"{draft.code}-{n}"
        if n > 1:
            where = f" ở hàng {rows[draft.code]}" if rows[draft.code] else ""
            report.warning(
                f"số thứ tự {draft.code} trùng với nhiệm vụ{where}; nhiệm vụ này được ghi mã {code}", draft.row
            )
            draft = replace(draft, number=f"{draft.number}-{n}")
        rows[code] = draft.row
        unique.append(draft)
    return unique


def _check_numbering(drafts: list[TaskDraft], report: Findings, drafting: bool) -> None:
    """A gap in a section's numbering is a warning (a row may have been lost); a draft's
    numbering is checked on its text's own items (`importers.prose_lines.numbering_gaps`)."""
    previous: dict[str, int] = {}
    for draft in drafts:
        if not draft.number.isdigit() or drafting:
            continue
        number, last = int(draft.number), previous.get(draft.section, 0)
        if number != last + 1:
            section = f" trong mục {draft.section}" if draft.section else ""
            report.warning(f"số thứ tự nhảy từ {last} lên {number}{section}", draft.row)
        previous[draft.section] = number
