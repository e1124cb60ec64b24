"""Accounts stored before anyone could change their own password: each password was set by
someone else, so the migration that brings the mark in marks every one of them."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import insert, select

from domain.calendar import TZ
from persistence.db import alembic_config, make_engine
from persistence.user_tables import UserRow

BEFORE = "0019"  # the revision before accounts were marked


def test_the_migration_marks_every_existing_account_to_change_its_password(database_url):
    config = alembic_config()
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, BEFORE)
            connection.execute(insert(UserRow), [_account("chu-tich"), _account("quan-tri")])
            command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = connection.execute(select(UserRow.username, UserRow.must_change_password)).all()
    finally:
        engine.dispose()

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
