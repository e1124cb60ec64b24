"""The emails a PAR round's events raise (`domain.notifications.ROUND_NOTICES`), as outbox
rows with what their templates need."""

from __future__ import annotations

from domain.assessment_round import RoundEntryKind
from domain.notifications import ROUND_NOTICES, notices_of
from notifications.raised import outbox_rows
from persistence.task_tables import NotificationRow
from workflows.round_contracts import RoundRecord


def round_notices(record: RoundRecord) -> list[NotificationRow]:
    """The outbox rows of one recorded round event (none for most steps)."""
    entry = record.entry
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
    notices = notices_of(ROUND_NOTICES.get(RoundEntryKind(entry.kind)))
    return outbox_rows(
        workflow_id=record.workflow_id,
        commune=record.commune,
        seq=entry.seq,
        at=entry.at,
        notices=notices,
        payload=payload,
    )
