"""The people of a commune who receive its emails, and who receives which notification.

A notification is addressed to a recipient, not to a person: the officers of a unit, the
unit's head (trưởng bộ phận), the commune chairman or the reviewer (Văn phòng). `addressed`
turns that into people. Units match the way the rest of the product matches them
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
    CHAIRMAN = "chairman"  # Chủ tịch UBND xã: escalated to
    REVIEWER = "reviewer"  # Văn phòng: reviews evidence


UNIT_ROLES = frozenset({PersonRole.OFFICER, PersonRole.HEAD})  # roles that belong to a unit
COMMUNE_ROLES = {"chairman": PersonRole.CHAIRMAN, "reviewer": PersonRole.REVIEWER}

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
    """Roles in their declared order: officer, head, chairman, reviewer."""
    chosen = set(roles)
    return [role for role in PersonRole if role in chosen]


class Person(Model):
    commune: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str
    unit: str | None = None
    roles: frozenset[PersonRole] = Field(min_length=1)
    language: Language = Language.VI

    @field_validator("commune", "name", mode="before")
    @classmethod
    def _normalised(cls, text: str) -> str:
        return _nfc(text)

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, text: str | None) -> str | None:
        return None if text is None else _nfc(text) or None

    @field_validator("email")
    @classmethod
    def _email(cls, text: str) -> str:
        return email_address(text)

    @model_validator(mode="after")
    def _unit_for_unit_roles(self) -> Person:
        if self.unit is None and self.roles & UNIT_ROLES:
            raise ValueError("an officer or a head belongs to a unit")
        return self


def in_unit(people: Iterable[Person], unit: str) -> list[Person]:
    """The people whose unit is `unit`, however either is spelled."""
    people = list(people)
    directory = UnitDirectory(person.unit for person in people if person.unit)
    wanted = directory.resolve(unit).key
    return [person for person in people if person.unit and directory.resolve(person.unit).key == wanted]


def addressed(people: Iterable[Person], recipient: str, unit: str | None) -> list[Person]:
    """Who receives a notification to `recipient` ("officers", "department_head", "chairman",
    "reviewer"; `unit` for the first two), by name then email, each once."""
    people = list(people)
    if recipient in COMMUNE_ROLES:
        return _sorted(person for person in people if COMMUNE_ROLES[recipient] in person.roles)
    if recipient not in ("officers", "department_head"):
        raise ValueError(f"unknown recipient {recipient!r}")
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
