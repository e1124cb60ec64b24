"""What crosses the workflow boundary: inputs, update requests, queries, activity inputs.

Pydantic models, carried by temporalio's pydantic data converter. Pure: imported by the
workflow sandbox, the worker, the CLI and the web alike.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain.lifecycle import TaskState
from domain.models import Occurrence, Plan, PlanSettings, Task
from domain.notifications import Notice
from domain.roles import LEADERS, Action, Actor, Role
from domain.units import unit_key
from domain.vocabulary import label

TASK_QUEUE = "cchc-tasks"
# Activity names: the workflow calls activities by name, so it never imports I/O code.
RECORD_EVENT = "record_task_event"
# The error type of an event the database refuses: retrying cannot fix it. Its detail is the
# reason, a short phrase for people.
INVALID_EVENT = "InvalidEvent"
# What records, in an event's place, that the database refused it (RefusedRecord).
RECORD_REFUSED = "record_refused_event"
# Continue-as-new well before Temporal's 51,200-event limit.
DEFAULT_HISTORY_LIMIT = 10_000


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Who may do what. Officers work only on their own units' tasks, a vice chairman only on the
# tasks of the units in his charge; the office confirms completion of every task but those its
# own unit leads, which a leader confirms (see `permission_problem`).
_WORKERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.CHAIRMAN, Role.VICE_CHAIRMAN})
ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.ACKNOWLEDGE: _WORKERS,
    Action.REPORT_PROGRESS: _WORKERS,
    Action.SUBMIT_EVIDENCE: _WORKERS,
    Action.REVIEW: LEADERS | {Role.REVIEWER},
    Action.EXTEND_DEADLINE: LEADERS,
    Action.REASSIGN: LEADERS,
    Action.WAIVE: LEADERS,
}
# Roles that act only on the tasks of their units (`Actor.units`).
SCOPED_ROLES = frozenset({Role.OFFICER, Role.VICE_CHAIRMAN})


def permission_problem(actor: Actor, action: Action, lead: tuple[str, ...]) -> str | None:
    """Why `actor` may not do `action` on a task led by `lead`, or None when allowed.

    Shared by the workflow's update validators and the web/CLI (to offer only allowed actions).
    """
    if actor.role not in ALLOWED_ROLES[action]:
        return f"{label(actor.role)} không có quyền {label(action)}"
    if actor.role is Role.OFFICER and not shares_a_unit(actor.units, lead):
        return f"{actor.user} không thuộc đơn vị chủ trì nhiệm vụ ({', '.join(lead)})"
    if actor.role is Role.VICE_CHAIRMAN and not shares_a_unit(actor.units, lead):
        return f"{actor.user} không phụ trách đơn vị chủ trì nhiệm vụ ({', '.join(lead)})"
    if action is Action.REVIEW and actor.role is Role.REVIEWER and shares_a_unit(actor.units, lead):
        return (
            f"Văn phòng không tự xác nhận hoàn thành nhiệm vụ do chính mình chủ trì ({', '.join(lead)}); "
            "lãnh đạo phụ trách xác nhận"
        )
    return None


def shares_a_unit(units: tuple[str, ...], lead: tuple[str, ...]) -> bool:
    """Whether any of `units` is one of `lead`, however each is spelled."""
    return bool({unit_key(u) for u in units} & {unit_key(u) for u in lead})


def task_workflow_id(plan_id: int, task_code: str, occurrence_key: str) -> str:
    """One workflow per task occurrence: starting a plan twice never duplicates one."""
    return f"cchc-task/{plan_id}/{task_code}/{occurrence_key}"


class TaskInput(Contract):
    commune: str
    plan_id: int
    plan_number: str
    task_code: str
    occurrence_key: str
    title: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...] = ()
    due: date  # Asia/Ho_Chi_Minh day; the deadline is the end of that day
    settings: PlanSettings = PlanSettings()
    # Simulation only (demo, tests): the task's clock runs this far ahead of Temporal's.
    clock_offset: timedelta = timedelta(0)
    # Continue-as-new once the run's history has this many events (tests set it low).
    history_limit: int = Field(default=DEFAULT_HISTORY_LIMIT, ge=20)
    carried: TaskSnapshot | None = None  # state handed over by continue-as-new


class Acknowledge(Contract):
    actor: Actor
    note: str = ""


class ProgressReport(Contract):
    actor: Actor
    percent: int = Field(ge=0, le=100)
    note: str = ""


class EvidenceSubmission(Contract):
    actor: Actor
    document_number: str  # e.g. "15/QĐ-UBND"
    document_date: date
    title: str
    file_ref: str  # where the file lives in our evidence store
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    issuer: str = ""  # "Đảng ủy xã Vĩnh Khê"; empty: the commune's UBND


class ReviewDecision(Contract):
    actor: Actor
    approve: bool
    comment: str = ""


class AmendmentRef(Contract):
    """The document that changed a started plan ("Kế hoạch điều chỉnh, bổ sung", or a corrected
    version of the plan itself): the reason a change reaches a running task."""

    number: str  # "25/KH-UBND"
    issued: date
    title: str = ""

    def cite(self) -> str:
        return f"theo văn bản số {self.number} ngày {self.issued:%d/%m/%Y}"


class DeadlineExtension(Contract):
    actor: Actor
    new_due: date
    reason: str = Field(min_length=1)
    # Set when an amendment moves the due date: it may then also come earlier.
    amendment: AmendmentRef | None = None


class Reassignment(Contract):
    actor: Actor
    lead: tuple[str, ...] = Field(min_length=1)
    officer: str | None = None
    reason: str = Field(min_length=1)
    amendment: AmendmentRef | None = None


class Waiver(Contract):
    """Stopping a task (dừng thực hiện). Citing the amending document that took it out of the
    plan keeps it out of the on-time rate; without one it counts there as not done."""

    actor: Actor
    reason: str = Field(min_length=1)
    amendment: AmendmentRef | None = None


def stop_document(number: str, issued: date | None) -> AmendmentRef | None:
    """The amending document a stop cites, from a form's number and date: both, or neither."""
    number = number.strip()
    if not number and issued is None:
        return None
    if not number or issued is None:
        raise ValueError("văn bản điều chỉnh phải ghi cả số và ngày ban hành, hoặc bỏ trống cả hai")
    return AmendmentRef(number=number, issued=issued)


class Evidence(Contract):
    document_number: str
    document_date: date
    title: str
    file_ref: str
    sha256: str
    submitted_by: str
    submitted_at: datetime
    issuer: str = ""  # empty: the commune's UBND


class TimelineEntry(Contract):
    seq: int
    at: datetime
    kind: str  # lifecycle event or alarm: "submit_evidence", "reminder", "escalation" ...
    state: TaskState  # the state after it
    actor: str
    role: Role
    detail: str = ""
    data: dict[str, Any] = Field(default_factory=dict)  # the event's particulars: level, new due, evidence ...


class RefusedRecord(Contract):
    """The event that stands in SQL for one the database refused: at its seq, written only of
    values the workflow made itself (its id, numbers, its state, a fixed phrase), so it cannot
    be refused in turn. A PAR round's (`year` given) goes to its `round_events`, a task's to
    `task_events`."""

    workflow_id: str
    commune: str
    year: int | None = None
    seq: int
    at: datetime
    state: str  # the workflow's state once the refused entry is undone
    refused: str  # the kind of the refused entry
    detail: str  # "ghi nhận bị từ chối: " and the reason


class TaskSnapshot(Contract):
    """Everything the workflow knows; the query answer and the continue-as-new hand-over."""

    state: TaskState = TaskState.ASSIGNED
    due: date
    lead: tuple[str, ...]
    officer: str | None = None  # the officer named by a reassignment, if any
    progress: int = 0
    evidence: tuple[Evidence, ...] = ()
    reminders_sent: tuple[int, ...] = ()
    escalation_level: int = 0
    last_escalated_on: date | None = None
    next_seq: int = 1
    timeline: tuple[TimelineEntry, ...] = ()


TaskInput.model_rebuild()


def task_input(
    plan: Plan, plan_id: int, task: Task, occurrence: Occurrence, *, clock_offset: timedelta = timedelta(0)
) -> TaskInput:
    """The workflow input of one occurrence of a stored plan's task."""
    return TaskInput(
        commune=plan.commune,
        plan_id=plan_id,
        plan_number=plan.number,
        task_code=task.code,
        occurrence_key=occurrence.key,
        title=task.title,
        lead=task.lead,
        coordinating=task.coordinating,
        due=occurrence.due_date,
        settings=plan.settings,
        clock_offset=clock_offset,
    )


class RecordedEvent(Contract):
    """Activity input: one lifecycle event for the SQL read model and the audit log.

    Idempotent on (workflow_id, seq): a retried activity never writes twice.
    """

    workflow_id: str
    commune: str
    plan_id: int
    plan_number: str = ""
    task_code: str
    occurrence_key: str
    title: str = ""
    entry: TimelineEntry
    due: date
    lead: tuple[str, ...]
    escalation_level: int = 0
    notify: tuple[Notice, ...] = ()  # notifications to put in the outbox with it
