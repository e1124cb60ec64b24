"""Accounts of the web application, and the failed sign-ins that rate-limit it.

A user belongs to one commune (chairman, reviewer, officer) or to none: an auditor or admin
without a commune works for the supervising authority and reads every commune. A user is
never deleted (the audit log names them): an account that must stop working is made inactive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str | None] = mapped_column(String(200), index=True)  # None: every commune
    username: Mapped[str] = mapped_column(String(100), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))  # domain.roles.Role, never "system"
    units: Mapped[list[str]] = mapped_column(JSON)  # an officer's units, as the admin spelled them
    supervises: Mapped[list[str]] = mapped_column(JSON)  # an appraiser's or supervisor's communes
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    # Set when someone else (an administrator, the operator, the demo) set the password: the
    # account does nothing but change it until it does.
    must_change_password: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    # Part of every session cookie: signing out (or deactivating) raises it, which ends
    # every session of the user, on every device.
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class LoginFailureRow(Base):
    """One failed sign-in: counted per username and per address (see web/login_limit.py)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)  # as typed, lower-case
    address: Mapped[str] = mapped_column(String(64), index=True)  # the client's IP address
    at: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
