"""A serving web process keeps its startup heap out of the collector's full passes."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from web.app import create_app


def test_while_the_web_serves_what_it_built_to_start_is_left_out_of_full_collections(bare_settings):
    with TestClient(create_app(bare_settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000  # the modules, schemas and the application
    assert gc.get_freeze_count() == 0  # stopped: collected as before, nothing kept for ever
