"""A migration taken over stored rows: the database migrated up to a revision, given rows as
they were stored then, then migrated to the newest revision."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection

from persistence.db import alembic_config, make_engine


@contextmanager
def migrated_over(database_url: str, before: str, fill: Callable[[Connection], object]) -> Iterator[Connection]:
    """A connection to the database at `database_url` migrated to `before`, filled by `fill`,
    then migrated to the newest revision."""
    config = alembic_config()
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, before)
            fill(connection)
            command.upgrade(config, "head")
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
