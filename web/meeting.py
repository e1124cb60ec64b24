"""The weekly meeting's list (họp giao ban): the overdue tasks by unit, with who was warned of
each (the reminders and overdue warnings the outbox raised, and the people emailed), and the
tasks due in the coming week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.calendar import TZ
from domain.models import CommuneKind
from domain.notifications import NotificationKind
from persistence.mail_tables import EmailRow
from persistence.tables import CommuneRow
from persistence.task_tables import NotificationRow

WARNINGS = (NotificationKind.REMINDER, NotificationKind.ESCALATION)


@dataclass(frozen=True)
class WarningSent:
    """One reminder or overdue warning about a task: when, and to whom (the people emailed,
    else the unit it was raised for)."""

    kind: NotificationKind
    on: date
    to: tuple[str, ...]


def warnings_of(session: Session, workflow_ids: Iterable[str]) -> dict[str, list[WarningSent]]:
    """The reminders and overdue warnings raised about each task, oldest first."""
    query = (
        select(NotificationRow)
        .where(NotificationRow.workflow_id.in_(list(workflow_ids)))
        .where(NotificationRow.kind.in_([kind.value for kind in WARNINGS]))
        .order_by(NotificationRow.created_at, NotificationRow.id)
    )
    notifications = list(session.scalars(query))
    emailed = _people_emailed(session, [row.id for row in notifications])
    # The notices of one warning (the leader in charge and the unit's head, say) as one line.
    found: dict[str, dict[tuple[NotificationKind, date], tuple[str, ...]]] = {}
    for row in notifications:
        to = emailed.get(row.id) or ((row.unit,) if row.unit else ())
        key = (NotificationKind(row.kind), row.created_at.astimezone(TZ).date())
        earlier = found.setdefault(row.workflow_id, {}).get(key, ())
        found[row.workflow_id][key] = earlier + tuple(name for name in to if name not in earlier)
    return {
        workflow_id: [WarningSent(kind, on, to) for (kind, on), to in lines.items()]
        for workflow_id, lines in found.items()
    }


def _people_emailed(session: Session, notification_ids: list[int]) -> dict[int, tuple[str, ...]]:
    query = select(EmailRow.notification_id, EmailRow.recipients).where(EmailRow.notification_id.in_(notification_ids))
    people: dict[int, tuple[str, ...]] = {}
    for notification_id, recipients in session.execute(query):
        if notification_id is not None:
            people[notification_id] = people.get(notification_id, ()) + tuple(person["name"] for person in recipients)
    return people


def commune_kind(session: Session, name: str | None) -> CommuneKind | None:
    """Whether the commune is a xã, a phường or a đặc khu, if known."""
    if name is None:
        return None
    kind = session.scalar(select(CommuneRow.kind).where(CommuneRow.name == name))
    return CommuneKind(kind) if kind else None
