"""The outbox relay: route pending notifications to emails, then deliver what is due.

Runs in `cchc up` and `cchc scheduler`, every `mail_poll_seconds`. Any number of relays may
share one database (conditional updates decide who does what). A pass that fails (the
database or the SMTP server away) is logged and the next pass tries again: the rows wait.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from domain.calendar import TZ
from notifications.delivery import Delivery, Sender
from notifications.mailer import Mailer, make_mailer
from notifications.outbox import Outbox, Routing, route_pending
from observability.metrics import Metrics

log = logging.getLogger(__name__)


@dataclass
class Relay:
    sessions: sessionmaker[Session]
    outbox: Outbox
    sender: Sender
    metrics: Metrics = field(default_factory=Metrics.none)

    async def run_once(self, now: datetime) -> tuple[Routing, Delivery]:
        with self.sessions.begin() as session:
            routing = route_pending(session, self.outbox, now)
        delivery = await self.sender.deliver_due(now)
        self.metrics.emails_sent.add(delivery.sent)
        self.metrics.email_attempts_failed.add(delivery.retrying)
        self.metrics.emails_failed.add(delivery.failed)
        return routing, delivery

    async def run(self, stop: asyncio.Event, poll_seconds: float) -> None:
        while not stop.is_set():
            try:
                await self.run_once(datetime.now(TZ))
            except Exception:
                log.exception("outbox pass failed; trying again in %s s", poll_seconds)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)


def make_relay(
    settings: Settings, sessions: sessionmaker[Session], mailer: Mailer | None = None, metrics: Metrics | None = None
) -> Relay:
    outbox = Outbox.from_settings(settings)
    sender = Sender(sessions, mailer or make_mailer(settings), outbox.sender_address)
    return Relay(sessions, outbox, sender, metrics or Metrics.none())
