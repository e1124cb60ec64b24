"""From the notification outbox to emails: one message per person, written before sending.

The task workflows put abstract notifications in the outbox (`notifications` table, with
their events): "escalation, to the chairman", "reminder, to the officers of Tư pháp". Routing
turns each into one email per person the directory names (`domain.people.addressed`), in
that person's language, rendered once and stored whole in `emails`, keyed by the
notification's key plus the address. Then the notification is marked routed, by a
conditional update in the same transaction: two routers on one database, or one run twice,
make each email once. A notification nobody can receive (no one in the directory) is marked
unroutable, kept, and routed again after the next `cchc people import`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from config import Settings
from domain.notifications import ROUND_KINDS, EmailStatus
from domain.people import Person, addressed, office_unit
from notifications.context import notification_context, round_context
from notifications.message import build_message, message_id_for, raw_bytes
from notifications.render import Rendered, render
from persistence.communes import commune_profile
from persistence.inserts import insert_if_missing
from persistence.mail_tables import EmailRow
from persistence.people import commune_people
from persistence.task_tables import NotificationRow
from services.people import shown_names

PENDING, ROUTED, UNROUTABLE = "pending", "routed", "unroutable"  # a notification's way to emails
BATCH = 200


@dataclass(frozen=True)
class Outbox:
    """Where emails come from and where their links point: from settings."""

    mail_from: str  # "CCHC Vĩnh Khê <cchc@vinhkhe.example.vn>"
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Outbox:
        return cls(mail_from=settings.mail_from, base_url=settings.public_base_url)

    @property
    def sender_address(self) -> str:
        return parseaddr(self.mail_from)[1]

    @property
    def domain(self) -> str:
        return self.sender_address.rpartition("@")[2] or "localhost"

    def enqueue(
        self,
        session: Session,
        *,
        key: str,
        kind: str,
        commune: str,
        person: Person,
        rendered: Rendered,
        now: datetime,
        workflow_id: str | None = None,
        notification_id: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Store the message for `person` under `key`, unless it exists; True if stored now."""
        message_id = message_id_for(key, self.domain)
        message = build_message(
            rendered,
            sender=self.mail_from,
            to=[(person.name, person.email)],
            message_id=message_id,
            date=now,
            headers=headers or {},
        )
        row = {
            "dedup_key": key,
            "kind": kind,
            "commune": commune,
            "notification_id": notification_id,
            "workflow_id": workflow_id,
            "language": person.language,
            "recipients": [{"name": person.name, "email": person.email}],
            "subject": rendered.subject,
            "message_id": message_id,
            "raw": raw_bytes(message),
            "status": EmailStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        return insert_if_missing(session, EmailRow, row, key=["dedup_key"])


@dataclass
class Routing:
    emails: int = 0
    unroutable: int = 0


def route_pending(session: Session, outbox: Outbox, now: datetime, limit: int = BATCH) -> Routing:
    """Turn pending notifications into emails; the caller commits."""
    routing = Routing()
    directories: dict[str, list[Person]] = {}
    names: dict[str, dict[str, str]] = {}
    query = select(NotificationRow).where(NotificationRow.status == PENDING).order_by(NotificationRow.id).limit(limit)
    for notification in session.scalars(query).all():
        if notification.commune not in directories:
            directories[notification.commune] = commune_people(session, notification.commune)
            names[notification.commune] = shown_names(session, notification.commune)
        people = addressed(directories[notification.commune], notification.recipient, notification.unit)
        if not _mark(session, notification.id, UNROUTABLE if not people else ROUTED):
            continue  # another router took it
        if not people:
            routing.unroutable += 1
        for person in people:
            routing.emails += _enqueue_notification(
                session,
                outbox,
                notification,
                person,
                now,
                office=office_unit(directories[notification.commune]),
                names=names[notification.commune],
            )
    return routing


def requeue_unroutable(session: Session, commune: str) -> int:
    """After the directory changed: route the commune's unroutable notifications again."""
    result = session.execute(
        update(NotificationRow)
        .where(NotificationRow.commune == commune, NotificationRow.status == UNROUTABLE)
        .values(status=PENDING)
    )
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a CursorResult, with its rowcount


def _mark(session: Session, notification_id: int, status: str) -> bool:
    result = session.execute(
        update(NotificationRow)
        .where(NotificationRow.id == notification_id, NotificationRow.status == PENDING)
        .values(status=status)
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a CursorResult, with its rowcount


def _enqueue_notification(
    session: Session,
    outbox: Outbox,
    notification: NotificationRow,
    person: Person,
    now: datetime,
    *,
    office: str | None,
    names: dict[str, str],
) -> bool:
    contextualise = round_context if notification.kind in ROUND_KINDS else notification_context
    context = contextualise(
        kind=notification.kind,
        commune=notification.commune,
        recipient=notification.recipient,
        unit=notification.unit,
        payload=notification.payload,
        workflow_id=notification.workflow_id,
        base_url=outbox.base_url,
        person_name=person.name,
        profile=commune_profile(session, notification.commune),
        office=office,
        names=names,
    )
    return outbox.enqueue(
        session,
        key=f"{notification.dedup_key}/{person.email}",
        kind=notification.kind,
        commune=notification.commune,
        person=person,
        rendered=render(notification.kind, person.language, context),
        now=now,
        workflow_id=notification.workflow_id,
        notification_id=notification.id,
        headers={"X-CCHC-Task": notification.workflow_id},
    )
