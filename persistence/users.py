"""Storing and reading accounts and failed sign-ins. The caller owns the transaction.

with session_factory.begin() as session:
    add_user(session, NewUser(username="chu-tich", role=Role.CHAIRMAN, commune="Vĩnh Khê"), hash, now)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from domain.errors import CchcError, ErrorCategory
from domain.roles import Actor, Role
from domain.text import is_printable
from persistence.user_tables import LoginFailureRow, UserRow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
# Roles that belong to one commune; an auditor or admin may serve every commune.
COMMUNE_ROLES = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.REVIEWER, Role.OFFICER})
# Roles with units: an officer's own, the units a vice chairman is in charge of, the office's own.
UNIT_ROLES = frozenset({Role.OFFICER, Role.VICE_CHAIRMAN, Role.REVIEWER})
# The supervising authority's roles: no commune of their own, the communes they supervise.
SUPERVISING_ROLES = frozenset({Role.APPRAISER, Role.SUPERVISOR})
PERSON_ROLES = tuple(role for role in Role if role is not Role.SYSTEM)


class UserExists(CchcError, ValueError):
    category = ErrorCategory.CONFLICT
    closing = "."

    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(f"đã có tài khoản “{username}”")


@dataclass(frozen=True)
class NewUser:
    username: str
    role: Role
    commune: str | None = None
    display_name: str = ""
    email: str | None = None
    units: tuple[str, ...] = ()
    supervises: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        """What makes this account unusable, for people (Vietnamese); empty when it is fine."""
        found = []
        if not USERNAME.match(self.username):
            found.append(
                f"tên đăng nhập “{self.username}” không hợp lệ: 2–100 ký tự a-z, 0-9, dấu chấm, gạch ngang, gạch dưới"
            )
        if self.role is Role.SYSTEM:
            found.append("vai trò system dành cho chính hệ thống")
        if self.role is Role.OFFICER and not self.units:
            found.append("công chức (officer) phải có ít nhất một đơn vị (--unit)")
        if self.role is Role.VICE_CHAIRMAN and not self.units:
            found.append("Phó Chủ tịch (vice_chairman) phải phụ trách ít nhất một đơn vị (--unit)")
        if self.role not in UNIT_ROLES and self.units:
            found.append(
                "chỉ công chức, Phó Chủ tịch (đơn vị phụ trách) và Văn phòng (đơn vị của mình) mới gắn với đơn vị"
            )
        if self.role in COMMUNE_ROLES and not self.commune:
            found.append(f"vai trò {self.role.value} phải thuộc một xã (--commune)")
        if self.role in SUPERVISING_ROLES and (self.commune or not self.supervises):
            found.append(f"vai trò {self.role.value} không thuộc xã nào mà giám sát các xã (--supervises)")
        if self.role not in SUPERVISING_ROLES and self.supervises:
            found.append("chỉ người thẩm định (appraiser) hoặc giám sát (supervisor) mới giám sát xã")
        if not all(map(is_printable, (self.display_name, self.email or "", *self.units, *self.supervises))):
            found.append("tên hiển thị, email, đơn vị hoặc xã giám sát chứa ký tự điều khiển (không in được)")
        if self.email and "@" not in self.email:
            found.append(f"email “{self.email}” không hợp lệ")
        return found


@dataclass(frozen=True)
class User:
    """A stored account, detached from its session."""

    id: int
    username: str
    display_name: str
    role: Role
    commune: str | None
    email: str | None
    units: tuple[str, ...]
    supervises: tuple[str, ...]
    active: bool
    session_version: int
    created_at: datetime
    must_change_password: bool
    password_hash: str = field(repr=False)

    @property
    def actor(self) -> Actor:
        """Who acts on a task: established by the sign-in, never by a form."""
        return Actor(user=self.username, role=self.role, units=self.units)


def normal_username(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def normal_name(text: str | None) -> str | None:
    """A commune or unit name as stored: NFC, single spaces; None for nothing."""
    cleaned = " ".join(unicodedata.normalize("NFC", text or "").split())
    return cleaned or None


# --- accounts --------------------------------------------------------------------------------


def add_user(
    session: Session, new: NewUser, password_hash: str, now: datetime, *, must_change_password: bool = True
) -> User:
    """Store `new`; its password, set by someone else, must be changed at its first sign-in
    (`must_change_password=False`: an account already past it)."""
    if session.scalar(select(UserRow.id).where(UserRow.username == new.username)) is not None:
        raise UserExists(new.username)
    row = UserRow(
        commune=new.commune,
        username=new.username,
        display_name=new.display_name or new.username,
        email=new.email or None,
        role=new.role.value,
        units=list(new.units),
        supervises=list(new.supervises),
        password_hash=password_hash,
        must_change_password=must_change_password,
        active=True,
        session_version=1,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _user(row)


def find_user(session: Session, username: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.username == normal_username(username)))
    return _user(row) if row is not None else None


def get_user(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return _user(row) if row is not None else None


def list_users(session: Session, *, commune: str | None = None) -> list[User]:
    """Every account, or those of `commune`, by username."""
    query = select(UserRow).order_by(UserRow.username)
    if commune is not None:
        query = query.where(UserRow.commune == commune)
    return [_user(row) for row in session.scalars(query)]


def set_active(session: Session, user_id: int, active: bool) -> None:
    """Activate or deactivate an account; deactivating ends its sessions."""
    values = {"active": active, "session_version": UserRow.session_version + (0 if active else 1)}
    session.execute(update(UserRow).where(UserRow.id == user_id).values(**values))


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(update(UserRow).where(UserRow.id == user_id).values(session_version=UserRow.session_version + 1))


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))


def reset_password(session: Session, user: User, password_hash: str) -> None:
    """An administrator gives the account a new password: every session of it ends, its failed
    sign-ins stop counting against it, and its owner must change it at the next sign-in."""
    _new_password(session, user.id, password_hash, must_change=True)
    forget_failures(session, user.username)


def change_own_password(session: Session, user: User, password_hash: str) -> int:
    """The owner chose a new password: it need not be changed again, and every session of the
    account ends; the session version the owner's own session goes on with."""
    _new_password(session, user.id, password_hash, must_change=False)
    version = session.scalar(select(UserRow.session_version).where(UserRow.id == user.id))
    assert version is not None, "the account changing its password exists"
    return version


def _new_password(session: Session, user_id: int, password_hash: str, *, must_change: bool) -> None:
    values = {
        "password_hash": password_hash,
        "must_change_password": must_change,
        "session_version": UserRow.session_version + 1,
    }
    session.execute(update(UserRow).where(UserRow.id == user_id).values(**values))


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        commune=row.commune,
        email=row.email,
        units=tuple(row.units),
        supervises=tuple(row.supervises),
        active=row.active,
        session_version=row.session_version,
        created_at=row.created_at,
        password_hash=row.password_hash,
        must_change_password=row.must_change_password,
    )


# --- failed sign-ins -------------------------------------------------------------------------


class Failures(NamedTuple):
    """When sign-ins failed, oldest first: for the username, and from the address."""

    username: list[datetime]
    address: list[datetime]


def record_try(session: Session, username: str, at: datetime) -> int:
    """Count a sign-in try against its username as failed, until it succeeds; its id. It
    counts against its address only once it failed (`address_failed`)."""
    row = LoginFailureRow(username=normal_username(username)[:100], address="", at=at)
    session.add(row)
    session.flush()
    return row.id


def address_failed(session: Session, failure: int, address: str) -> None:
    session.execute(update(LoginFailureRow).where(LoginFailureRow.id == failure).values(address=address[:64]))


def failures_since(session: Session, since: datetime, *, username: str, address: str, excluding: int) -> Failures:
    """Failed (or still being checked) sign-ins since `since`, but for the try `excluding`."""

    def times(column, value) -> list[datetime]:
        query = select(LoginFailureRow.at).where(
            column == value, LoginFailureRow.at >= since, LoginFailureRow.id != excluding
        )
        return list(session.scalars(query.order_by(LoginFailureRow.at)))

    return Failures(
        username=times(LoginFailureRow.username, normal_username(username)[:100]),
        address=times(LoginFailureRow.address, address[:64]),
    )


def drop_failure(session: Session, failure: int) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.id == failure))


def forget_failures(session: Session, username: str) -> None:
    """After a successful sign-in: the user's own failures no longer count (the address's do)."""
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.username == normal_username(username)[:100]))


def drop_failures_before(session: Session, before: datetime) -> int:
    result = cast(
        CursorResult[Any],  # a DELETE's result is a CursorResult, which has the rowcount
        session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < before)),
    )
    return result.rowcount
