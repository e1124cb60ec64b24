"""The people directory as the other services need it: which lead units have nobody to email,
and who an account is when one person is shown to another; who signs the commune's documents."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.people import PersonRole, distinct_units, units_without_recipients
from domain.vocabulary import introduced, label
from evidence.document_layout import Signature
from persistence.people import commune_people
from persistence.tables import CommuneRow, PlanRow, TaskRow, TaskUnitRow
from persistence.users import list_users


def units_without_email(session: Session, commune: str, units: Iterable[str]) -> list[str]:
    """The `units` (once each, in order) whose officers' emails would reach nobody of `commune`."""
    return units_without_recipients(commune_people(session, commune), units)


def stored_lead_units(session: Session, commune: str) -> list[str]:
    """The lead units of the commune's stored plans, each once, as first spelled, plan by plan."""
    query = (
        select(TaskUnitRow.name)
        .join(TaskRow, TaskRow.id == TaskUnitRow.task_id)
        .join(PlanRow, PlanRow.id == TaskRow.plan_id)
        .join(CommuneRow, CommuneRow.id == PlanRow.commune_id)
        .where(CommuneRow.name == commune, TaskUnitRow.role == "lead")
        .order_by(PlanRow.id, TaskRow.position, TaskUnitRow.position)
    )
    return distinct_units(session.scalars(query))


def shown_names(session: Session, commune: str) -> dict[str, str]:
    """Each account of `commune` by username, as shown to another person: full name and
    position from the commune's directory (matched by email), else the account's own name and
    role (also for the accounts of no commune: auditors, appraisers). An account with neither is
    missing: show its username."""
    people = {person.email.lower(): person for person in commune_people(session, commune)}
    names = {}
    for user in (user for user in list_users(session) if user.commune in (commune, None)):
        person = people.get((user.email or "").lower())
        if person is not None:
            names[user.username] = introduced(person)
        elif user.display_name != user.username:
            names[user.username] = f"{user.display_name}, {label(user.role)}"
    return names


def chairman_signature(session: Session, commune: str, full_name: str | None = None) -> Signature:
    """The commune's chairman signing for the committee: `full_name` when given, else the
    chairman's name in the people directory (left blank for the office when there is none)."""
    chairmen = [person.name for person in commune_people(session, commune) if PersonRole.CHAIRMAN in person.roles]
    return Signature(full_name=full_name or next(iter(sorted(chairmen)), None))
