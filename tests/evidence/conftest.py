"""Fixtures of the evidence tests: the workflow tests' migrated SQLite database, for the ones
that run Temporal (those without run on both backends through `session_factory`)."""

from tests.workflows.conftest import sqlite_sessions  # noqa: F401  (a fixture)
