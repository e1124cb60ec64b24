"""Sending what the emails table holds: claim, send, mark, each step a conditional update.

A message is claimed (pending → sending, with a lease) in one transaction, sent outside any
transaction, and marked sent (sending → sent) in another. Each update checks its row count,
so of two senders on one database only one claims a message, and a retried step changes
nothing twice. A failed attempt goes back to pending with a growing delay (30 s doubling to
1 h, forever: nothing is dropped while the server is away); a permanent refusal (5xx,
recipient refused) ends as failed, with the server's words, for `cchc mail list`.

The one window SMTP leaves open: a sender that dies after the server accepted a message and
before marking it sent leaves a claim that expires (LEASE) and the message goes again. It
carries the same Message-ID, which mail systems use to drop the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.notifications import EmailStatus
from notifications.mailer import DeliveryFailed, Envelope, Mailer
from persistence.mail_tables import EmailRow

LEASE = timedelta(minutes=2)  # a claimed message's sender has this long before another may try
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 100


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 2, ...)."""
    return min(FIRST_RETRY * 2 ** (max(attempts, 1) - 1), LONGEST_RETRY)


def _sendable(now: datetime):
    """Due and pending, or claimed by a sender whose lease ran out."""
    return or_(
        and_(EmailRow.status == EmailStatus.PENDING, EmailRow.next_attempt_at <= now),
        and_(EmailRow.status == EmailStatus.SENDING, EmailRow.claimed_until < now),
    )


def due_ids(session: Session, now: datetime, limit: int = BATCH) -> list[int]:
    query = select(EmailRow.id).where(_sendable(now)).order_by(EmailRow.next_attempt_at, EmailRow.id).limit(limit)
    return list(session.scalars(query))


def claim(session: Session, email_id: int, now: datetime) -> bool:
    """Take the message for this sender; False if another sender has it or it is not due."""
    result = session.execute(
        update(EmailRow)
        .where(EmailRow.id == email_id, _sendable(now))
        .values(status=EmailStatus.SENDING, claimed_until=now + LEASE, attempts=EmailRow.attempts + 1)
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a CursorResult, with its rowcount


def mark_sent(session: Session, email_id: int, now: datetime) -> bool:
    result = session.execute(
        update(EmailRow)
        .where(EmailRow.id == email_id, EmailRow.status == EmailStatus.SENDING)
        .values(status=EmailStatus.SENT, sent_at=now, claimed_until=None, last_error=None)
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a CursorResult, with its rowcount


def mark_failed(session: Session, email_id: int, now: datetime, failure: DeliveryFailed) -> str:
    """Back to pending after a delay, or failed for good; the new status."""
    row = session.get(EmailRow, email_id)
    if row is None or row.status != EmailStatus.SENDING:
        return row.status if row else EmailStatus.FAILED
    row.last_error = failure.reason[:2000]
    row.claimed_until = None
    if failure.permanent:
        row.status = EmailStatus.FAILED
    else:
        row.status = EmailStatus.PENDING
        row.next_attempt_at = now + retry_delay(row.attempts)
    return row.status


def envelope_name(row: EmailRow) -> str:
    """The message's short name: its .eml file in the mail folder is named after it."""
    return f"{row.id:06d}-{row.kind}"


@dataclass
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class Sender:
    """Delivers the due messages of the emails table through its mailer."""

    def __init__(self, session_factory: sessionmaker[Session], mailer: Mailer, sender_address: str) -> None:
        self._sessions = session_factory
        self._mailer = mailer
        self._sender_address = sender_address

    async def deliver_due(self, now: datetime) -> Delivery:
        delivery = Delivery()
        with self._sessions() as session:
            ids = due_ids(session, now)
        for email_id in ids:
            envelope = self._claim(email_id, now)
            if envelope is None:
                continue
            try:
                await self._mailer.send(envelope)
            except DeliveryFailed as failure:
                with self._sessions.begin() as session:
                    status = mark_failed(session, email_id, now, failure)
                if status == EmailStatus.FAILED:
                    delivery.failed += 1
                else:
                    delivery.retrying += 1
                continue
            with self._sessions.begin() as session:
                mark_sent(session, email_id, now)
            delivery.sent += 1
        return delivery

    def _claim(self, email_id: int, now: datetime) -> Envelope | None:
        with self._sessions.begin() as session:
            if not claim(session, email_id, now):
                return None
            row = session.get(EmailRow, email_id)
            assert row is not None, f"email {email_id} was claimed in this transaction"
            return Envelope(
                name=envelope_name(row),
                sender=self._sender_address,
                recipients=[r["email"] for r in row.recipients],
                raw=row.raw,
            )
