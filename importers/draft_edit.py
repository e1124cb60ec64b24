"""A plan's draft as the office edits it in the browser: each task's fields as typed, the
source lines it came from and what the reader warned about them.

The plan's head (number, date, issuer, commune, year, title) is edited the same way, each field
kept as typed; a field the reader guessed (the number from the file's name, 1 January for the
date) carries its `HeadGuess` until the office types another value.

The draft is kept as canonical YAML (`importers.canonical`: the same document `cchc plan
draft` writes, with each task's editor key and reading notes beside its fields), so whatever
the office typed is kept, readable or not. `check_draft` reads it as the importer would read
that YAML: the plan, or every error on its task and field. The operations (add, delete,
merge, split) are pure: each gives a new draft.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError, field_validator

from domain.calendar import WorkCalendar
from domain.citations import DOCUMENT_NUMBER
from domain.models import DueRule, Finding, Plan, PlanSettings, ReportingCalendar, Section, SourceRef
from domain.periods import PeriodError, resolve_period
from importers.assembly import TaskDraft, assemble_plan
from importers.canonical import FORMAT, parse_date
from importers.drafts import HeadField, HeadGuess, warnings_by_task
from importers.errors import ImportResult, PlanInputError
from importers.header import commune_kind_of

DRAFT_FILE = "ban-nhap"  # the file name findings about the draft name
MAX_TASKS = 500


class Field(StrEnum):
    """The fields of a task the office edits, named as the canonical YAML names them."""

    NUMBER = "number"
    TITLE = "title"
    LEAD = "lead"
    COORDINATING = "coordinating"
    PERIOD = "period"
    CRITERIA = "criteria"


class DraftTask(BaseModel):
    """One task of the draft. `key` names it in the editor's form; `reading` holds what the
    reader warned about its source lines, `officers` the people those lines name."""

    key: str
    section: str
    number: str
    title: str = ""
    lead: list[str] = []
    coordinating: list[str] = []
    period: str = ""
    criteria: list[str] = []
    product: str | None = None
    budget: str | None = None
    notes: str | None = None
    source: SourceRef | None = None
    reading: list[str] = []
    officers: list[str] = []

    @property
    def code(self) -> str:
        return f"{self.section}.{self.number}" if self.section else self.number


class DraftHead(BaseModel):
    """The plan's head as typed: the date dd/mm/yyyy, the year four digits (`issued_on`, `plan_year` read
    them); `guessed`, the fields the reader filled in by a guess."""

    number: str
    date: str
    issuer: str
    commune: str
    year: str
    title: str
    guessed: list[HeadGuess] = []

    @field_validator("date", "year", mode="before")
    @classmethod
    def _as_typed(cls, value: object) -> object:
        """A date or year as the office types it (a draft kept before the head was editable holds them read)."""
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        return str(value) if isinstance(value, int) else value

    def guess(self, field: HeadField) -> str | None:
        return next((g.message for g in self.guessed if g.field is field), None)


class EditableDraft(BaseModel):
    plan: DraftHead
    settings: PlanSettings
    reporting_calendar: ReportingCalendar
    units: list[str]
    sections: list[Section]
    tasks: list[DraftTask]
    notes: list[str] = []  # what the reader warned about the plan as a whole


class DraftEditError(ValueError):
    """An operation the draft cannot take (merging the last task, deleting the only one)."""


# ---------------------------------------------------------------- from a reading, to and from YAML


def editable_draft(result: ImportResult) -> EditableDraft:
    """The plan as the importer read it, to edit: each task with the warnings about its source."""
    plan = result.plan
    by_task, others = warnings_by_task(plan, result.warnings)
    drafted = result.drafted or {}
    tasks = [
        DraftTask(
            key=_new_key(),
            section=task.section,
            number=task.number,
            title=task.title,
            lead=list(task.lead),
            coordinating=list(task.coordinating),
            period=task.period_text,
            criteria=list(task.criteria),
            product=task.product,
            budget=task.budget,
            notes=task.notes,
            source=task.source,
            reading=[finding.message for finding in by_task[task.code]],
            officers=list(drafted[task.code].officers) if task.code in drafted else [],
        )
        for task in plan.tasks
    ]
    head = DraftHead(
        number=plan.number,
        date=f"{plan.date:%d/%m/%Y}",
        issuer=plan.issuer,
        commune=plan.commune,
        year=str(plan.year),
        title="" if any(guess.field is HeadField.TITLE for guess in result.guessed) else plan.title,
        guessed=list(result.guessed),
    )
    guesses = {guess.message for guess in result.guessed}
    return EditableDraft(
        plan=head,
        settings=plan.settings,
        reporting_calendar=plan.reporting_calendar,
        units=[unit.name for unit in plan.units],
        sections=list(plan.sections),
        tasks=tasks,
        notes=[finding.message for finding in others if finding.message not in guesses],
    )


def draft_yaml(draft: EditableDraft) -> str:
    """The draft as canonical YAML, its tasks under their sections."""
    document: dict[str, Any] = {"format": FORMAT, **draft.model_dump(mode="json", exclude={"sections", "tasks"})}
    sections = list(draft.sections)
    sections += [Section(code=code, title="") for code in _codes(draft.tasks) - {s.code for s in sections}]
    document["sections"] = [
        {
            **section.model_dump(mode="json"),
            "tasks": [
                task.model_dump(mode="json", exclude={"section"})
                for task in draft.tasks
                if task.section == section.code
            ],
        }
        for section in sections
    ]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def draft_from_yaml(text: str) -> EditableDraft:
    """The draft `draft_yaml` wrote; ValueError for anything else."""
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or document.pop("format", None) != FORMAT:
        raise ValueError("not a draft")
    sections = document.pop("sections", None) or []
    try:
        tasks = [DraftTask(section=s["code"], **task) for s in sections for task in s.get("tasks") or []]
        return EditableDraft(
            **document, sections=[Section(code=s["code"], title=s["title"]) for s in sections], tasks=tasks
        )
    except (ValidationError, KeyError, TypeError) as exc:
        raise ValueError("not a draft") from exc


def _codes(tasks: Iterable[DraftTask]) -> set[str]:
    return {task.section for task in tasks}


def _new_key() -> str:
    return secrets.token_hex(4)


# ---------------------------------------------------------------- what the office typed


class TypedTask(BaseModel):
    """One task's fields as the form sent them; a field not sent is None (kept as it was)."""

    number: str | None = None
    title: str | None = None
    lead: str | None = None
    coordinating: str | None = None
    period: str | None = None
    criteria: str | None = None


class TypedHead(BaseModel):
    """The head's fields as the form sent them; a field not sent is None (kept as it was)."""

    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    commune: str | None = None
    year: str | None = None
    title: str | None = None


def names(text: str) -> list[str]:
    """Unit names or criterion codes typed in one field, comma- or semicolon-separated."""
    return [_one_line(part) for part in text.replace(";", ",").split(",") if _one_line(part)]


def with_typed(draft: EditableDraft, typed: Mapping[str, TypedTask], head: TypedHead = TypedHead()) -> EditableDraft:
    """The draft with each task's fields as typed (by task key) and the head's; a task or field
    the form did not send is kept. A guessed head field typed anew is no longer a guess."""
    tasks = []
    for task in draft.tasks:
        entry = typed.get(task.key)
        update: dict[str, Any] = {}
        if entry is not None:
            for name, value in entry.model_dump(exclude_none=True).items():
                update[name] = names(value) if name in _LISTS else _one_line(value)
            if "number" in update:
                update["number"] = update["number"].rstrip(".")
        tasks.append(task.model_copy(update=update))
    return draft.model_copy(update={"tasks": tasks, "plan": _with_typed_head(draft.plan, head)})


def _with_typed_head(head: DraftHead, typed: TypedHead) -> DraftHead:
    update = {name: _one_line(value) for name, value in typed.model_dump(exclude_none=True).items()}
    if "number" in update:
        update["number"] = document_number(update["number"])
    changed = {HeadField(name) for name, value in update.items() if value != getattr(head, name)}
    guessed = [guess for guess in head.guessed if guess.field not in changed]
    return head.model_copy(update={**update, "guessed": guessed})


def document_number(text: str) -> str:
    """A number as written after "Số:", its spaces and dashes as the number has them: "45 /KH – UBND" → "45/KH-UBND"."""
    return "".join(text.replace("–", "-").replace("—", "-").split())


_LISTS = {Field.LEAD.value, Field.COORDINATING.value, Field.CRITERIA.value}


def _one_line(text: str) -> str:
    """What was typed on one line: spaces collapsed, no control character (none is ever meant)."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())


# ---------------------------------------------------------------- operations


def delete_task(draft: EditableDraft, key: str) -> EditableDraft:
    index = _index(draft, key)
    if len(draft.tasks) == 1:
        raise DraftEditError("bản nháp chỉ còn một nhiệm vụ: không xóa được")
    return _with_tasks(draft, draft.tasks[:index] + draft.tasks[index + 1 :])


def add_task(draft: EditableDraft, key: str) -> EditableDraft:
    """A new empty task after `key`, in its section, numbered after the section's last."""
    index = _index(draft, key)
    if len(draft.tasks) >= MAX_TASKS:
        raise DraftEditError(f"bản nháp đã có {MAX_TASKS} nhiệm vụ")
    section = draft.tasks[index].section
    numbers = [int(t.number) for t in draft.tasks if t.section == section and t.number.isdigit()]
    added = DraftTask(key=_new_key(), section=section, number=str(max(numbers, default=0) + 1))
    return _with_tasks(draft, [*draft.tasks[: index + 1], added, *draft.tasks[index + 1 :]])


def merge_tasks(draft: EditableDraft, key: str) -> EditableDraft:
    """The task `key` and the one after it, one task: the first's number, section and time,
    both titles, units, criteria, notes and source lines."""
    index = _index(draft, key)
    if index + 1 >= len(draft.tasks):
        raise DraftEditError(f"nhiệm vụ {draft.tasks[index].code} là nhiệm vụ cuối: không có nhiệm vụ sau để gộp")
    first, second = draft.tasks[index], draft.tasks[index + 1]
    lead = _union(first.lead, second.lead)
    merged = first.model_copy(
        update={
            "title": "; ".join(filter(None, (first.title, second.title))),
            "lead": lead,
            "coordinating": [name for name in _union(first.coordinating, second.coordinating) if name not in lead],
            "criteria": _union(first.criteria, second.criteria),
            "product": _joined(first.product, second.product),
            "budget": _joined(first.budget, second.budget),
            "notes": _joined(first.notes, second.notes),
            "source": _merged_source(first.source, second.source),
            "reading": _union(first.reading, second.reading),
            "officers": _union(first.officers, second.officers),
        }
    )
    return _with_tasks(draft, [*draft.tasks[:index], merged, *draft.tasks[index + 2 :]])


def split_task(draft: EditableDraft, key: str) -> EditableDraft:
    """The task `key` as two: the second a copy under the next free number ("3-2"), to be
    corrected apart."""
    index = _index(draft, key)
    if len(draft.tasks) >= MAX_TASKS:
        raise DraftEditError(f"bản nháp đã có {MAX_TASKS} nhiệm vụ")
    task = draft.tasks[index]
    taken = {t.number for t in draft.tasks if t.section == task.section}
    base = task.number.split("-")[0]
    number = next(f"{base}-{n}" for n in range(2, MAX_TASKS + 2) if f"{base}-{n}" not in taken)
    copy = task.model_copy(update={"key": _new_key(), "number": number})
    return _with_tasks(draft, [*draft.tasks[: index + 1], copy, *draft.tasks[index + 1 :]])


def _index(draft: EditableDraft, key: str) -> int:
    for index, task in enumerate(draft.tasks):
        if task.key == key:
            return index
    raise DraftEditError("không tìm thấy nhiệm vụ này trong bản nháp (đã xóa hoặc gộp)")


def _with_tasks(draft: EditableDraft, tasks: list[DraftTask]) -> EditableDraft:
    return draft.model_copy(update={"tasks": tasks})


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _joined(first: str | None, second: str | None) -> str | None:
    return "\n".join(filter(None, (first, second))) or None


def _merged_source(first: SourceRef | None, second: SourceRef | None) -> SourceRef | None:
    if first is None or second is None:
        return first or second
    starts = [line for line in (first.line_start, second.line_start) if line is not None]
    ends = [line for line in (first.line_end, second.line_end) if line is not None]
    return SourceRef(
        row=first.row,
        line_start=min(starts, default=None),
        line_end=max(ends, default=None),
        text="\n".join(filter(None, (first.text, second.text))) or None,
    )


# ---------------------------------------------------------------- reading the draft


@dataclass(frozen=True)
class DueReading:
    """What one time expression gives under the plan's calendar: its due dates and the rule
    that made them, or why it cannot be read."""

    dates: tuple[date, ...] = ()
    rules: tuple[DueRule, ...] = ()  # each rule used, once
    past_due: tuple[bool, ...] = ()
    error: str | None = None


def due_dates(draft: EditableDraft, text: str) -> DueReading:
    """`text` read as a task's time in this draft's plan (its year, date, reporting calendar
    and settings)."""
    year, issued = plan_year(draft.plan), issued_on(draft.plan)
    if year is None or issued is None:
        return DueReading(error=HEAD_UNREAD)
    try:
        _, occurrences = resolve_period(
            _one_line(text),
            year=year,
            plan_date=issued,
            calendar=draft.reporting_calendar,
            settings=draft.settings,
            work=WorkCalendar(draft.settings.extra_days_off),
        )
    except PeriodError as exc:
        return DueReading(error=str(exc))
    return DueReading(
        dates=tuple(o.due_date for o in occurrences),
        rules=tuple(dict.fromkeys(o.rule for o in occurrences)),
        past_due=tuple(o.past_due_at_issue for o in occurrences),
    )


HEAD_UNREAD = "chưa tính được hạn: hãy sửa năm hoặc ngày ban hành của kế hoạch (phần đầu bản nháp)"
YEARS = range(2000, 2101)


def plan_year(head: DraftHead) -> int | None:
    """The year typed, when it is a year a plan may have."""
    return int(head.year) if head.year.isdecimal() and len(head.year) == 4 and int(head.year) in YEARS else None


def issued_on(head: DraftHead) -> date | None:
    """The date of issue typed (dd/mm/yyyy, or ISO yyyy-mm-dd as `cchc plan draft --date` takes it)."""
    issued = parse_date(head.date)
    return issued if issued is not None and issued.year in YEARS else None


def plan_title(head: DraftHead) -> str:
    """The title typed; none typed, "Kế hoạch <số>" as the reader names a plan that gives none."""
    return head.title or f"Kế hoạch {head.number}"


def head_errors(head: DraftHead) -> dict[HeadField, list[str]]:
    """What is wrong with each field of the head: a field left empty, a number not of the
    shape the task's documents are held to (`DOCUMENT_NUMBER`), a date or year that cannot be read."""
    errors = {name: [missing] for name, missing in _REQUIRED.items() if not getattr(head, name)}
    if head.number and not DOCUMENT_NUMBER.match(head.number):
        errors[HeadField.NUMBER] = [f"số kế hoạch “{head.number}” không đúng dạng (ví dụ 45/KH-UBND)"]
    if head.date and issued_on(head) is None:
        errors[HeadField.DATE] = [f"ngày ban hành “{head.date}” không đọc được (dd/mm/yyyy)"]
    if head.year and plan_year(head) is None:
        errors[HeadField.YEAR] = [f"năm “{head.year}” không đọc được (bốn chữ số, {YEARS[0]}–{YEARS[-1]})"]
    return errors


_REQUIRED = {
    HeadField.NUMBER: "chưa ghi số kế hoạch",
    HeadField.DATE: "chưa ghi ngày ban hành",
    HeadField.YEAR: "chưa ghi năm của kế hoạch",
    HeadField.ISSUER: "chưa ghi cơ quan ban hành",
    HeadField.COMMUNE: "chưa ghi tên xã",
}


@dataclass
class DraftCheck:
    """The draft read as a plan: the plan when nothing is wrong; each task's errors by field
    and its warnings (by task key); the head's errors by field; what is wrong with the draft
    as a whole."""

    plan: Plan | None = None
    errors: dict[str, dict[Field, list[str]]] = field(default_factory=dict)
    head_errors: dict[HeadField, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)  # errors about no one task
    notes: list[str] = field(default_factory=list)  # warnings about no one task, beyond the reading's
    findings: list[Finding] = field(default_factory=list)  # the warnings, for the stored plan's record

    @property
    def ok(self) -> bool:
        return self.plan is not None


def check_draft(draft: EditableDraft) -> DraftCheck:
    """The draft read as its canonical YAML would be imported; a task is found by its
    position (the findings' row), a field by the findings' column."""
    check = DraftCheck()
    for task in draft.tasks:
        if not task.title:
            check.errors.setdefault(task.key, {}).setdefault(Field.TITLE, []).append("chưa ghi tên nhiệm vụ")
        if not task.number:
            check.errors.setdefault(task.key, {}).setdefault(Field.NUMBER, []).append("chưa ghi số thứ tự")
    head = draft.plan
    check.head_errors = head_errors(head)
    year, issued = plan_year(head), issued_on(head)
    if year is None or issued is None:
        return check
    read = {"number": head.number, "date": issued, "issuer": head.issuer, "commune": head.commune, "year": year}
    try:
        result = assemble_plan(
            file=DRAFT_FILE,
            head={**read, "title": plan_title(head), "commune_kind": commune_kind_of(head.issuer)},
            settings=draft.settings,
            calendar=draft.reporting_calendar,
            sections=draft.sections,
            tasks=[_task_draft(task, row) for row, task in enumerate(draft.tasks, start=1)],
            unit_order=draft.units,
        )
    except PlanInputError as refusal:
        _place(check, draft, refusal.findings, errors=True)
        return check
    _place(check, draft, result.warnings, errors=False)
    check.findings = result.warnings
    if not check.errors and not check.general and not check.head_errors:
        check.plan = result.plan
    return check


def _task_draft(task: DraftTask, row: int) -> TaskDraft:
    return TaskDraft(
        section=task.section,
        number=task.number,
        title=task.title,
        product=task.product,
        lead=tuple(task.lead),
        coordinating=tuple(task.coordinating),
        period_text=task.period,
        criteria=tuple(task.criteria),
        budget=task.budget,
        notes=task.notes,
        source=task.source,
        row=row,
        lead_column=Field.LEAD,
        period_column=Field.PERIOD,
        coordinating_column=Field.COORDINATING,
    )


def _place(check: DraftCheck, draft: EditableDraft, findings: Iterable[Finding], *, errors: bool) -> None:
    """Each finding on its task (and field), or on the draft as a whole."""
    for finding in findings:
        row = finding.row
        if row is None or not 1 <= row <= len(draft.tasks):
            if errors:
                check.general.append(finding.message)
            elif finding.message not in draft.notes:
                check.notes.append(finding.message)
            continue
        key = draft.tasks[row - 1].key
        if not errors:
            check.warnings.setdefault(key, []).append(finding.message)
            continue
        column = finding.column if finding.column in set(Field) else Field.TITLE
        check.errors.setdefault(key, {}).setdefault(Field(column), []).append(finding.message)
