"""How a plan import looks to programs: the JSON documents of `cchc plan import --json` and
`cchc plan show --json`, as typed models. Their keys come in the order the fields are written
here; a key shown only for some plans (the plan's id, the draft's fields, the rows) is left
out when it does not apply, never written as null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from domain.calendar import TZ
from domain.models import (
    CommuneKind,
    DueRule,
    Finding,
    Occurrence,
    Plan,
    Recurrence,
    ReportDeadline,
    RowFate,
    Task,
)
from domain.plan_changes import ChangeKind
from importers.drafts import DraftedTask
from importers.rows import RowAccount
from services.amendment import AmendmentPreview


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)


class PlanHead(Document):
    id: int | None = None  # a stored plan's; left out before it is stored
    number: str
    date: date
    issuer: str
    commune: str
    commune_kind: CommuneKind | None = None  # "phuong" when the issuer is "UBND phường …"; left out when unknown
    year: int
    title: str
    reporting_calendar: tuple[ReportDeadline, ...]

    @model_serializer(mode="wrap")
    def _without_missing(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for key in ("id", "commune_kind"):
            if data[key] is None:
                del data[key]
        return data


class PeriodDocument(Document):
    start: date
    end: date
    label: str


class OccurrenceDocument(Document):
    key: str
    due: datetime  # in Asia/Ho_Chi_Minh
    due_date: date
    period: PeriodDocument
    rule: DueRule
    past_due_at_issue: bool

    @classmethod
    def of(cls, occurrence: Occurrence) -> OccurrenceDocument:
        period = occurrence.period
        return cls(
            key=occurrence.key,
            due=occurrence.due.astimezone(TZ),
            due_date=occurrence.due_date,
            period=PeriodDocument(start=period.start, end=period.end, label=period.label),
            rule=occurrence.rule,
            past_due_at_issue=occurrence.past_due_at_issue,
        )


class TaskDocument(Document):
    code: str
    section: str
    number: str
    title: str
    product: str | None
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    period_text: str
    recurrence: Recurrence
    criteria: tuple[str, ...]
    budget: str | None
    notes: str | None
    occurrences: tuple[OccurrenceDocument, ...]

    @classmethod
    def of(cls, task: Task) -> TaskDocument:
        return cls(**cls._fields_of(task))

    @staticmethod
    def _fields_of(task: Task) -> dict[str, Any]:
        fields = task.model_dump(include=set(TaskDocument.model_fields) - {"occurrences"})
        return fields | {"occurrences": tuple(OccurrenceDocument.of(o) for o in task.occurrences)}


class SourceLines(Document):
    line_start: int | None
    line_end: int | None


class DraftedTaskDocument(TaskDocument):
    """A task of a drafted (prose) plan: also the lines it came from, the officers the plan
    names for it and whether its period is the plan's default."""

    source: SourceLines | None
    officers: tuple[str, ...]
    period_default: bool

    @classmethod
    def drafted(cls, task: Task, draft: DraftedTask) -> DraftedTaskDocument:
        source = task.source
        return cls(
            **cls._fields_of(task),
            source=SourceLines(line_start=source.line_start, line_end=source.line_end) if source else None,
            officers=draft.officers,
            period_default=draft.period_default,
        )


class WarningDocument(Document):
    row: int | None
    column: str | None
    message: str


class RowDocument(Document):
    """What became of one row or line of the file."""

    fate: RowFate
    row: int | None
    line: int | None
    table: str | None
    task: str | None
    reason: str | None

    @classmethod
    def of(cls, account: RowAccount) -> RowDocument:
        return cls(**account.model_dump(include=set(cls.model_fields)))


class PlanDocument(Document):
    """A plan as `cchc plan show --json` prints it; an import also says what became of each
    row or line of its file (`rows`, left out when there are none)."""

    plan: PlanHead
    tasks: tuple[DraftedTaskDocument | TaskDocument, ...]
    warnings: tuple[WarningDocument, ...]
    rows: tuple[RowDocument, ...] = ()

    @model_serializer(mode="wrap")
    def _without_empty_rows(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if not self.rows:
            del data["rows"]
        return data

    @classmethod
    def of(
        cls,
        plan: Plan,
        *,
        plan_id: int | None = None,
        warnings: Iterable[Finding] = (),
        drafted: Mapping[str, DraftedTask] | None = None,
        rows: Iterable[RowAccount] = (),
    ) -> PlanDocument:
        """`plan`, stored as `plan_id`; `drafted`: a prose plan's draft, by task code."""
        return cls(
            plan=PlanHead(
                id=plan_id,
                number=plan.number,
                date=plan.date,
                issuer=plan.issuer,
                commune=plan.commune,
                commune_kind=plan.commune_kind,
                year=plan.year,
                title=plan.title,
                reporting_calendar=plan.reporting_calendar.deadlines,
            ),
            tasks=tuple(
                TaskDocument.of(task)
                if drafted is None
                else DraftedTaskDocument.drafted(task, drafted.get(task.code, DraftedTask()))
                for task in plan.tasks
            ),
            warnings=tuple(WarningDocument(row=w.row, column=w.column, message=w.message) for w in warnings),
            rows=tuple(RowDocument.of(account) for account in rows),
        )


class ImportDocument(PlanDocument):
    """What `cchc plan import --json` prints of a plan: the plan, and whether it was stored now."""

    created: bool
    dry_run: bool

    @classmethod
    def of_import(cls, shown: PlanDocument, *, created: bool, dry_run: bool) -> ImportDocument:
        return cls(**dict(shown), created=created, dry_run=dry_run)


class AmendingDocumentRef(Document):
    number: str
    issued: date
    title: str


class ChangeDocument(Document):
    id: str
    kind: ChangeKind
    task_code: str
    occurrence_key: str
    title: str
    old: str | None
    new: str | None
    kept_because: str | None
    outcome: str | None  # what applying it did, once confirmed


class AmendmentDocument(Document):
    """What `cchc plan import --json` prints of a new version of a stored plan: its changes,
    and what applying each did once confirmed."""

    plan_id: int
    plan_number: str
    amendment: AmendingDocumentRef
    confirmed: bool
    changes: tuple[ChangeDocument, ...]

    @classmethod
    def of(cls, preview: AmendmentPreview, outcomes: Mapping[str, str] | None) -> AmendmentDocument:
        ref = preview.document.ref
        return cls(
            plan_id=preview.plan_id,
            plan_number=preview.plan_number,
            amendment=AmendingDocumentRef(number=ref.number, issued=ref.issued, title=ref.title),
            confirmed=outcomes is not None,
            changes=tuple(
                ChangeDocument(
                    id=change.id,
                    kind=change.kind,
                    task_code=change.task_code,
                    occurrence_key=change.occurrence_key,
                    title=change.title,
                    old=change.old,
                    new=change.new,
                    kept_because=change.kept_because,
                    outcome=(outcomes or {}).get(change.id),
                )
                for change in preview.changes
            ),
        )
