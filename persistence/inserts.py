"""Insert-or-ignore on both backends: a row whose key exists is left as it is.

For rows that two writers may insert at the same moment (a worker and `cchc plan start`,
two scheduler processes): the second insert is a no-op instead of an integrity error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from persistence.tables import Base

# Both dialects' inserts take ON CONFLICT DO NOTHING.
INSERTS: dict[str, Callable[[type[Base]], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def insert_missing(session: Session, table: type[Base], rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert the `rows` whose `key` columns match no existing row."""
    if rows:
        session.execute(_insert_or_ignore(session, table, key), rows)


def insert_if_missing(session: Session, table: type[Base], row: dict[str, Any], key: Sequence[str]) -> bool:
    """Insert `row` unless its `key` exists; True if this call inserted it."""
    mapped = table.__table__
    assert isinstance(mapped, Table)  # every row class maps one table
    primary_key = mapped.primary_key.columns
    statement = _insert_or_ignore(session, table, key).values(**row).returning(*primary_key)
    return session.execute(statement).first() is not None


def _insert_or_ignore(session: Session, table: type[Base], key: Sequence[str]) -> postgresql.Insert | sqlite.Insert:
    insert = INSERTS[session.get_bind().dialect.name]
    return insert(table).on_conflict_do_nothing(index_elements=list(key))
