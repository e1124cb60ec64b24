"""The outbox rows an event raises, for a task's events and a round's alike: written with the
event, in its transaction, each keyed by the event and its addressee so that one event never
raises the same email twice. Who is told of what is `domain.notifications`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.notifications import EmailStatus, Notice
from persistence.task_tables import NotificationRow


def outbox_rows(
    *, workflow_id: str, commune: str, seq: int, at: datetime, notices: Iterable[Notice], payload: dict[str, Any]
) -> list[NotificationRow]:
    """One pending row per notice of the event `seq` of `workflow_id`, created at the event's instant."""
    return [
        NotificationRow(
            dedup_key=f"{workflow_id}/{seq}/{notice.kind.value}/{notice.address}",
            kind=notice.kind.value,
            workflow_id=workflow_id,
            commune=commune,
            recipient=notice.recipient.value,
            unit=notice.unit,
            payload=payload,
            status=EmailStatus.PENDING.value,
            created_at=at,  # the workflow clock's instant of the event that raised it
            sent_at=None,
        )
        for notice in notices
    ]
