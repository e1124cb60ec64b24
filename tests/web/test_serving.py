"""The web application served for real: alone by `cchc web`, and inside `cchc up` beside the
worker, both stopped by Ctrl-C; `cchc up` stopped by SIGTERM finishes a request in flight;
uvicorn refuses a request whose headers pass its limit."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select

from cli.web import MAX_HEADERS_BYTES
from persistence.task_tables import TaskEventRow
from tests.cli.running import CCHC, SAMPLE, add_account, cchc, choose_own_password, environment, start_up, stop_up
from tests.web.world import OWN_PASSWORD, PASSWORD


def web_address(env) -> str:
    return f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"


def port_is_closed(port: str) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", int(port))) != 0


def test_cchc_up_serves_the_web_beside_the_worker_and_stops_it_on_ctrl_c(tmp_path):
    env = environment(tmp_path / "data")
    add_account(env, "quan-tri", PASSWORD, "--role", "admin")
    up = start_up(env, tmp_path / "up.log")
    try:
        assert f"Trang web: {web_address(env)}" in (tmp_path / "up.log").read_text(encoding="utf-8")
        admin = choose_own_password(web_address(env), "quan-tri", PASSWORD, OWN_PASSWORD)
        assert admin.get("/api/tasks").json()["tasks"] == []
        dashboard = admin.get("/").text
        assert 'class="banner"' not in dashboard  # the worker of `cchc up` serves the task queue
    finally:
        assert stop_up(up) == 0
    assert port_is_closed(env["CCHC_WEB_PORT"])


@contextmanager
def cchc_web(tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`cchc web --port P` as the operator runs it, once its sign-in page answers; its port and
    process, stopped by Ctrl-C at the end."""
    env = environment(tmp_path / "data")
    port = env.pop("CCHC_WEB_PORT")
    web = subprocess.Popen(
        [str(CCHC), "web", "--port", port],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert web.stdout is not None, "its output is piped"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/login")
                break
            except httpx.TransportError:
                assert web.poll() is None and time.monotonic() < deadline, web.stdout.read()
                time.sleep(0.2)
        yield port, web
    finally:
        web.send_signal(signal.SIGINT)
        web.wait(timeout=20)


def test_cchc_web_serves_the_pages_alone_on_the_port_it_is_given(tmp_path):
    with cchc_web(tmp_path) as (port, web):
        page = httpx.get(f"http://127.0.0.1:{port}/login")
        assert page.status_code == 200 and "Đăng nhập" in page.text
    assert f"Trang web: http://127.0.0.1:{port}" in web.stdout.read()
    assert port_is_closed(port)


def progress_request(officer: httpx.Client, path: str, body: bytes) -> bytes:
    """The head of a JSON POST of `body` to `path`, with the officer's session cookie."""
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in officer.cookies.jar)
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()


def test_cchc_up_stopped_by_sigterm_lets_a_report_in_flight_reach_the_worker_then_stops_everything(tmp_path):
    env = environment(tmp_path / "data")
    add_account(env, "can-bo-van-phong", PASSWORD, "--role", "officer", "--unit", "Văn phòng", "--commune", "Vĩnh Khê")
    note = "Đang soạn dự thảo kế hoạch"
    body = json.dumps({"percent": 40, "note": note}).encode()
    up = start_up(env, tmp_path / "up.log")
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        assert cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due").returncode == 0
        officer = choose_own_password(web_address(env), "can-bo-van-phong", PASSWORD, OWN_PASSWORD)
        task = next(task for task in officer.get("/api/tasks").json()["tasks"] if task["task_code"] == "I.1")
        path = "/api/tasks/" + task["id"].removeprefix("cchc-task/") + "/progress"
        with socket.create_connection(("127.0.0.1", int(env["CCHC_WEB_PORT"])), timeout=60) as connection:
            connection.sendall(progress_request(officer, path, body) + body[:10])
            up.send_signal(signal.SIGTERM)
            time.sleep(1)
            assert up.poll() is None, "cchc up waits for the request in flight"
            connection.sendall(body[10:])
            answer = b"".join(iter(lambda: connection.recv(65536), b""))
        assert answer.startswith(b"HTTP/1.1 200"), answer[:500]
        assert up.wait(60) == 0
    finally:
        if up.poll() is None:
            stop_up(up)
    assert port_is_closed(env["CCHC_WEB_PORT"])
    assert port_is_closed(env["CCHC_TEMPORAL_ADDRESS"].rsplit(":", 1)[1])  # the dev server stopped last
    log = (tmp_path / "up.log").read_text(encoding="utf-8")
    assert log.index("Đang dừng worker") < log.index("Đã dừng máy chủ Temporal") < log.index("Đã dừng.")
    engine = create_engine(f"sqlite:///{Path(env['CCHC_DATA_DIR']) / 'cchc.db'}")
    try:
        with engine.connect() as connection:
            reports = connection.scalars(select(TaskEventRow.detail).where(TaskEventRow.kind == "report_progress"))
            assert list(reports) == [note]  # in the task's timeline, once
    finally:
        engine.dispose()


def answer(port: str, request: bytes) -> bytes:
    """What the server answers first to `request` sent raw ("" when it closed the connection)."""
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as connection:
        try:
            connection.sendall(request)
            return connection.recv(1024)
        except (BrokenPipeError, ConnectionResetError):
            return b""


def test_cchc_web_refuses_headers_beyond_its_limit_and_goes_on_serving(tmp_path):
    start = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: "
    with cchc_web(tmp_path) as (port, _):
        unfinished = answer(port, start + b"a" * (2 * MAX_HEADERS_BYTES))  # never ends: refused, not awaited
        endless = answer(port, start + b"a" * (64 * MAX_HEADERS_BYTES) + b"\r\n\r\n")
        normal = answer(port, start + b"a" * 100 + b"\r\nConnection: close\r\n\r\n")

    assert unfinished.startswith(b"HTTP/1.1 400 ")
    assert endless == b"" or endless.startswith(b"HTTP/1.1 4")
    assert normal.startswith(b"HTTP/1.1 200 OK")
