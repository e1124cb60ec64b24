"""The kinds of email the product sends, who hears of what, and where each email stands in
the outbox. `TASK_NOTICES` and `ROUND_NOTICES` are the one place that decides who is told of
an entry of a task's or a round's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.assessment_round import RoundEntryKind
from domain.lifecycle import TaskEntryKind
from domain.units import is_generic


class NotificationKind(StrEnum):
    ASSIGNMENT = "assignment"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    EXTENDED = "extended"
    WAIVED = "waived"
    REASSIGNED = "reassigned"
    ROUND_REMINDER = "round_reminder"
    ROUND_ESCALATION = "round_escalation"
    ROUND_APPROVAL_VOIDED = "round_approval_voided"
    ROUND_EXPLANATION_REQUESTED = "round_explanation_requested"
    ROUND_PUBLISHED = "round_published"
    DIGEST_DAILY = "digest_daily"
    DIGEST_WEEKLY = "digest_weekly"


class Recipient(StrEnum):
    OFFICERS = "officers"  # the officers of one lead unit
    DEPARTMENT_HEAD = "department_head"  # the head of one unit
    CHAIRMAN = "chairman"
    REVIEWER = "reviewer"  # Văn phòng, which checks and confirms completion
    LEADER_IN_CHARGE = "leader_in_charge"  # the Phó Chủ tịch in charge of one unit, else the Chủ tịch
    CONFIRMER = "confirmer"  # who confirms one unit's tasks: the office, or the leader in charge of the office's own
    COORDINATING = "coordinating"  # the officers of one coordinating unit (phối hợp)


# Recipients of one lead unit each; COORDINATING is one per coordinating unit.
UNIT_RECIPIENTS = frozenset(
    {Recipient.OFFICERS, Recipient.DEPARTMENT_HEAD, Recipient.LEADER_IN_CHARGE, Recipient.CONFIRMER}
)


class Notice(BaseModel):
    """One notification to put in the outbox with an event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: NotificationKind
    recipient: Recipient
    unit: str | None = None  # for the unit recipients (UNIT_RECIPIENTS) and COORDINATING

    @property
    def address(self) -> str:
        """Who it goes to, as one string: "chairman", "officers:Tư pháp"."""
        return f"{self.recipient.value}:{self.unit}" if self.unit else self.recipient.value


Rule = tuple[NotificationKind, tuple[Recipient, ...]]
_R, _K = Recipient, NotificationKind

# An entry of a task's timeline -> the email it raises and who gets it (a unit's recipients:
# those of each lead unit; a reassignment's: those of the units it takes the task from; the
# coordinating units' officers hear of the assignment). The chairman sees every late task in
# the daily digest; the escalation email goes to the leader in charge of each lead unit.
TASK_NOTICES: dict[TaskEntryKind, Rule] = {
    TaskEntryKind.ASSIGN: (_K.ASSIGNMENT, (_R.OFFICERS, _R.COORDINATING)),
    TaskEntryKind.REMINDER: (_K.REMINDER, (_R.OFFICERS,)),
    TaskEntryKind.ESCALATION: (_K.ESCALATION, (_R.LEADER_IN_CHARGE, _R.DEPARTMENT_HEAD)),
    TaskEntryKind.SUBMIT_EVIDENCE: (_K.EVIDENCE_SUBMITTED, (_R.CONFIRMER,)),
    TaskEntryKind.APPROVE: (_K.APPROVED, (_R.OFFICERS,)),
    TaskEntryKind.RETURN: (_K.RETURNED, (_R.OFFICERS,)),
    TaskEntryKind.EXTEND_DEADLINE: (_K.EXTENDED, (_R.OFFICERS,)),
    TaskEntryKind.REASSIGN: (_K.REASSIGNED, (_R.OFFICERS,)),
    TaskEntryKind.WAIVE: (_K.WAIVED, (_R.OFFICERS,)),
}

# An entry of a PAR round's timeline -> the email it raises and who gets it: the reminder to
# the office, which drafts; the escalation to the chairman, the office in copy; a voided
# approval to the chairman, who must approve again; an explanation asked for to the office and
# the chairman; the published result to both.
ROUND_NOTICES: dict[RoundEntryKind, Rule] = {
    RoundEntryKind.REMINDER: (_K.ROUND_REMINDER, (_R.REVIEWER,)),
    RoundEntryKind.ESCALATION: (_K.ROUND_ESCALATION, (_R.CHAIRMAN, _R.REVIEWER)),
    RoundEntryKind.APPROVAL_VOIDED: (_K.ROUND_APPROVAL_VOIDED, (_R.CHAIRMAN,)),
    RoundEntryKind.REQUEST_EXPLANATION: (_K.ROUND_EXPLANATION_REQUESTED, (_R.REVIEWER, _R.CHAIRMAN)),
    RoundEntryKind.PUBLISH: (_K.ROUND_PUBLISHED, (_R.CHAIRMAN, _R.REVIEWER)),
}


def task_notices(
    kind: TaskEntryKind,
    units: Sequence[str],
    *,
    level: int,
    emailed_levels: int,
    coordinating: Sequence[str] = (),
) -> tuple[Notice, ...]:
    """The notices an entry of a task's timeline raises: an escalation above the plan's
    `emailed_levels` emails nobody (each person gets at most that many warnings about one
    occurrence); it stays in the history, on the dashboard and in the daily digest."""
    if kind is TaskEntryKind.ESCALATION and level > emailed_levels:
        return ()
    return notices_of(TASK_NOTICES.get(kind), units, coordinating)


def notices_of(rule: Rule | None, units: Sequence[str] = (), coordinating: Sequence[str] = ()) -> tuple[Notice, ...]:
    """The notices a rule raises: one for each recipient, a unit's recipients once per unit
    (a coordinating unit's once per coordinating unit)."""
    if rule is None:
        return ()
    kind, recipients = rule
    found: list[Notice] = []
    for recipient in recipients:
        targets: Sequence[str | None] = (None,)
        if recipient in UNIT_RECIPIENTS:
            targets = units
        elif recipient is Recipient.COORDINATING:  # "Các bộ phận liên quan" is nobody in particular
            targets = [unit for unit in coordinating if not is_generic(unit)]
        found += [Notice(kind=kind, recipient=recipient, unit=unit) for unit in targets]
    return tuple(found)


# The PAR round's notifications (notifications/round_notices.py): their own context and layout.
ROUND_KINDS = frozenset(
    {
        NotificationKind.ROUND_REMINDER,
        NotificationKind.ROUND_ESCALATION,
        NotificationKind.ROUND_APPROVAL_VOIDED,
        NotificationKind.ROUND_EXPLANATION_REQUESTED,
        NotificationKind.ROUND_PUBLISHED,
    }
)


class EmailStatus(StrEnum):
    """pending → sending → sent, or back to pending after a failed attempt, or failed for good."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
