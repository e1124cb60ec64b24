"""A plan's year as the evidence package and the December work list read it: every task
occurrence, its due date in force, when it was approved, and the evidence approved with it,
all from the audit log (so "as it stood on a day" is the same reading of fewer events).

The approved evidence of an occurrence is what was submitted since its last return (or its
start) when the office approved it: a returned submission is not evidence. Occurrences group
by the task's PAR sub-criterion codes (`Task.criteria`), or by its section when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from domain.lifecycle import TaskState, is_final
from domain.models import Occurrence, Plan, Task
from domain.on_time import Standings, days_late, standings
from domain.task_events import EvidenceSubmitted, TaskHistory, task_history
from evidence.audit_log import events_by_task
from evidence.paths import safe_name
from persistence.plans import load_plan
from persistence.task_tables import TaskEventRow
from workflows.contracts import task_workflow_id


@dataclass(frozen=True)
class Group:
    """A PAR sub-criterion (kind "criterion", code "7.1.5") or a plan section ("section", "II")."""

    kind: str
    code: str

    @property
    def folder(self) -> str:
        return f"{'tieu-chi' if self.kind == 'criterion' else 'muc'}-{safe_name(self.code)}"

    @property
    def label(self) -> str:
        return f"{'Tiêu chí' if self.kind == 'criterion' else 'Mục'} {self.code}"


def groups_of(criteria: tuple[str, ...], section: str) -> tuple[Group, ...]:
    """Where a task's evidence goes: each of its sub-criteria, else its section."""
    return tuple(Group("criterion", code) for code in criteria) or (Group("section", section),)


@dataclass(frozen=True)
class Document:
    """One approved evidence document."""

    number: str  # "15/QĐ-UBND"
    day: date
    title: str
    sha256: str
    issuer: str = ""  # empty: the commune's UBND


@dataclass(frozen=True)
class OccurrenceRecord:
    workflow_id: str
    section: str
    task_code: str
    title: str
    criteria: tuple[str, ...]
    lead: tuple[str, ...]
    occurrence_key: str
    period: str  # "Quý I/2024"
    due: date  # in force: an extension moves it
    state: TaskState | None  # None: its workflow never recorded anything
    approved_at: datetime | None
    evidence: tuple[Document, ...]
    history: TaskHistory  # what its events leave: its deadlines, accepted document, how it was stopped

    @property
    def groups(self) -> tuple[Group, ...]:
        return groups_of(self.criteria, self.section)

    @property
    def approved(self) -> bool:
        return self.state is TaskState.APPROVED

    @property
    def plan_due(self) -> date:
        """The issued plan's deadline, or an amending plan's: a leader's extension does not move it."""
        return self.history.plan_due

    @property
    def to_do(self) -> bool:
        """Not waived nor cancelled: it counts against the year."""
        return self.state not in (TaskState.WAIVED, TaskState.CANCELLED)

    def standings(self, as_of: datetime) -> Standings:
        """On time or not by the plan and as directed, at `as_of` (`domain.on_time`)."""
        return standings(self.history, self.state, as_of)

    @property
    def open(self) -> bool:
        return self.state is None or not is_final(self.state)

    @property
    def days_late(self) -> int | None:
        """Days its accepted document is dated after the plan's deadline, 0 when on time by the
        plan (`domain.on_time`); None if not approved."""
        return days_late(self.history, self.state)

    def days_overdue(self, on: date) -> int:
        """Days past the due date by `on`, for an occurrence still open; else 0."""
        return max(0, (on - self.due).days) if self.open else 0


def year_records(
    session: Session, plan_id: int, *, until: datetime | None = None
) -> tuple[Plan, list[OccurrenceRecord]]:
    """The stored plan and a record per occurrence of its tasks, in the plan's order, from the
    audit log's events (those up to `until` only, when given)."""
    plan = load_plan(session, plan_id)
    occurrences = [(t, o, task_workflow_id(plan_id, t.code, o.key)) for t in plan.tasks for o in t.occurrences]
    events = events_by_task(session, [workflow_id for _, _, workflow_id in occurrences], TaskEventRow)
    records = []
    for task, occurrence, workflow_id in occurrences:
        happened = [event for event in events.get(workflow_id, []) if until is None or event.at <= until]
        records.append(_record(workflow_id, task, occurrence, happened))
    return plan, records


def _record(workflow_id: str, task: Task, occurrence: Occurrence, events: list[TaskEventRow]) -> OccurrenceRecord:
    """The occurrence after `events`: its state, due date and lead in force, its approval."""
    history = task_history((event.entry() for event in events), due=occurrence.due_date, lead=task.lead)
    approved = tuple(_document(submission.document) for submission in history.approved)
    return OccurrenceRecord(
        workflow_id=workflow_id,
        section=task.section,
        task_code=task.code,
        title=task.title,
        criteria=task.criteria,
        lead=history.lead,
        occurrence_key=occurrence.key,
        period=occurrence.period.label,
        due=history.due,
        state=history.state,
        approved_at=history.approved_at,
        evidence=approved,
        history=history,
    )


def _document(submitted: EvidenceSubmitted) -> Document:
    return Document(
        submitted.document_number, submitted.document_date, submitted.title, submitted.sha256, submitted.issuer
    )
