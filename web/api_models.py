"""The JSON API's bodies and answers.

A request body is the workflow contract's request (workflows/contracts.py) without `actor`:
who acts comes from the session. Text is bounded and free of control characters (a NUL
would be refused by PostgreSQL when the event is recorded); dates stay within reason.
Evidence names its file by the SHA-256 the upload returned: where the file lives in the
store (`file_ref`) is the server's business, not the client's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from domain.roles import Actor
from domain.text import PRINTABLE
from domain.units import unit_key
from workflows.contracts import (
    Acknowledge,
    Contract,
    DeadlineExtension,
    EvidenceSubmission,
    ProgressReport,
    Reassignment,
    ReviewDecision,
    Waiver,
    stop_document,
)

SHA256 = r"^[0-9a-f]{64}$"
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)

Note = Annotated[str, StringConstraints(max_length=2000, pattern=PRINTABLE)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=PRINTABLE)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


class Body(BaseModel, ABC):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @abstractmethod
    def request(self, actor: Actor) -> Contract:
        """The workflow's request: this body, acted by `actor`."""


class AcknowledgeBody(Body):
    note: Note = ""

    def request(self, actor: Actor) -> Acknowledge:
        return Acknowledge(actor=actor, **self.model_dump())


class ProgressBody(Body):
    percent: int = Field(ge=0, le=100)
    note: Note = ""

    def request(self, actor: Actor) -> ProgressReport:
        return ProgressReport(actor=actor, **self.model_dump())


class EvidenceBody(Body):
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=PRINTABLE)]
    document_date: Day
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=PRINTABLE)]
    sha256: Annotated[str, StringConstraints(pattern=SHA256)]
    issuer: Annotated[str, StringConstraints(max_length=300, pattern=PRINTABLE)] = ""  # empty: the commune's UBND

    def request(self, actor: Actor) -> EvidenceSubmission:
        return EvidenceSubmission(actor=actor, file_ref=f"evidence/{self.sha256}", **self.model_dump())


class ReviewBody(Body):
    approve: bool
    comment: Note = ""

    def request(self, actor: Actor) -> ReviewDecision:
        return ReviewDecision(actor=actor, **self.model_dump())


class ExtensionBody(Body):
    new_due: Day
    reason: Reason

    def request(self, actor: Actor) -> DeadlineExtension:
        return DeadlineExtension(actor=actor, **self.model_dump())


class ReassignmentBody(Body):
    lead: Annotated[list[Name], Field(min_length=1, max_length=10)]
    officer: Name | None = None
    reason: Reason

    @field_validator("lead")
    @classmethod
    def _each_unit_once(cls, lead: list[str]) -> list[str]:
        """A unit named twice, however spelled, would be notified twice under one key."""
        if len({unit_key(unit) for unit in lead}) != len(lead):
            raise ValueError("một đơn vị được ghi hai lần")
        return lead

    def request(self, actor: Actor) -> Reassignment:
        return Reassignment(actor=actor, lead=tuple(self.lead), officer=self.officer, reason=self.reason)


class WaiverBody(Body):
    reason: Reason
    # The amending document the stop cites, if any: both, or neither.
    document_number: Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)] = ""
    document_date: Day | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        stop_document(self.document_number, self.document_date)
        return self

    def request(self, actor: Actor) -> Waiver:
        amendment = stop_document(self.document_number, self.document_date)
        return Waiver(actor=actor, reason=self.reason, amendment=amendment)


# --- answers ---------------------------------------------------------------------------------


class Problem(BaseModel):
    detail: str  # one short phrase, Vietnamese


class FieldProblem(BaseModel):
    loc: list[str]
    message: str


class ValidationProblem(BaseModel):
    detail: str
    errors: list[FieldProblem] = []  # empty when the problem is not one field's


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    commune: str | None
    units: list[str]


class TaskOut(BaseModel):
    """A task as `cchc task list --json` shows it (services.task_documents.summary_document), and more."""

    id: str
    url: str  # the task page
    commune: str
    plan_id: int
    task_code: str
    occurrence_key: str
    title: str
    state: str
    state_label: str
    due_date: date
    lead: list[str]
    overdue: bool
    days_late: int
    escalation_level: int
    updated_at: datetime
    unreachable: bool  # a lead unit has nobody in the people directory to email
    urgency: str  # red, amber, green, done


class TaskListOut(BaseModel):
    today: date
    tasks: list[TaskOut]


class EvidenceOut(BaseModel):
    document_number: str
    document_date: date | None
    title: str
    sha256: str
    submitted_by: str
    submitted_at: datetime
    download_url: str


class EventOut(BaseModel):
    seq: int
    at: datetime
    kind: str
    kind_label: str
    state: str
    actor: str
    role: str
    detail: str
    data: dict[str, Any]


class TaskDetailOut(TaskOut):
    plan_number: str
    progress: int | None
    officer: str | None
    evidence: list[EvidenceOut]
    timeline: list[EventOut]
    actions: list[str]  # what the signed-in user may do now


class StoredEvidenceOut(BaseModel):
    sha256: str
    size: int
    media_type: str
    created: bool  # False: the same content was already stored
