"""The `cchc` fixture: the command run in-process, as a user types it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.app import app
from config import get_settings


@pytest.fixture
def cchc(monkeypatch, tmp_path, database_url):
    """Run `cchc ARGS...` in-process against a fresh database on each backend."""
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)
    monkeypatch.delenv("CCHC_DEBUG", raising=False)
    monkeypatch.delenv("CCHC_MAX_IMPORT_MB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps less
    runner = CliRunner()

    def run(*args: str):
        get_settings.cache_clear()
        return runner.invoke(app, [str(a) for a in args])

    return run
