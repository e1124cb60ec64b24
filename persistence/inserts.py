"""Insert-or-ignore and insert-or-update on both backends, each one statement.

For rows that two writers may insert at the same moment (a worker and `cchc plan start`,
two scheduler processes): the second insert is a no-op, or an update, instead of an
integrity error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Executable, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from persistence.tables import Base

Insert = postgresql.Insert | sqlite.Insert

# Both dialects' inserts take ON CONFLICT DO NOTHING and DO UPDATE.
INSERTS: dict[str, Callable[[Table], Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def insert_missing(session: Session, table: type[Base], rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert the `rows` whose `key` columns match no existing row."""
    if rows:
        session.connection().execute(_insert_or_ignore(_dialect(session), _table(table), tuple(key)), rows)


def insert_if_missing(session: Session, table: type[Base], row: dict[str, Any], key: Sequence[str]) -> bool:
    """Insert `row` unless its `key` exists; True if this call inserted it."""
    statement = _insert_or_ignore(_dialect(session), _table(table), tuple(key), returning=True)
    return session.connection().execute(statement, row).first() is not None


def upsert_unless_newer(session: Session, table: type[Base], row: dict[str, Any], key: str, version: str) -> None:
    """Insert `row` (every column of `table`), or overwrite the row of its `key` with it, unless
    that row's `version` column is already past `row`'s."""
    session.connection().execute(_upsert_unless_newer(_dialect(session), _table(table), key, version), row)


# The statements are built once per process and table (SQLAlchemy then compiles each once),
# executed on the session's connection with each row as parameters.


@cache
def _insert_or_ignore(dialect: str, table: Table, key: tuple[str, ...], returning: bool = False) -> Executable:
    statement = INSERTS[dialect](table).on_conflict_do_nothing(index_elements=list(key))
    return statement.returning(*table.primary_key.columns) if returning else statement


@cache
def _upsert_unless_newer(dialect: str, table: Table, key: str, version: str) -> Insert:
    insert = INSERTS[dialect](table)
    return insert.on_conflict_do_update(
        index_elements=[key],
        set_={column.name: insert.excluded[column.name] for column in table.columns if column.name != key},
        where=table.columns[version] <= insert.excluded[version],
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _table(table: type[Base]) -> Table:
    mapped = table.__table__
    assert isinstance(mapped, Table)  # every row class maps one table
    return mapped
