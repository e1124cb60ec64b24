"""What each entry of a task's timeline records, typed by its kind, and the task rebuilt from
its entries.

A recorded entry keeps its particulars as JSON (`data`, the `payload` column): `particulars`
reads them into the model of their kind, and `task_history` folds a task's entries into what
the product shows of it (its state, due date and lead in force, its evidence, its extensions,
its approval). Every reader of recorded events takes them from here, never from the JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from domain.lifecycle import TaskEntryKind, TaskState

_K = TaskEntryKind


class _Particulars(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class CitedDocument(BaseModel):
    """The amending document a change cites: "theo văn bản số 25/KH-UBND ngày 01/06/2024"."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    number: str
    issued: date
    title: str = ""


class Assigned(_Particulars):
    kind: Literal[_K.ASSIGN] = _K.ASSIGN
    lead: tuple[str, ...] = ()  # given when a reassignment assigns the task anew


class Acknowledged(_Particulars):
    kind: Literal[_K.ACKNOWLEDGE] = _K.ACKNOWLEDGE


class ProgressReported(_Particulars):
    kind: Literal[_K.REPORT_PROGRESS] = _K.REPORT_PROGRESS
    percent: int


class EvidenceSubmitted(_Particulars):
    kind: Literal[_K.SUBMIT_EVIDENCE] = _K.SUBMIT_EVIDENCE
    document_number: str  # "15/QĐ-UBND"
    document_date: date
    title: str
    file_ref: str = ""
    sha256: str
    issuer: str = ""  # empty (and in events recorded before it was asked): the commune's UBND


class ReviewStarted(_Particulars):
    kind: Literal[_K.START_REVIEW] = _K.START_REVIEW


class Approved(_Particulars):
    kind: Literal[_K.APPROVE] = _K.APPROVE


class Returned(_Particulars):
    kind: Literal[_K.RETURN] = _K.RETURN


class DeadlineExtended(_Particulars):
    kind: Literal[_K.EXTEND_DEADLINE] = _K.EXTEND_DEADLINE
    old_due: date
    new_due: date
    amendment: CitedDocument | None = None


class Reassigned(_Particulars):
    kind: Literal[_K.REASSIGN] = _K.REASSIGN
    old_lead: tuple[str, ...]
    new_lead: tuple[str, ...]
    officer: str | None = None
    amendment: CitedDocument | None = None


class Waived(_Particulars):
    kind: Literal[_K.WAIVE] = _K.WAIVE
    amendment: CitedDocument | None = None


class Cancelled(_Particulars):
    kind: Literal[_K.CANCEL] = _K.CANCEL
    amendment: CitedDocument | None = None


class Reminded(_Particulars):
    kind: Literal[_K.REMINDER] = _K.REMINDER
    level: int  # working days left
    scheduled_at: datetime | None = None


class Escalated(_Particulars):
    kind: Literal[_K.ESCALATION] = _K.ESCALATION
    level: int
    scheduled_at: datetime | None = None


class RecordRefused(_Particulars):
    """An entry the database refused to record: what it was; the workflow went on without it."""

    kind: Literal[_K.RECORD_REFUSED] = _K.RECORD_REFUSED
    refused: str  # the refused entry's kind


Particulars = Annotated[
    Assigned
    | Acknowledged
    | ProgressReported
    | EvidenceSubmitted
    | ReviewStarted
    | Approved
    | Returned
    | DeadlineExtended
    | Reassigned
    | Waived
    | Cancelled
    | Reminded
    | Escalated
    | RecordRefused,
    Field(discriminator="kind"),
]
_PARTICULARS: TypeAdapter[Particulars] = TypeAdapter(Particulars)


def particulars(kind: str, data: Mapping[str, Any]) -> Particulars:
    """An entry's particulars as the model of its kind."""
    return _PARTICULARS.validate_python({**data, "kind": kind})


@dataclass(frozen=True)
class TaskEntry:
    """One recorded entry of a task's timeline, typed."""

    seq: int
    at: datetime
    state: TaskState  # the state after it
    actor: str
    detail: str
    what: Particulars

    @classmethod
    def of(
        cls, *, seq: int, at: datetime, kind: str, state: str, actor: str, detail: str, data: Mapping[str, Any]
    ) -> Self:
        return cls(seq, at, TaskState(state), actor, detail, particulars(kind, data))


@dataclass(frozen=True)
class Submission:
    """A document submitted as the task's product, by whom and when."""

    document: EvidenceSubmitted
    by: str
    at: datetime


@dataclass(frozen=True)
class TaskHistory:
    """A task occurrence as its entries leave it."""

    due: date  # in force: an extension moves it
    plan_due: date  # the issued plan's, or a confirmed amending plan's: a leader's extension leaves it
    lead: tuple[str, ...]  # in force: a reassignment changes it
    state: TaskState | None = None  # None: nothing recorded yet
    officer: str | None = None  # named by the last reassignment
    progress: int | None = None  # the last percentage reported
    submissions: tuple[Submission, ...] = ()  # every document submitted, in order
    pending: tuple[Submission, ...] = ()  # those since the last return: what an approval approves
    approved_at: datetime | None = None
    approved: tuple[Submission, ...] = ()
    extensions: tuple[DeadlineExtended, ...] = ()
    escalation_level: int = 0
    stopped_by: CitedDocument | None = None  # the amending document a stop (or cancellation) cites

    @property
    def document_date(self) -> date | None:
        """The date of the accepted product: the latest of the approved documents; None if none."""
        return max((submission.document.document_date for submission in self.approved), default=None)


def task_history(entries: Iterable[TaskEntry], *, due: date, lead: tuple[str, ...]) -> TaskHistory:
    """The task after `entries` (in seq order), starting from the plan's `due` and `lead`.

    `due` may be the due date in force: the first extension tells the plan's own.
    """
    history = TaskHistory(due=due, plan_due=due, lead=lead)
    for entry in entries:
        history = _after(replace(history, state=entry.state), entry)
    return history


def _after(history: TaskHistory, entry: TaskEntry) -> TaskHistory:
    what = entry.what
    match what:
        case DeadlineExtended():
            before = history.plan_due if history.extensions else what.old_due
            plan_due = what.new_due if what.amendment else before
            return replace(history, due=what.new_due, plan_due=plan_due, extensions=(*history.extensions, what))
        case Reassigned():
            return replace(history, lead=what.new_lead, officer=what.officer)
        case ProgressReported():
            return replace(history, progress=what.percent)
        case EvidenceSubmitted():
            submission = Submission(what, entry.actor, entry.at)
            return replace(
                history, submissions=(*history.submissions, submission), pending=(*history.pending, submission)
            )
        case Returned():
            return replace(history, pending=())  # a returned submission is not evidence
        case Approved():
            return replace(history, approved_at=entry.at, approved=history.pending)
        case Escalated():
            return replace(history, escalation_level=what.level)
        case Waived() | Cancelled():
            return replace(history, stopped_by=what.amendment)
    return history
