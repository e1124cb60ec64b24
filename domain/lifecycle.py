"""The task lifecycle as a pure transition function.

    assigned → in_progress → evidence_submitted → under_review → approved
    under_review → returned → in_progress (rework)
    any open state → waived | cancelled (chairman)

`approved`, `waived` and `cancelled` are final: nothing leaves them. The deadline
clock runs until the task is final. Workflows hold no rule of their own: they ask
`transition(state, event)` and record what it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TaskState(StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    APPROVED = "approved"
    WAIVED = "waived"
    CANCELLED = "cancelled"


class TaskEvent(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    REPORT_PROGRESS = "report_progress"
    SUBMIT_EVIDENCE = "submit_evidence"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    RETURN = "return"
    EXTEND_DEADLINE = "extend_deadline"
    REASSIGN = "reassign"
    WAIVE = "waive"
    CANCEL = "cancel"


class TaskEntryKind(StrEnum):
    """What one entry of a task's timeline records: its assignment, a lifecycle event, or an alarm."""

    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"
    REPORT_PROGRESS = "report_progress"
    SUBMIT_EVIDENCE = "submit_evidence"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    RETURN = "return"
    EXTEND_DEADLINE = "extend_deadline"
    REASSIGN = "reassign"
    WAIVE = "waive"
    CANCEL = "cancel"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    RECORD_REFUSED = "record_refused"  # stands in SQL for an entry the database refused


FINAL_STATES = frozenset({TaskState.APPROVED, TaskState.WAIVED, TaskState.CANCELLED})

_S, _E = TaskState, TaskEvent

# (state, event) -> next state. Events that keep the task open but change no state
# (extend, reassign, progress while in progress) map a state onto itself.
_TRANSITIONS: dict[tuple[TaskState, TaskEvent], TaskState] = {
    (_S.ASSIGNED, _E.ACKNOWLEDGE): _S.IN_PROGRESS,
    (_S.ASSIGNED, _E.REPORT_PROGRESS): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _E.REPORT_PROGRESS): _S.IN_PROGRESS,
    (_S.RETURNED, _E.ACKNOWLEDGE): _S.IN_PROGRESS,
    (_S.RETURNED, _E.REPORT_PROGRESS): _S.IN_PROGRESS,
    (_S.IN_PROGRESS, _E.SUBMIT_EVIDENCE): _S.EVIDENCE_SUBMITTED,
    (_S.RETURNED, _E.SUBMIT_EVIDENCE): _S.EVIDENCE_SUBMITTED,
    (_S.EVIDENCE_SUBMITTED, _E.SUBMIT_EVIDENCE): _S.EVIDENCE_SUBMITTED,
    (_S.EVIDENCE_SUBMITTED, _E.START_REVIEW): _S.UNDER_REVIEW,
    (_S.UNDER_REVIEW, _E.APPROVE): _S.APPROVED,
    (_S.UNDER_REVIEW, _E.RETURN): _S.RETURNED,
}

_ANY_OPEN_STATE = {
    _E.EXTEND_DEADLINE: None,  # None: the state stays as it is
    _E.REASSIGN: None,
    _E.WAIVE: _S.WAIVED,
    _E.CANCEL: _S.CANCELLED,
}

_REASONS: dict[TaskEvent, str] = {
    _E.ACKNOWLEDGE: "chỉ nhận nhiệm vụ khi nhiệm vụ vừa được giao hoặc bị trả lại",
    _E.REPORT_PROGRESS: "chỉ báo cáo tiến độ khi nhiệm vụ đang thực hiện",
    _E.SUBMIT_EVIDENCE: "chỉ nộp sản phẩm khi nhiệm vụ đang thực hiện hoặc bị trả lại",
    _E.START_REVIEW: "chỉ kiểm tra khi đã có sản phẩm được nộp",
    _E.APPROVE: "chỉ xác nhận hoàn thành nhiệm vụ đang được kiểm tra",
    _E.RETURN: "chỉ trả lại nhiệm vụ đang được kiểm tra",
}


@dataclass(frozen=True)
class Rejected:
    """An event the lifecycle does not allow, with the reason for people."""

    state: TaskState
    event: TaskEvent
    reason: str


def transition(state: TaskState, event: TaskEvent) -> TaskState | Rejected:
    """The state after `event`, or why `event` is not allowed in `state`."""
    from domain.vocabulary import label  # here: the vocabulary keys this module's enums

    if state in FINAL_STATES:
        return Rejected(state, event, f"nhiệm vụ đã kết thúc ({label(state)}), không thể thay đổi")
    if event in _ANY_OPEN_STATE:
        return _ANY_OPEN_STATE[event] or state
    target = _TRANSITIONS.get((state, event))
    if target is None:
        return Rejected(state, event, f"{_REASONS[event]} (trạng thái hiện tại: {label(state)})")
    return target


def is_final(state: TaskState) -> bool:
    return state in FINAL_STATES
