"""The chairman's daily digest and each unit's weekly digest, from the read model.

A digest is one email per person, keyed by its kind, the commune (and unit), the day (the
ISO week for a weekly one) and the address: written once whoever runs the job, however
many times (`Outbox.enqueue` inserts a key only once). Nothing is written when there is
nothing to say. The jobs are started by the scheduler (`notifications.scheduler`) and
read their settings when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy.orm import Session

from config import get_settings
from domain.calendar import TZ
from domain.lifecycle import is_final
from domain.notifications import NotificationKind
from domain.people import Person, addressed, distinct_units
from domain.units import unit_key
from notifications.context import DigestItem, digest_context, digest_is_empty
from notifications.outbox import Outbox
from notifications.render import render
from persistence.communes import commune_profile
from persistence.db import make_engine, make_session_factory
from persistence.people import commune_people
from services.tasks import TaskSummary, list_tasks


def send_daily_digests(session: Session, outbox: Outbox, now: datetime) -> int:
    """Each commune's chairman: overdue tasks, then those due this week; the emails written."""
    today = now.astimezone(TZ).date()
    written = 0
    for commune, items in _open_items_by_commune(session, today).items():
        people = commune_people(session, commune)
        for person in addressed(people, "chairman", None):
            key = f"{NotificationKind.DIGEST_DAILY}/{commune}/{today.isoformat()}/{person.email}"
            written += _enqueue(session, outbox, NotificationKind.DIGEST_DAILY, key, commune, None, person, items, now)
    return written


def send_weekly_digests(session: Session, outbox: Outbox, now: datetime) -> int:
    """Each unit's officers and head: the unit's overdue tasks and the next 7 days'."""
    today = now.astimezone(TZ).date()
    year, week, _ = today.isocalendar()
    written = 0
    for commune, items in _open_items_by_commune(session, today).items():
        people = commune_people(session, commune)
        for unit in distinct_units(u for item in items for u in item.units):
            for person in _unit_people(people, unit):
                key = f"{NotificationKind.DIGEST_WEEKLY}/{commune}/{unit_key(unit)}/{year}-W{week:02d}/{person.email}"
                written += _enqueue(
                    session, outbox, NotificationKind.DIGEST_WEEKLY, key, commune, unit, person, items, now
                )
    return written


def daily_digest_job() -> None:
    """The scheduler's daily job."""
    _run(send_daily_digests)


def weekly_digest_job() -> None:
    """The scheduler's weekly job."""
    _run(send_weekly_digests)


def _run(send: Callable[[Session, Outbox, datetime], int]) -> None:
    settings = get_settings()
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            send(session, Outbox.from_settings(settings), datetime.now(TZ))
    finally:
        engine.dispose()


def _enqueue(
    session: Session,
    outbox: Outbox,
    kind: str,
    key: str,
    commune: str,
    unit: str | None,
    person: Person,
    items: list[DigestItem],
    now: datetime,
) -> bool:
    today = now.astimezone(TZ).date()
    context = digest_context(
        items=items,
        today=today,
        commune=commune,
        base_url=outbox.base_url,
        unit=unit,
        person_name=person.name,
        profile=commune_profile(session, commune),
    )
    if digest_is_empty(context):
        return False
    rendered = render(kind, person.language, context)
    return outbox.enqueue(session, key=key, kind=kind, commune=commune, person=person, rendered=rendered, now=now)


def _open_items_by_commune(session: Session, today: date) -> dict[str, list[DigestItem]]:
    by_commune: dict[str, list[DigestItem]] = {}
    for task in list_tasks(session, today=today):
        if not is_final(task.state):
            by_commune.setdefault(task.commune, []).append(_item(task))
    return by_commune


def _item(task: TaskSummary) -> DigestItem:
    return DigestItem(
        workflow_id=task.workflow_id,
        task_code=task.task_code,
        title=task.title,
        units=task.lead,
        due=task.due,
        days_late=task.days_late,
        escalation_level=task.escalation_level,
        state=task.state.value,
    )


def _unit_people(people: Iterable[Person], unit: str) -> list[Person]:
    """The unit's officers and head(s), each once."""
    found = addressed(people, "officers", unit) + addressed(people, "department_head", unit)
    return list({person.email: person for person in found}.values())
