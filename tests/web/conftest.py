"""Fixtures of the web tests: `world` (everything running, once for the package) and `bare_app`
(an app on a fresh database with Temporal unreachable, for what needs no task)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from config import Settings
from tests.cli.running import free_port
from tests.web.world import running_world
from web.app import create_app


@pytest.fixture(scope="package")
def world(tmp_path_factory):
    with running_world(tmp_path_factory.mktemp("web")) as world:
        yield world


@pytest.fixture
def bare_settings(tmp_path) -> Settings:
    """A fresh database; Temporal at an address where nothing listens."""
    return Settings(data_dir=tmp_path / "data", temporal_address=f"127.0.0.1:{free_port()}")


@pytest.fixture
def bare_app(bare_settings):
    with TestClient(create_app(bare_settings), follow_redirects=False) as client:
        yield client
