from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError, StatementError

from persistence.db import make_engine, migrate
from persistence.schema import metadata
from persistence.tables import PlanRow, UnitRow


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_the_migrations_create_exactly_the_tables_the_models_describe(engine):
    assert schema_differences(engine) == []


def test_the_schema_comparison_notices_a_database_that_was_never_migrated(database_url):
    engine = make_engine(database_url)
    try:
        assert any(diff[0] == "add_table" for diff in schema_differences(engine))
    finally:
        engine.dispose()


def test_migrating_an_up_to_date_database_again_changes_nothing(database_url, engine):
    migrate(database_url)

    assert schema_differences(engine) == []
    assert "alembic_version" in inspect(engine).get_table_names()


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError):
        with engine.begin() as connection:
            connection.execute(insert(UnitRow).values(commune_id=999, key="văn phòng", name="Văn phòng"))


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(StatementError, match="naive datetime"):
        with engine.begin() as connection:
            connection.execute(
                insert(PlanRow).values(
                    commune_id=1,
                    number="1/KH",
                    issued_on=datetime(2024, 1, 1).date(),
                    issuer="x",
                    year=2024,
                    title="t",
                    settings={},
                    reporting_calendar={},
                    source_file="f",
                    source_sha256="0",
                    imported_at=datetime(2024, 1, 1, 8, 0),
                )
            )


def test_a_sqlite_database_folder_is_created_on_first_use(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'data' / 'cchc.db'}"

    migrate(url)

    assert (tmp_path / "nested" / "data" / "cchc.db").is_file()


def test_a_sqlite_database_is_written_through_a_write_ahead_log_synced_at_checkpoints_and_owned_by_its_owner(tmp_path):
    path = tmp_path / "data" / "cchc.db"
    migrate(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            modes = (
                connection.exec_driver_sql("PRAGMA journal_mode").scalar(),
                connection.exec_driver_sql("PRAGMA synchronous").scalar(),
            )
            log = path.with_name("cchc.db-wal")
            assert log.is_file() and log.stat().st_mode & 0o777 == 0o600
    finally:
        engine.dispose()

    assert modes == ("wal", 1)  # 1: NORMAL
