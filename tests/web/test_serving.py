"""The web application served for real: alone by `cchc web`, and inside `cchc up` beside the
worker, both stopped by Ctrl-C; `cchc up` stopped by SIGTERM finishes a request in flight."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select

from persistence.task_tables import TaskEventRow
from tests.cli.running import CCHC, SAMPLE, cchc, environment, start_up, stop_up
from tests.web.world import PASSWORD


def web_address(env) -> str:
    return f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"


def signed_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base)
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found is not None, "the login page carries a CSRF token"
    token = found.group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return client


def port_is_closed(port: str) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", int(port))) != 0


def test_cchc_up_serves_the_web_beside_the_worker_and_stops_it_on_ctrl_c(tmp_path):
    env = environment(tmp_path / "data")
    added = subprocess.run(
        [str(CCHC), "user", "add", "quan-tri", "--role", "admin", "--password-stdin"],
        env=env,
        input=PASSWORD,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    up = start_up(env, tmp_path / "up.log")
    try:
        assert f"Trang web: {web_address(env)}" in (tmp_path / "up.log").read_text(encoding="utf-8")
        admin = signed_in(web_address(env), "quan-tri")
        assert admin.get("/api/tasks").json()["tasks"] == []
        dashboard = admin.get("/").text
        assert 'class="banner"' not in dashboard  # the worker of `cchc up` serves the task queue
    finally:
        assert stop_up(up) == 0
    assert port_is_closed(env["CCHC_WEB_PORT"])


def test_cchc_web_serves_the_pages_alone_on_the_port_it_is_given(tmp_path):
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
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/login")
                break
            except httpx.TransportError:
                assert web.poll() is None and time.monotonic() < deadline, web.stdout.read()
                time.sleep(0.2)
        assert page.status_code == 200 and "Đăng nhập" in page.text
    finally:
        web.send_signal(signal.SIGINT)
        web.wait(timeout=20)
    assert f"Trang web: http://127.0.0.1:{port}" in web.stdout.read()
    assert port_is_closed(port)


def add_user(env, username: str, *options: str) -> None:
    added = subprocess.run(
        [str(CCHC), "user", "add", username, *options, "--password-stdin"],
        env=env,
        input=PASSWORD,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr


def progress_request(officer: httpx.Client, path: str, body: bytes) -> bytes:
    """The head of a JSON POST of `body` to `path`, with the officer's session cookie."""
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in officer.cookies.jar)
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookies}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()


def test_cchc_up_stopped_by_sigterm_lets_a_report_in_flight_reach_the_worker_then_stops_everything(tmp_path):
    env = environment(tmp_path / "data")
    add_user(env, "can-bo-van-phong", "--role", "officer", "--unit", "Văn phòng", "--commune", "Vĩnh Khê")
    note = "Đang soạn dự thảo kế hoạch"
    body = json.dumps({"percent": 40, "note": note}).encode()
    up = start_up(env, tmp_path / "up.log")
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        assert cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due").returncode == 0
        officer = signed_in(web_address(env), "can-bo-van-phong")
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
