"""The people of a commune who receive its emails, and who receives which notification.

A notification is addressed to a recipient, not to a person: the officers of a unit, the
unit's head (trưởng bộ phận), the leader in charge of a unit (the Phó Chủ tịch whose units
include it, else the Chủ tịch), who confirms the unit's tasks (the office, or for the office's
own unit the leader in charge of it), the commune chairman or the office (Văn phòng).
`addressed` turns that into people. Units match the way the rest of the product matches them
(`domain.units`): `Văn hoá`/`Văn hóa`, NFC/NFD, `VP` for Văn phòng, `Văn hóa` for the
directory's one `Văn hóa - Xã hội`. A unit whose officers are unknown falls back to its head:
a notification reaches somebody whenever anybody of the unit is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from domain.language import Language
from domain.models import Model
from domain.units import UnitDirectory, unit_key


class PersonRole(StrEnum):
    OFFICER = "officer"  # công chức: receives the unit's assignments and reminders
    HEAD = "head"  # trưởng bộ phận: copied on escalations; the unit's fallback
    CHAIRMAN = "chairman"  # Chủ tịch UBND xã: in charge of every unit; the daily digest
    VICE_CHAIRMAN = "vice_chairman"  # Phó Chủ tịch UBND xã: in charge of the units he is given
    REVIEWER = "reviewer"  # Văn phòng: checks and confirms completion


UNIT_ROLES = frozenset({PersonRole.OFFICER, PersonRole.HEAD})  # roles that belong to a unit
COMMUNE_ROLES = {"chairman": PersonRole.CHAIRMAN, "reviewer": PersonRole.REVIEWER}
UNIT_RECIPIENTS = ("officers", "department_head", "leader_in_charge", "confirmer", "coordinating")

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MAX_EMAIL_LENGTH = 254


def email_address(text: str) -> str:
    """One plain address (`lan@vinhkhe.gov.vn`), its domain lower-cased.

    Refused: display names and angle brackets, several addresses, spaces, CR/LF (a header
    injection), anything but ASCII."""
    address = text.strip(" \t")
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if not (at and _LOCAL_PART.fullmatch(local) and _DOMAIN.fullmatch(domain)) or len(address) > MAX_EMAIL_LENGTH:
        raise ValueError(f"not one plain email address: {text!r}")
    return f"{local}@{domain}"


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def ordered_roles(roles: Iterable[PersonRole]) -> list[PersonRole]:
    """Roles in their declared order: officer, head, chairman, vice chairman, reviewer."""
    chosen = set(roles)
    return [role for role in PersonRole if role in chosen]


class Person(Model):
    commune: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str
    unit: str | None = None
    roles: frozenset[PersonRole] = Field(min_length=1)
    language: Language = Language.VI
    in_charge: tuple[str, ...] = ()  # a vice chairman's units (lĩnh vực phụ trách)

    @field_validator("commune", "name", mode="before")
    @classmethod
    def _normalised(cls, text: str) -> str:
        return _nfc(text)

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, text: str | None) -> str | None:
        return None if text is None else _nfc(text) or None

    @field_validator("in_charge", mode="before")
    @classmethod
    def _units_in_charge(cls, names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name in map(_nfc, names) if name))

    @field_validator("email")
    @classmethod
    def _email(cls, text: str) -> str:
        return email_address(text)

    @model_validator(mode="after")
    def _unit_for_unit_roles(self) -> Person:
        if self.unit is None and self.roles & UNIT_ROLES:
            raise ValueError("an officer or a head belongs to a unit")
        if (PersonRole.VICE_CHAIRMAN in self.roles) != bool(self.in_charge):
            raise ValueError("a vice chairman, and only he, is in charge of units")
        return self


def in_unit(people: Iterable[Person], unit: str) -> list[Person]:
    """The people whose unit is `unit`, however either is spelled."""
    people = list(people)
    directory = UnitDirectory(person.unit for person in people if person.unit)
    wanted = directory.resolve(unit).key
    return [person for person in people if person.unit and directory.resolve(person.unit).key == wanted]


def in_charge_of(people: Iterable[Person], unit: str) -> list[Person]:
    """The vice chairmen in charge of `unit`, however either is spelled; else the chairman."""
    people = list(people)
    directory = UnitDirectory(name for person in people for name in (person.unit, *person.in_charge) if name)
    wanted = directory.resolve(unit).key
    vice = [person for person in people if any(directory.resolve(name).key == wanted for name in person.in_charge)]
    return _sorted(vice) or _sorted(person for person in people if PersonRole.CHAIRMAN in person.roles)


def confirmers(people: Iterable[Person], unit: str) -> list[Person]:
    """Who confirms completion of the tasks `unit` leads: the office (the reviewers), unless
    `unit` is the office's own, whose tasks the leader in charge of it confirms."""
    people = list(people)
    if any(PersonRole.REVIEWER in person.roles for person in in_unit(people, unit)):
        return in_charge_of(people, unit)
    return _sorted(person for person in people if PersonRole.REVIEWER in person.roles)


def addressed(people: Iterable[Person], recipient: str, unit: str | None) -> list[Person]:
    """Who receives a notification to `recipient` ("officers", "department_head",
    "leader_in_charge", "confirmer", "coordinating", "chairman", "reviewer"; `unit` for the
    first five), by name then email, each once."""
    people = list(people)
    if recipient in COMMUNE_ROLES:
        return _sorted(person for person in people if COMMUNE_ROLES[recipient] in person.roles)
    if recipient not in UNIT_RECIPIENTS:
        raise ValueError(f"unknown recipient {recipient!r}")
    if recipient == "leader_in_charge":
        return in_charge_of(people, unit) if unit else []
    if recipient == "confirmer":
        return confirmers(people, unit) if unit else []
    members = in_unit(people, unit) if unit else []
    heads = _sorted(person for person in members if PersonRole.HEAD in person.roles)
    if recipient == "department_head":
        return heads
    return _sorted(person for person in members if PersonRole.OFFICER in person.roles) or heads


def units_without_recipients(people: Iterable[Person], units: Iterable[str]) -> list[str]:
    """The units (as given, once each by `unit_key`, in order) whose officers' notifications
    would reach nobody."""
    people = list(people)
    return [unit for unit in distinct_units(units) if not addressed(people, "officers", unit)]


def distinct_units(units: Iterable[str]) -> list[str]:
    """Each unit once (by `unit_key`), as first spelled, in order."""
    distinct: dict[str, str] = {}
    for unit in units:
        distinct.setdefault(unit_key(unit), unit)
    return list(distinct.values())


def _sorted(people: Iterable[Person]) -> list[Person]:
    unique = {person.email: person for person in people}
    return sorted(unique.values(), key=lambda person: (person.name, person.email))


def office_unit(people: Iterable[Person]) -> str | None:
    """The office (the CCHC focal point) as the directory names it: the unit of its reviewers
    ("Văn phòng - Thống kê"; since 7/2025 e.g. "Văn phòng HĐND và UBND"); None when no
    reviewer has a unit."""
    return next(
        (person.unit for person in _sorted(people) if PersonRole.REVIEWER in person.roles and person.unit), None
    )
