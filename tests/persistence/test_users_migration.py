"""Accounts stored before anyone could change their own password: each password was set by
someone else, so the migration that brings the mark in marks every one of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from domain.calendar import TZ
from persistence.user_tables import UserRow
from tests.persistence.migrating import migrated_over

BEFORE = "0019"  # the revision before accounts were marked


def test_the_migration_marks_every_existing_account_to_change_its_password(database_url):
    def fill(connection):
        connection.execute(insert(UserRow), [_account("chu-tich"), _account("quan-tri")])

    with migrated_over(database_url, BEFORE, fill) as connection:
        rows = connection.execute(select(UserRow.username, UserRow.must_change_password)).all()

    assert sorted(rows) == [("chu-tich", True), ("quan-tri", True)]


def _account(username: str) -> dict:
    return {
        "commune": None,
        "username": username,
        "display_name": username,
        "email": None,
        "role": "admin",
        "units": [],
        "supervises": [],
        "password_hash": "$argon2id$...",
        "active": True,
        "session_version": 1,
        "created_at": datetime(2024, 1, 2, 8, tzinfo=TZ),
    }
