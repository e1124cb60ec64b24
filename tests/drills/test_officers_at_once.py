"""Fault drill: 200 officers report progress through the web API at once, for 60 seconds.

The embedded stack as `cchc up` runs it on one machine: the Temporal dev server, a worker and
SQLite (`tests/web/world.py`), the web application served by `cchc web` in a process of its
own. Two hundred officers sign in, two or three on each of the plan's 76 tasks (officers of
its lead unit), then each reports progress on their task again and again, a second or so
after each answer (people read it). No request gets a 5xx; every report
the server accepted is in the task's timeline exactly once, with its officer and note; the
latency of the reports (p50/p99) is printed.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select

from domain.calendar import TZ
from domain.roles import Role
from persistence.task_tables import TaskEventRow, TaskRunRow
from persistence.users import NewUser, add_user
from services.passwords import hash_password
from tests.cli.running import CCHC, free_port, own_ports
from tests.web.world import COMMUNE, CSRF, PASSWORD, running_world

OFFICERS = 200
SECONDS = 60
THINK_SECONDS = (0.5, 1.5)
CLIENT_TIMEOUT = httpx.Timeout(120)
# The client lets go of an idle connection long before the server does (cli/web.py:
# KEEP_ALIVE_SECONDS), so a request never races the server closing it.
CLIENT_LIMITS = httpx.Limits(keepalive_expiry=2)


@dataclass
class Tally:
    accepted: list[tuple[str, str, str, int]] = field(default_factory=list)  # (task, officer, note, percent)
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)  # what the 5xx answers said, or no answer


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with running_world(tmp_path_factory.mktemp("officers")) as world:
        yield world


@pytest.fixture(scope="module")
def web(world, tmp_path_factory):
    """`cchc web` on the world's data directory and Temporal server, its output in web.log."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")} | {
        "CCHC_DATA_DIR": str(world.settings.data_dir),
        "CCHC_TEMPORAL_ADDRESS": world.settings.temporal_address,
        "CCHC_TASK_QUEUE": world.settings.task_queue,
        "CCHC_WEB_PORT": str(port),
        **own_ports(),
    }
    log = tmp_path_factory.mktemp("web") / "web.log"
    process = subprocess.Popen([str(CCHC), "web"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(30)


def wait_until_served(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "cchc web exited"
        try:
            if httpx.get(f"{base}/login").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError("cchc web never answered")


def officers(world) -> list[tuple[str, str]]:
    """(username, API path of their task) of 200 officers, the tasks in turn, each officer of
    the task's lead unit."""
    with world.sessions() as session:
        runs = session.execute(select(TaskRunRow.workflow_id, TaskRunRow.lead).order_by(TaskRunRow.workflow_id)).all()
    people = [(f"can-bo-{n:03d}", *runs[n % len(runs)]) for n in range(OFFICERS)]
    password_hash = hash_password(PASSWORD)
    with world.sessions.begin() as session:
        for username, _, lead in people:
            user = NewUser(username=username, role=Role.OFFICER, commune=COMMUNE, units=(lead[0],))
            add_user(session, user, password_hash, datetime.now(TZ), must_change_password=False)
    return [(username, "/api/tasks/" + workflow_id.removeprefix("cchc-task/")) for username, workflow_id, _ in people]


def test_two_hundred_officers_reporting_at_once_for_a_minute_get_no_server_error_and_lose_no_report(world, web, capsys):
    tally = asyncio.run(crowd(web, officers(world)))

    with capsys.disabled():
        print(f"\n{OFFICERS} officers, {SECONDS} s: {summary(tally)}")
    assert not tally.server_errors, "\n".join([summary(tally), *sorted(set(tally.server_errors))[:10]])
    assert len(tally.accepted) >= OFFICERS, summary(tally)  # each got at least one report through
    with world.sessions() as session:
        rows = session.execute(
            select(TaskEventRow.workflow_id, TaskEventRow.actor, TaskEventRow.detail, TaskEventRow.payload).where(
                TaskEventRow.kind == "report_progress"
            )
        ).all()
    recorded = Counter((workflow_id, actor, note, payload["percent"]) for workflow_id, actor, note, payload in rows)
    assert recorded == Counter(tally.accepted)


async def crowd(base: str, people: list[tuple[str, str]]) -> Tally:
    tally = Tally()
    clients = [httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, limits=CLIENT_LIMITS) for _ in people]
    try:
        await asyncio.gather(
            *(sign_in(client, username) for client, (username, _) in zip(clients, people, strict=True))
        )
        stop = time.monotonic() + SECONDS
        await asyncio.gather(*(
            keep_reporting(client, username, path, stop, tally) for client, (username, path) in zip(clients, people, strict=True)
        ))  # fmt: skip
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return tally


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    found = CSRF.search((await client.get("/login")).text)
    assert found is not None, "the login page carries a CSRF token"
    token = found.group(1)
    response = await client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text


async def keep_reporting(client: httpx.AsyncClient, username: str, path: str, stop: float, tally: Tally) -> None:
    chooser = random.Random(username)
    sent = 0
    while time.monotonic() < stop:
        sent += 1
        note, percent = f"{username} báo cáo lần {sent}", chooser.randint(1, 99)
        started = time.monotonic()
        try:
            response = await client.post(f"{path}/progress", json={"percent": percent, "note": note})
        except httpx.TransportError as error:
            tally.server_errors.append(f"{path}: no answer ({error!r})")
            continue
        tally.latencies.append(time.monotonic() - started)
        tally.statuses[response.status_code] += 1
        await asyncio.sleep(chooser.uniform(*THINK_SECONDS))
        if response.status_code == 200:
            tally.accepted.append((workflow_id(path), username, note, percent))
        elif response.status_code >= 500:
            tally.server_errors.append(f"{response.status_code} {path}: {response.text}")


def workflow_id(api_path: str) -> str:
    return "cchc-task/" + re.sub(r"^/api/tasks/", "", api_path)


def summary(tally: Tally) -> str:
    latencies = sorted(tally.latencies)
    p50, p99 = (latencies[int(q * (len(latencies) - 1))] for q in (0.5, 0.99))
    return (
        f"{len(latencies)} reports, {len(tally.accepted)} accepted, answers {dict(tally.statuses)}, "
        f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )
