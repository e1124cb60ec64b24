"""The year-end PAR round of one commune as pure rules: its states, who moves it, and which
deadline is in force for its reminders and escalation.

    open → approved (chairman) → submitted (office or chairman)
    submitted → explanation_requested (appraiser) → explained (office or chairman) → ...
    submitted | explained → published (appraiser)

The appraiser scores sub-criteria while the round is submitted or explained. The chairman
approves only a sheet that could be submitted (`approval_problem`); a change to the sheet after
that voids the approval (`RoundEntryKind.APPROVAL_VOIDED`, `approval_voided`): what is submitted
is what the chairman saw. Until submission the submission deadline is in force; while an explanation
is asked for, the explanation deadline. The reminders and escalations before and after it are
the tasks' own (`domain.alerts.next_alarm`, on working days, escalating to the chairman).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class RoundState(StrEnum):
    OPEN = "open"  # the office drafts the self-assessment
    APPROVED = "approved"
    SUBMITTED = "submitted"
    EXPLANATION_REQUESTED = "explanation_requested"
    EXPLAINED = "explained"
    PUBLISHED = "published"


class RoundEvent(StrEnum):
    APPROVE = "approve"
    REOPEN = "reopen"
    SUBMIT = "submit"
    APPRAISE = "appraise"
    REQUEST_EXPLANATION = "request_explanation"
    ANSWER = "answer"
    PUBLISH = "publish"


class RoundEntryKind(StrEnum):
    """What one entry of a round's timeline records: its opening, a step, or its own alarms and
    the voiding of the chairman's approval when the sheet changed after it (back to drafting)."""

    OPEN = "open"
    APPROVE = "approve"
    REOPEN = "reopen"
    SUBMIT = "submit"
    APPRAISE = "appraise"
    REQUEST_EXPLANATION = "request_explanation"
    ANSWER = "answer"
    PUBLISH = "publish"
    APPROVAL_VOIDED = "approval_voided"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    RECORD_REFUSED = "record_refused"  # stands in SQL for an entry the database refused


class RoundRole(StrEnum):
    CHAIRMAN = "chairman"
    OFFICE = "office"  # Văn phòng, who drafts and answers
    APPRAISER = "appraiser"  # the supervising authority's appraisal team


_S, _E, _R = RoundState, RoundEvent, RoundRole

_TRANSITIONS: dict[tuple[RoundState, RoundEvent], RoundState] = {
    (_S.OPEN, _E.APPROVE): _S.APPROVED,
    (_S.APPROVED, _E.REOPEN): _S.OPEN,
    (_S.APPROVED, _E.SUBMIT): _S.SUBMITTED,
    (_S.SUBMITTED, _E.APPRAISE): _S.SUBMITTED,
    (_S.EXPLAINED, _E.APPRAISE): _S.EXPLAINED,
    (_S.SUBMITTED, _E.REQUEST_EXPLANATION): _S.EXPLANATION_REQUESTED,
    (_S.EXPLAINED, _E.REQUEST_EXPLANATION): _S.EXPLANATION_REQUESTED,
    (_S.EXPLANATION_REQUESTED, _E.ANSWER): _S.EXPLAINED,
    (_S.SUBMITTED, _E.PUBLISH): _S.PUBLISHED,
    (_S.EXPLAINED, _E.PUBLISH): _S.PUBLISHED,
}

_WHO: dict[RoundEvent, frozenset[RoundRole]] = {
    _E.APPROVE: frozenset({_R.CHAIRMAN}),
    _E.REOPEN: frozenset({_R.CHAIRMAN, _R.OFFICE}),
    _E.SUBMIT: frozenset({_R.CHAIRMAN, _R.OFFICE}),
    _E.ANSWER: frozenset({_R.CHAIRMAN, _R.OFFICE}),
    _E.APPRAISE: frozenset({_R.APPRAISER}),
    _E.REQUEST_EXPLANATION: frozenset({_R.APPRAISER}),
    _E.PUBLISH: frozenset({_R.APPRAISER}),
}

_REASONS = {
    _E.APPROVE: "chỉ phê duyệt bản tự chấm đang soạn",
    _E.REOPEN: "chỉ sửa lại bản tự chấm đã phê duyệt mà chưa gửi",
    _E.SUBMIT: "chỉ gửi bản tự chấm đã được Chủ tịch phê duyệt",
    _E.APPRAISE: "chỉ thẩm định hồ sơ đã gửi",
    _E.REQUEST_EXPLANATION: "chỉ yêu cầu giải trình hồ sơ đã gửi",
    _E.ANSWER: "chỉ giải trình khi được yêu cầu",
    _E.PUBLISH: "chỉ công bố khi không còn yêu cầu giải trình đang chờ",
}


@dataclass(frozen=True)
class RoundDates:
    """What the supervising authority sets when it opens the round."""

    opens: date  # self-assessment opens
    submission_due: date
    explanation_due: date  # answers to the appraisal's questions

    def problem(self) -> str | None:
        if not self.opens <= self.submission_due < self.explanation_due:
            return (
                f"ngày mở ({self.opens:%d/%m/%Y}), hạn gửi ({self.submission_due:%d/%m/%Y}) và hạn giải trình "
                f"({self.explanation_due:%d/%m/%Y}) phải theo thứ tự đó"
            )
        return None


@dataclass(frozen=True)
class Refused:
    reason: str


def move(state: RoundState, event: RoundEvent, role: RoundRole) -> RoundState | Refused:
    """The state after `event` by someone of `role`, or why not."""
    from domain.vocabulary import label  # here: the vocabulary keys this module's enums

    if role not in _WHO[event]:
        allowed = " hoặc ".join(label(r) for r in RoundRole if r in _WHO[event])
        return Refused(f"chỉ {allowed} được {label(RoundEntryKind(event))}")
    if state is _S.PUBLISHED:
        return Refused("kết quả đã công bố, không thể thay đổi")
    target = _TRANSITIONS.get((state, event))
    if target is None:
        return Refused(f"{_REASONS[event]} (trạng thái hiện tại: {label(state)})")
    return target


def submission_problem(blocking: list[str]) -> str | None:
    """Why the sheet cannot be submitted: sub-criteria without evidence nor explanation."""
    if blocking:
        return f"còn tiêu chí không có tài liệu kiểm chứng mà chưa giải trình: {', '.join(blocking)}"
    return None


def approval_problem(blocking: list[str]) -> str | None:
    """Why the chairman cannot approve the sheet yet: what would keep it from being submitted."""
    problem = submission_problem(blocking)
    return f"chưa thể phê duyệt: {problem}" if problem else None


def approval_voided(changed: list[str]) -> str:
    """Why a submission is refused when the sheet changed after the chairman approved it."""
    return (
        f"bản tự chấm đã thay đổi sau khi Chủ tịch phê duyệt (tiêu chí {', '.join(changed)}): "
        "phê duyệt bị hủy, cần Chủ tịch phê duyệt lại trước khi gửi"
    )


def deadline_in_force(state: RoundState, dates: RoundDates) -> date | None:
    """The date the round's reminders and escalation count towards; None when none runs."""
    if state in (_S.OPEN, _S.APPROVED):
        return dates.submission_due
    if state is _S.EXPLANATION_REQUESTED:
        return dates.explanation_due
    return None
