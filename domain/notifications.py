"""The kinds of email the product sends and where each one stands in the outbox."""

from __future__ import annotations

from enum import StrEnum


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
