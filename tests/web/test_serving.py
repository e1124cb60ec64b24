"""The web application served for real: alone by `cchc web`, and inside `cchc up` beside the
worker, both stopped by Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import time

import httpx

from tests.cli.running import CCHC, choose_own_password, environment, start_up, stop_up
from tests.web.world import OWN_PASSWORD, PASSWORD


def web_address(env) -> str:
    return f"http://127.0.0.1:{env['CCHC_WEB_PORT']}"


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
        admin = choose_own_password(web_address(env), "quan-tri", PASSWORD, OWN_PASSWORD)
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
