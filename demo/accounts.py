"""The demo's web accounts: the people whose work the demo scripted, so that a newcomer signs in
and sees the demo year in the browser.

The usernames are the ones the script acts under (`demo.script`): the chairman, the office
(with the plan's office units), an officer of each unit that leads a task, and the appraiser
of the communes the demo assessed. Each gets a new random password on every run: an account
left by an earlier demo keeps its row and gets the new password, never a second row. The
passwords are written once to the data directory (`Settings.demo_accounts`, readable by its
owner only) and returned for the demo to print.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from demo.par_round import DEMO_USERS
from demo.script import CHAIRMAN, officer_of, reviewer_of
from domain.assessment_round import RoundRole
from domain.models import Plan
from domain.roles import Role
from persistence.users import NewUser, add_user, find_user, reset_password
from services.passwords import hash_password

PASSWORD_BYTES = 12  # 16 characters of a URL-safe alphabet


@dataclass(frozen=True)
class DemoAccount:
    user: NewUser
    password: str
    password_hash: str = field(repr=False)

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> Role:
        return self.user.role


def demo_users(plan: Plan, assessed: list[str]) -> list[NewUser]:
    """The accounts of `plan`'s year: its chairman, office and unit officers; the appraiser of
    the communes `assessed` (none: no appraiser)."""
    office = reviewer_of(plan)
    people = [
        NewUser(CHAIRMAN.user, Role.CHAIRMAN, plan.commune, f"Chủ tịch UBND xã {plan.commune}"),
        NewUser(office.user, Role.REVIEWER, plan.commune, "Công chức Văn phòng - Thống kê", units=office.units),
    ]
    units = dict.fromkeys(task.lead[0] for task in plan.tasks)
    for unit in units:
        officer = officer_of(unit)
        people.append(NewUser(officer.user, Role.OFFICER, plan.commune, f"Công chức {unit}", units=officer.units))
    if assessed:
        people.append(
            NewUser(
                DEMO_USERS[RoundRole.APPRAISER],
                Role.APPRAISER,
                None,
                "Chuyên viên thẩm định",
                supervises=tuple(assessed),
            )
        )
    return people


def new_passwords(people: list[NewUser]) -> list[DemoAccount]:
    """Each of `people` with a new random password, hashed (slow: the demo hashes them while
    its year runs)."""
    accounts = []
    for person in people:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        accounts.append(DemoAccount(person, password, hash_password(password)))
    return accounts


def open_accounts(session: Session, accounts: list[DemoAccount], now: datetime) -> None:
    """Each account added, or, left by an earlier demo, given its new password."""
    for account in accounts:
        stored = find_user(session, account.username)
        if stored is None:
            add_user(session, account.user, account.password_hash, now)
        else:
            reset_password(session, stored, account.password_hash)


def write_accounts(path: Path, accounts: list[DemoAccount]) -> None:
    """The accounts, one a line (username, role, password), in a file only its owner reads."""
    lines = "".join(f"{account.username}\t{account.role.value}\t{account.password}\n" for account in accounts)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file left by an earlier run keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(lines)
