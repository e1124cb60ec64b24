"""Storing and reading the people directory. The caller owns the transaction: nothing here commits.

with session_factory.begin() as session:
    change = replace_directory(session, "Vĩnh Khê", read_people(path), now)

A directory file is the whole directory of its commune: whoever it no longer names becomes
inactive (never deleted: sent emails name them), whoever it names again is active again.
Every write is conditional: a row is updated only if nobody changed it since it was read,
and inserted only if nobody inserted it meanwhile; else `DirectoryConflict`, and the
caller's transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import CchcError, ErrorCategory
from domain.people import Person, ordered_roles
from domain.units import unit_key
from persistence.people_tables import PersonRow

FIELDS = ("name", "unit", "unit_key", "roles", "language", "in_charge")


@dataclass(frozen=True)
class DirectoryChange:
    """Emails, sorted: who is new (or back), whose entry changed, who left."""

    added: list[str]
    changed: list[str]
    removed: list[str]


class DirectoryConflict(CchcError):
    """Someone else changed the commune's directory while this one was being stored."""

    category = ErrorCategory.CONFLICT

    def __init__(self, commune: str) -> None:
        self.commune = commune
        super().__init__(f"danh bạ xã {commune} vừa được thay đổi ở nơi khác; không lưu gì, hãy nhập lại.")


def replace_directory(session: Session, commune: str, people: list[Person], now: datetime) -> DirectoryChange:
    """Make `people` the active directory of `commune`; what changed, by email."""
    strangers = sorted({person.commune for person in people} - {commune})
    if strangers:
        raise ValueError(f"people of {strangers} in the directory of {commune!r}")
    stored = {row.email: row for row in session.scalars(select(PersonRow).where(PersonRow.commune == commune))}
    wanted = {person.email: _values(person) for person in people}
    added, changed, removed = [], [], []
    for email, values in wanted.items():
        row = stored.get(email)
        if row is None:
            _insert(session, {"commune": commune, "email": email, **values, "active": True, "updated_at": now})
            added.append(email)
        elif not row.active:
            _update(session, row, {**values, "active": True, "updated_at": now})
            added.append(email)
        elif any(getattr(row, field) != values[field] for field in FIELDS):
            _update(session, row, {**values, "updated_at": now})
            changed.append(email)
    for email, row in stored.items():
        if row.active and email not in wanted:
            _update(session, row, {"active": False, "updated_at": now})
            removed.append(email)
    return DirectoryChange(sorted(added), sorted(changed), sorted(removed))


@dataclass(frozen=True)
class DirectoryEntry:
    """A person of the directory, active (receives emails) or not (kept for history)."""

    person: Person
    active: bool


def save_person(session: Session, person: Person, now: datetime) -> bool:
    """Add `person` to the directory of their commune, or change the entry of their email
    (active again if it was not); whether they were new."""
    values = _values(person)
    row = session.scalars(
        select(PersonRow).where(PersonRow.commune == person.commune, PersonRow.email == person.email)
    ).one_or_none()
    if row is None:
        _insert(
            session, {"commune": person.commune, "email": person.email, **values, "active": True, "updated_at": now}
        )
        return True
    _update(session, row, {**values, "active": True, "updated_at": now})
    return False


def set_person_active(session: Session, commune: str, email: str, active: bool, now: datetime) -> Person | None:
    """Stop (or resume) emailing the person of `commune` with `email`; they stay in the
    directory. None when nobody has that email."""
    row = session.scalars(select(PersonRow).where(PersonRow.commune == commune, PersonRow.email == email)).one_or_none()
    if row is None:
        return None
    _update(session, row, {"active": active, "updated_at": now})
    return _person(row)


def directory(session: Session, commune: str) -> list[DirectoryEntry]:
    """Everyone of the directory of `commune`, active or not, by name then email."""
    query = select(PersonRow).where(PersonRow.commune == commune).order_by(PersonRow.name, PersonRow.email)
    return [DirectoryEntry(_person(row), row.active) for row in session.scalars(query)]


def commune_people(session: Session, commune: str) -> list[Person]:
    """The active directory of `commune`, by name then email."""
    query = (
        select(PersonRow)
        .where(PersonRow.commune == commune, PersonRow.active.is_(True))
        .order_by(PersonRow.name, PersonRow.email)
    )
    return [_person(row) for row in session.scalars(query)]


def all_communes(session: Session) -> list[str]:
    """The communes with an active directory, by name."""
    query = select(PersonRow.commune).where(PersonRow.active.is_(True)).distinct().order_by(PersonRow.commune)
    return list(session.scalars(query))


def _values(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "unit": person.unit,
        "unit_key": unit_key(person.unit) if person.unit else None,
        "roles": [role.value for role in ordered_roles(person.roles)],
        "language": person.language,
        "in_charge": list(person.in_charge),
    }


def _person(row: PersonRow) -> Person:
    return Person.model_validate(row, from_attributes=True)


def _insert(session: Session, values: dict[str, Any]) -> None:
    """Insert a person nobody had inserted when the directory was read."""
    try:
        session.execute(insert(PersonRow).values(**values))
    except IntegrityError as exc:  # unique (commune, email): inserted meanwhile
        raise DirectoryConflict(values["commune"]) from exc


def _update(session: Session, row: PersonRow, values: dict[str, Any]) -> None:
    """Update `row` if it is still as it was read."""
    statement = (
        update(PersonRow)
        .where(PersonRow.id == row.id, PersonRow.updated_at == row.updated_at)
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    result = cast(CursorResult[Any], session.execute(statement))  # an UPDATE's result has the rowcount
    if result.rowcount != 1:
        raise DirectoryConflict(row.commune)
