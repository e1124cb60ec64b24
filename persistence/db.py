"""Engines, sessions and migrations. Nothing is built at import time."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

PACKAGE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = PACKAGE_DIR / "alembic.ini"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created (0700, the owner's only) and
    the file (0600) before SQLite opens it, foreign keys are enforced, and it is written
    through a write-ahead log (`_sqlite_pragmas`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        _private_file(Path(parsed.database))
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _private_file(path: Path) -> None:
    """Create `path` and its folder for the owner alone, unless they exist (SQLite gives its
    journal and WAL files the database file's mode). An existing file is never opened here:
    closing any descriptor of a database file drops every lock this process holds on it (POSIX
    record locks), so a second engine in a process whose connections are open (the worker, web
    and scheduler of `cchc up`) would let another process checkpoint the WAL under them."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDONLY, 0o600))


def _sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    """Foreign keys enforced; the write-ahead log (WAL), where readers never wait for the writer
    and a commit appends to the log instead of rewriting pages through a rollback journal; and
    `synchronous=NORMAL`, which in WAL mode syncs at checkpoints rather than at every commit:
    a crash of the process loses nothing, a power cut of the machine may lose the last
    commits but never corrupts the file (`cchc audit verify` compares the log with the
    archived histories). An in-memory database keeps its own journal: WAL does not apply to it."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """The packaged Alembic configuration, usable from any working directory."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(url: str) -> None:
    """Upgrade the database at `url` to the newest schema (Alembic `upgrade head`)."""
    engine = make_engine(url)
    try:
        migrate_engine(engine)
    finally:
        engine.dispose()


def migrate_engine(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
