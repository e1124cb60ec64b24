"""The emails a PAR round's events raise, as outbox rows: written with the event, in its
transaction, keyed so that one event never raises the same email twice.

- reminder before the deadline in force → the commune's office (Văn phòng), which drafts;
- escalation after it → the chairman, the office in copy;
- the chairman's approval voided by a later change → the chairman, who must approve again;
- an explanation asked for → the office and the chairman: which sub-criteria, by when;
- the result published → the chairman and the office.
"""

from __future__ import annotations

from domain.assessment_round import RoundEntryKind
from domain.notifications import NotificationKind
from persistence.task_tables import NotificationRow
from workflows.contracts import Recipient
from workflows.round_contracts import RoundRecord

# entry kind -> (notification kind, who hears of it)
ROUND_NOTICES: dict[RoundEntryKind, tuple[NotificationKind, tuple[Recipient, ...]]] = {
    RoundEntryKind.REMINDER: (NotificationKind.ROUND_REMINDER, (Recipient.REVIEWER,)),
    RoundEntryKind.ESCALATION: (NotificationKind.ROUND_ESCALATION, (Recipient.CHAIRMAN, Recipient.REVIEWER)),
    RoundEntryKind.APPROVAL_VOIDED: (NotificationKind.ROUND_APPROVAL_VOIDED, (Recipient.CHAIRMAN,)),
    RoundEntryKind.REQUEST_EXPLANATION: (
        NotificationKind.ROUND_EXPLANATION_REQUESTED, (Recipient.REVIEWER, Recipient.CHAIRMAN)
    ),
    RoundEntryKind.PUBLISH: (NotificationKind.ROUND_PUBLISHED, (Recipient.CHAIRMAN, Recipient.REVIEWER)),
}


def round_notices(record: RoundRecord) -> list[NotificationRow]:
    """The outbox rows of one recorded round event (none for most steps)."""
    entry = record.entry
    if entry.kind not in ROUND_NOTICES:
        return []
    kind, recipients = ROUND_NOTICES[entry.kind]
    payload = {
        **entry.data,
        "year": record.year,
        "state": entry.state.value,
        "seq": entry.seq,
        "event": entry.kind,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "detail": entry.detail,
    }
    return [
        NotificationRow(
            dedup_key=f"{record.workflow_id}/{entry.seq}/{kind}/{recipient.value}",
            kind=kind.value,
            workflow_id=record.workflow_id,
            commune=record.commune,
            recipient=recipient.value,
            unit=None,
            payload=payload,
            status="pending",
            created_at=entry.at,
            sent_at=None,
        )
        for recipient in recipients
    ]
