"""The plan as the product understands it: pure, validated pydantic models.

Nothing here does I/O or knows about Temporal; importers build these models,
persistence stores them and workflows receive them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CommuneKind(StrEnum):
    """What a commune-level unit is: since 1 July 2025 a xã, a phường or a đặc khu."""

    XA = "xa"
    PHUONG = "phuong"
    DAC_KHU = "dac_khu"


class Recurrence(StrEnum):
    """How often a task falls due within the plan's year."""

    ONCE = "once"  # one dated period: a month, a quarter, "before D"
    ANNUAL = "annual"  # "Hàng năm", "Năm 2018 và các năm tiếp theo"
    ONGOING = "ongoing"  # "Thường xuyên": a check-in per reporting period
    PERIODIC = "periodic"  # "Định kỳ": one occurrence per report due date


class DueRule(StrEnum):
    """Which rule turned a period into a due date (kept on every occurrence)."""

    PERIOD_END = "period_end"  # last day of the period, moved off a day off by the plan's `DayOffRule`
    BEFORE_DAY = "before_day"  # "trước ngày D": the last working day before D
    BY_DAY = "by_day"  # "chậm nhất ngày D": on D, moved off a day off by the plan's `DayOffRule`


class DayOffRule(StrEnum):
    """Where a period end or a "chậm nhất ngày D" that falls on a day off is due."""

    WITHIN_PERIOD = "within_period"  # default: the last working day before it, inside the period
    NEXT_WORKING_DAY = "next_working_day"  # Civil Code 2015, art. 148: the next working day
    AS_WRITTEN = "as_written"  # the day written, day off or not


class BeforeDayRule(StrEnum):
    LAST_WORKING_DAY = "last_working_day"  # default: the last working day before D
    PREVIOUS_DAY = "previous_day"  # D - 1 whatever day it is


class PlanSettings(Model):
    """Rules a commune may set per plan; the defaults count as the appraiser counts. Every
    number is bounded by what a year can hold, so no setting makes a workflow loop or flood."""

    day_off_rule: DayOffRule = DayOffRule.WITHIN_PERIOD
    before_day_rule: BeforeDayRule = BeforeDayRule.LAST_WORKING_DAY
    # The plan's own days off, on top of the public holidays.
    extra_days_off: tuple[date, ...] = Field(default=(), max_length=366)
    # Working days before due, at most ten reminders, none more than three months ahead.
    reminder_offsets: tuple[Annotated[int, Field(ge=0, le=66)], ...] = Field(default=(7, 3, 1), max_length=10)
    escalation_interval: int = Field(default=3, ge=1, le=66)  # working days between escalation levels
    # Escalation levels that email their recipients, per task occurrence: later levels are
    # recorded (history, dashboard, daily digest) but a flood of emails gets filtered.
    escalation_emails: int = Field(default=2, ge=1, le=366)

    @model_validator(mode="before")
    @classmethod
    def _read_roll_over(cls, data: Any) -> Any:
        """Plans stored before `day_off_rule` said `roll_over_non_working`: true kept art. 148,
        false the day as written; they keep the due dates they were started with."""
        if isinstance(data, dict) and "roll_over_non_working" in data:
            data = dict(data)
            rolled = data.pop("roll_over_non_working")
            data.setdefault("day_off_rule", DayOffRule.NEXT_WORKING_DAY if rolled else DayOffRule.AS_WRITTEN)
        return data


class Period(Model):
    start: date
    end: date
    label: str  # for people, Vietnamese: "Quý I/2024", "Tháng 02/2024", "Năm 2024"

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError("period ends before it starts")
        return end


class Occurrence(Model):
    """One due date of a task. `key` is stable: the workflow id is built from it."""

    key: str  # "2024-01", "2024-Q1", "2024", "2024-H1", "before-2023-12-31"
    period: Period
    due_date: date  # the day, Asia/Ho_Chi_Minh
    due: datetime  # the instant: end of due_date, +07:00
    rule: DueRule
    source_text: str  # the expression as written in the plan
    past_due_at_issue: bool = False  # already past on the plan's own date


class ReportDeadline(Model):
    """One report of the plan's reporting calendar, e.g. the 6-month report before 10/6."""

    key: str  # "Q1", "H1", "M9", "Y", "M3" ...
    label: str  # "Báo cáo quý I", "Báo cáo 6 tháng"
    period_end_month: int = Field(ge=1, le=12)  # the reported period ends with this month
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    rule: DueRule  # BEFORE_DAY ("trước ngày") or BY_DAY ("chậm nhất ngày")


class ReportingCalendar(Model):
    deadlines: tuple[ReportDeadline, ...]
    source_text: str | None = None  # the sentence(s) of the plan it came from; None when defaulted
    is_default: bool = False


class Unit(Model):
    key: str  # normalised: casefolded, tone marks in canonical position
    name: str  # as people read it


class Section(Model):
    code: str  # "I", "II", ...
    title: str


class SourceRef(Model):
    """Where a task came from in the input, for people to check."""

    row: int | None = None  # table row (sheet row, CSV line, text line)
    line_start: int | None = None
    line_end: int | None = None
    text: str | None = None


class Task(Model):
    code: str  # "I.1": section code and number within the section
    section: str  # section code
    number: str  # "1" as written in the STT column
    title: str
    product: str | None = None
    lead: tuple[str, ...]  # unit names, from the plan's unit directory
    coordinating: tuple[str, ...] = ()
    period_text: str
    recurrence: Recurrence
    criteria: tuple[str, ...] = ()  # PAR sub-criterion codes, e.g. "7.1.5"
    budget: str | None = None
    notes: str | None = None
    occurrences: tuple[Occurrence, ...]
    source: SourceRef | None = None


class Plan(Model):
    number: str  # "10/KH-UBND"
    date: date
    issuer: str  # "UBND xã Vĩnh Khê"
    commune: str  # "Vĩnh Khê": every record belongs to one commune
    commune_kind: CommuneKind | None = None  # from the issuer's header ("ỦY BAN NHÂN DÂN PHƯỜNG …"), when it says
    year: int
    title: str
    reporting_calendar: ReportingCalendar
    settings: PlanSettings = PlanSettings()
    sections: tuple[Section, ...]
    units: tuple[Unit, ...]
    tasks: tuple[Task, ...]


class RowFate(StrEnum):
    """What an import made of one source row or line that holds text (`importers.rows`)."""

    TASK = "task"
    HEADING = "heading"  # a section or group title
    CONTINUATION = "continuation"  # more of a task: a wrapped line, a merged cell's rest, a prose task's body
    HEADER = "header"  # the table's header row, repeated after a page break, or its column numbers
    DOCUMENT = "document"  # the document around the table: header block, body text, signature, notes
    SKIPPED = "skipped"


class Severity(StrEnum):
    ERROR = "error"  # the plan cannot be imported until it is fixed
    WARNING = "warning"  # imported, but a person should look


class Finding(Model):
    """Something the importer wants a person to know, located in the input."""

    severity: Severity
    message: str  # Vietnamese, for people
    row: int | None = None
    column: str | None = None  # the column's header as written in the plan
    file: str | None = None

    def where(self) -> str:
        parts = [p for p in (self.file, self.row and f"hàng {self.row}", self.column and f"cột “{self.column}”") if p]
        return ", ".join(parts)
