"""Request bodies are capped by the kind of route before anything reads them, before sign-in
is checked: 413 for a body too large (announced or streamed), 415 for a form with a file
where none is expected. uvicorn serves with its own header and connection limits."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from cli.web import MAX_CONNECTIONS, MAX_HEADERS_BYTES, uvicorn_config
from config import Settings
from web.app import create_app

JSON_LIMIT = 64 * 1024


def test_a_json_body_over_64_kb_is_refused_before_sign_in_is_checked(bare_app):
    body = b'{"note": "' + b"a" * JSON_LIMIT + b'"}'
    response = bare_app.post("/api/me", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "Dữ liệu gửi lên quá lớn (tối đa 64 KB)."}


def test_a_form_body_that_streams_past_64_kb_without_announcing_its_size_is_cut_and_refused(bare_app):
    def chunks():
        for _ in range(100):
            yield b"username=" + b"a" * 4096 + b"&"

    response = bare_app.post("/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert "content-length" not in response.request.headers  # sent chunked: found too large while read
    assert response.status_code == 413
    assert response.text == "Dữ liệu gửi lên quá lớn (tối đa 64 KB)."


def test_a_form_with_a_file_is_refused_where_no_file_is_expected(bare_app):
    response = bare_app.post("/login", data={"username": "a"}, files={"file": ("x.txt", b"x")})
    assert response.status_code == 415
    assert response.text == "Trang này không nhận tệp gửi kèm (multipart/form-data)."
    api = bare_app.post("/api/me", files={"file": ("x.txt", b"x")})
    assert api.status_code == 415


def test_a_plan_file_over_the_import_limit_is_refused_by_its_announced_size(bare_settings):
    settings = bare_settings.model_copy(update={"max_import_mb": 1})
    with TestClient(create_app(settings), follow_redirects=False) as client:
        response = client.post("/plans/import", files={"file": ("ke-hoach.txt", b"a" * (3 * 2**20))})
    assert response.status_code == 413
    assert response.text == "Dữ liệu gửi lên quá lớn (tối đa 1 MB)."


def test_a_body_announced_too_large_is_answered_without_reading_a_byte_of_it(bare_settings):
    app = create_app(bare_settings)
    sent: list[dict] = []

    async def receive():
        pytest.fail("the body was read")

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/me",
        "raw_path": b"/api/me",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"10000000000")],
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "http_version": "1.1",
        "root_path": "",
        "app": app,
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413


def test_uvicorn_serves_with_a_header_size_limit_a_connection_limit_and_the_settings_drain_time():
    config = uvicorn_config(Settings(graceful_shutdown_seconds=12))
    assert config.http == "h11"
    assert config.h11_max_incomplete_event_size == MAX_HEADERS_BYTES == 16 * 1024
    assert config.limit_concurrency == MAX_CONNECTIONS
    assert config.timeout_graceful_shutdown == 12  # open requests get this long on SIGTERM
