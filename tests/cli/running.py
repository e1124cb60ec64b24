"""`cchc up` as a user runs it: a process of its own, its data directory, free ports."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from devserver import find_temporal_cli

SAMPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
CCHC = Path(sys.executable).parent / "cchc"
READY = "Worker đang chạy"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# Ports handed out by this test session: never twice, so two servers never get the same one.
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port free now for a server a test starts. Chosen below the range the system gives
    outgoing connections and `bind(port 0)`, so none of those takes it before the server
    binds it (on a busy machine that happened: "address already in use")."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randrange(10_000, low)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port


def environment(data_dir: Path) -> dict[str, str]:
    """This machine's environment without any CCHC_ setting, on `data_dir` and free ports."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CCHC_")},
        "CCHC_DATA_DIR": str(data_dir),
        "CCHC_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "CCHC_TEMPORAL_UI_PORT": str(free_port()),
        "CCHC_WEB_PORT": str(free_port()),
        **own_ports(),
    }


def own_ports() -> dict[str, str]:
    """The ports one long-running `cchc` process opens beside its work (metrics, the worker's
    health), free: two processes of a test never share them."""
    return {
        "CCHC_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
        "CCHC_WORKER_HEALTH_ADDRESS": f"127.0.0.1:{free_port()}",
    }


def start_up(env: dict[str, str], log: Path, command: str = "up") -> subprocess.Popen:
    """`cchc up` (or `cchc worker`) running, once its worker polls."""
    process = subprocess.Popen(
        [str(CCHC), command], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while READY not in log.read_text(encoding="utf-8"):
        assert process.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, f"cchc {command} did not become ready in 60 s"
        time.sleep(0.3)
    return process


def stop_up(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def cchc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CCHC), *args], env=env, capture_output=True, text=True, timeout=180)


def add_account(env: dict[str, str], user: str, password: str, *options: str) -> None:
    """An account added as an administrator adds it, its password typed on stdin."""
    added = subprocess.run(
        [str(CCHC), "user", "add", user, *options, "--password-stdin"],
        env=env,
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr


def workflow_count(env: dict[str, str], query: str) -> int:
    """What the real `temporal workflow count --query` says."""
    out = subprocess.run(
        [str(find_temporal_cli()), "workflow", "count", "--address", env["CCHC_TEMPORAL_ADDRESS"], "--query", query],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return int(out.split(":")[-1])


def settled_count(env: dict[str, str], query: str, expected: int, wait: float = 10.0) -> int:
    """The count once it reaches `expected` (visibility trails the workflow), or the last seen."""
    deadline = time.monotonic() + wait
    while (count := workflow_count(env, query)) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def choose_own_password(site: str, username: str, given: str, chosen: str) -> httpx.Client:
    """A client signed in to the running `site` as `username`, whose password the operator set
    to `given`: at this first sign-in its owner changes it to `chosen`, as the site asks."""
    client = httpx.Client(base_url=site, timeout=30)
    for path, fields in (
        ("/login", {"username": username, "password": given}),
        ("/password", {"current": given, "password": chosen, "again": chosen}),
    ):
        found = CSRF.search(client.get(path).text)
        assert found is not None, f"{path} carries a CSRF token"
        response = client.post(path, data={**fields, "csrf_token": found.group(1)})
        assert response.status_code == 303, response.text
    return client
