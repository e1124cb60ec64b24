"""The metrics that are a state of the database, read every `metrics_sample_seconds` by the process
that sends mail (`cchc up`, `cchc scheduler`): emails waiting, the outbox's oldest age, and
each commune's overdue occurrences (open, their deadline before today in Asia/Ho_Chi_Minh).
Two schedulers on one database report the same figures: a dashboard takes their maximum."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.calendar import TZ
from domain.notifications import EmailStatus
from observability.metrics import Metrics
from persistence.mail_tables import EmailRow
from persistence.task_tables import NotificationRow, TaskRunRow
from services.tasks import FINAL_VALUES

UNSENT = (EmailStatus.PENDING, EmailStatus.SENDING)
UNROUTED = "pending"  # a notification not yet turned into emails (notifications/outbox.py)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figures:
    emails_waiting: int
    oldest_unsent: datetime | None  # of the emails and notifications not sent yet
    overdue: dict[str, int]  # commune -> overdue occurrences; every commune with tasks, 0 too


def read_figures(session: Session, today: date) -> Figures:
    waiting, oldest_email = session.execute(
        select(func.count(), func.min(EmailRow.created_at)).where(EmailRow.status.in_(UNSENT))
    ).one()
    oldest_notice = session.scalar(
        select(func.min(NotificationRow.created_at)).where(NotificationRow.status == UNROUTED)
    )
    late = case((TaskRunRow.due_date < today, 1), else_=0)
    overdue = select(TaskRunRow.commune, func.sum(late)).where(TaskRunRow.state.not_in(FINAL_VALUES))
    counts = {commune: 0 for commune in session.scalars(select(TaskRunRow.commune).distinct())}
    counts.update({commune: int(n or 0) for commune, n in session.execute(overdue.group_by(TaskRunRow.commune))})
    oldest = min((moment for moment in (oldest_email, oldest_notice) if moment is not None), default=None)
    return Figures(emails_waiting=waiting, oldest_unsent=oldest, overdue=counts)


def publish(metrics: Metrics, figures: Figures, now: datetime) -> None:
    metrics.emails_waiting.set(figures.emails_waiting)
    age = (now - figures.oldest_unsent).total_seconds() if figures.oldest_unsent is not None else 0.0
    metrics.outbox_oldest_age.set(max(age, 0.0))
    for commune, count in figures.overdue.items():
        metrics.overdue_occurrences.set(count, {"commune": commune})


async def sample_figures(
    sessions: sessionmaker[Session], metrics: Metrics, stop: asyncio.Event, every_seconds: float
) -> None:
    """Publish the figures now and every `every_seconds` until `stop`; a failed reading (the
    database away) is logged and tried again next time."""
    while not stop.is_set():
        now = datetime.now(TZ)
        try:
            figures = await asyncio.to_thread(_read, sessions, now.date())
            publish(metrics, figures, now)
        except Exception:
            log.exception("reading the metrics of the database failed; trying again in %s s", every_seconds)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_seconds)


def _read(sessions: sessionmaker[Session], today: date) -> Figures:
    with sessions() as session:
        return read_figures(session, today)
