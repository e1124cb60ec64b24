"""A running world for the web tests: a migrated SQLite database, the real Temporal dev server
with a worker on it, the Vĩnh Khê 2024 plan imported and started (every occurrence, all past
due now), the commune's accounts, and browsers signed in as each of them.

Temporal's client lives on an event loop of its own in a background thread (`LoopThread`);
each browser is a `TestClient` of its own app instance, with its own loop, engine and client,
as separate web processes would be.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from config import Settings
from demo.par_round import sample_catalogue
from devserver import find_temporal_cli
from domain.calendar import TZ, WorkCalendar
from domain.communes import CommuneProfile
from domain.roles import Actor, Role
from importers import read_plan
from persistence.communes import update_commune
from persistence.db import make_engine, make_session_factory, migrate
from persistence.plans import save_plan
from persistence.round_tables import RoundEventRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from persistence.users import NewUser, add_user
from services.catalogues import load_catalogue
from services.passwords import hash_password
from services.plan_start import start_plan
from services.rounds import open_round
from services.tasks import today_in_vietnam
from tests.cli.running import free_port
from tests.workflows.rig import QUIET_EVENTS
from web.app import create_app
from worker import build_worker
from workflows.contracts import task_workflow_id
from workflows.round_contracts import RoundInput
from workflows.search import ALL_KEYS

SAMPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
COMMUNE = "Vĩnh Khê"
PASSWORD = "mat-khau-thu-nghiem"
OWN_PASSWORD = "mat-khau-cua-rieng-toi"  # what a user chooses at the first sign-in
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

OTHER_COMMUNE = "Long Điền A"

# username -> (role, units, commune); an appraiser's or supervisor's "commune" is the communes it supervises
ACCOUNTS: dict[str, tuple[Role, tuple[str, ...], str | tuple[str, ...] | None]] = {
    "chu-tich": (Role.CHAIRMAN, (), COMMUNE),
    "van-phong": (Role.REVIEWER, (), COMMUNE),
    "cong-chuc-vp": (Role.OFFICER, ("Văn phòng",), COMMUNE),
    "cong-chuc-tp": (Role.OFFICER, ("Tư pháp",), COMMUNE),
    "so-noi-vu": (Role.AUDITOR, (), None),
    "quan-tri": (Role.ADMIN, (), None),
    "chu-tich-xa-khac": (Role.CHAIRMAN, (), OTHER_COMMUNE),
    "van-phong-xa-khac": (Role.REVIEWER, (), OTHER_COMMUNE),
    "cong-chuc-xa-khac": (Role.OFFICER, ("Văn phòng",), OTHER_COMMUNE),
    "quan-tri-xa-khac": (Role.ADMIN, (), OTHER_COMMUNE),
    "tham-dinh": (Role.APPRAISER, (), (COMMUNE,)),
    "tham-dinh-xa-khac": (Role.APPRAISER, (), (OTHER_COMMUNE,)),
    "giam-sat": (Role.SUPERVISOR, (), (COMMUNE, OTHER_COMMUNE)),
}


class LoopThread:
    """An event loop running in a daemon thread: coroutines run there, callers wait."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@dataclass
class World:
    settings: Settings
    sessions: sessionmaker[Session]
    background: LoopThread
    env: WorkflowEnvironment
    plan_id: int
    browsers: list[TestClient] = field(default_factory=list)
    signed_in: dict[str, TestClient] = field(default_factory=dict)

    # --- people ----------------------------------------------------------------------------

    def app_client(self, **settings: Any) -> TestClient:
        """A browser on an app of its own (optionally with other settings), signed in as nobody."""
        client = TestClient(create_app(self.settings.model_copy(update=settings)), follow_redirects=False)
        client.__enter__()
        self.browsers.append(client)
        return client

    def browser(self, username: str, **settings: Any) -> TestClient:
        """A browser signed in as `username`: a new one for other settings, else the same one."""
        if settings or username not in self.signed_in:
            client = self.app_client(**settings)
            sign_in(client, username)
            if settings:
                return client
            self.signed_in[username] = client
        return self.signed_in[username]

    def close(self) -> None:
        for client in self.browsers:
            client.__exit__(None, None, None)

    # --- tasks -----------------------------------------------------------------------------

    def task_id(self, code: str, occurrence: str) -> str:
        return task_workflow_id(self.plan_id, code, occurrence)

    def events(self, workflow_id: str) -> list[TaskEventRow]:
        with self.sessions() as session:
            query = select(TaskEventRow).where(TaskEventRow.workflow_id == workflow_id).order_by(TaskEventRow.seq)
            return list(session.scalars(query))

    def event_count(self, workflow_id: str | None = None) -> int:
        query = select(func.count()).select_from(TaskEventRow)
        if workflow_id is not None:
            query = query.where(TaskEventRow.workflow_id == workflow_id)
        with self.sessions() as session:
            return session.scalars(query).one()

    def history_length(self, workflow_id: str) -> int:
        """The workflow's history length once nothing is in flight."""
        return self.background.run(_quiet_history_length(self.env, workflow_id))

    def state(self, workflow_id: str) -> str:
        return self.events(workflow_id)[-1].state

    # --- the PAR round -----------------------------------------------------------------------

    def open_round(self) -> int:
        """Vĩnh Khê's 2024 round on the sample catalogue, dated 2024 (deadlines far ahead, so no alarm
        fires during the tests), opened once; the catalogue's id."""
        with self.sessions.begin() as session:
            catalogue_id = sample_catalogue(session, 2024, datetime.now(TZ))
            province = load_catalogue(session, catalogue_id).province
            update_commune(session, CommuneProfile(name=COMMUNE, province=province))  # the catalogue's
        today = today_in_vietnam()
        opening = RoundInput(
            commune=COMMUNE,
            year=2024,
            plan_id=self.plan_id,
            catalogue_id=catalogue_id,
            plan_completion_codes=("1.1.2",),
            opens=today,
            submission_due=today + timedelta(days=90),
            explanation_due=today + timedelta(days=150),
        )
        if self.background.run(open_round(self.env.client, opening, task_queue=self.settings.task_queue)):
            wait_for(lambda: self.round_events() > 0, what="the round's opening recorded")
        return catalogue_id

    def round_events(self) -> int:
        with self.sessions() as session:
            return session.scalars(select(func.count()).select_from(RoundEventRow)).one()

    def run_row_lead(self, workflow_id: str) -> list[str]:
        with self.sessions() as session:
            run = session.get(TaskRunRow, workflow_id)
            assert run is not None, f"the run row of {workflow_id} is stored"
            return run.lead


async def _quiet_history_length(env: WorkflowEnvironment, workflow_id: str) -> int:
    handle = env.client.get_workflow_handle(workflow_id)
    for _ in range(500):
        events = (await handle.fetch_history()).events
        if events[-1].event_type in QUIET_EVENTS:
            return len(events)
        await asyncio.sleep(0.02)
    raise TimeoutError(f"{workflow_id} did not settle")


# --- building it -----------------------------------------------------------------------------

ADMIN = Actor(user="quan-tri", role=Role.ADMIN)


@contextmanager
def running_world(data: Path) -> Iterator[World]:
    port = free_port()
    settings = Settings(data_dir=data, temporal_address=f"127.0.0.1:{port}", task_queue=unique_queue())
    migrate(settings.effective_database_url)
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    add_accounts(sessions)
    background = LoopThread()
    env = background.run(start_temporal(port))
    worker, running = background.run(_run_worker(env, sessions, settings.task_queue))
    world = World(settings, sessions, background, env, plan_id=_start_sample_plan(settings, sessions, background, env))
    try:
        yield world
    finally:
        world.close()
        background.run(worker.shutdown())
        background.run(_finished(running))
        background.run(env.shutdown())
        background.stop()
        engine.dispose()


def _start_sample_plan(settings: Settings, sessions, background: LoopThread, env: WorkflowEnvironment) -> int:
    """Import and start the sample plan, every occurrence; wait until each has escalated."""
    with sessions.begin() as session:
        plan_id = save_plan(session, read_plan(SAMPLE).plan, source_file=SAMPLE.name, source_sha256="0" * 64).plan_id
    with sessions.begin() as session:
        report = background.run(
            start_plan(env.client, session, plan_id, actor=ADMIN, include_past_due=True, task_queue=settings.task_queue)
        )
    wait_for(lambda: _escalations(sessions) == len(report.started), what="every overdue task escalated")
    return plan_id


async def _run_worker(env: WorkflowEnvironment, sessions, task_queue: str):
    """A worker is built on the loop it runs on."""
    worker = build_worker(env.client, sessions, task_queue=task_queue)
    return worker, asyncio.get_running_loop().create_task(worker.run())


async def _finished(task: asyncio.Task) -> None:
    await task


def _escalations(sessions) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(TaskEventRow).where(TaskEventRow.kind == "escalation")
        return session.scalar(query)


async def start_temporal(port: int) -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        data_converter=pydantic_data_converter,
        dev_server_existing_path=str(find_temporal_cli()),
        dev_server_log_level="error",
        search_attributes=ALL_KEYS,
        port=port,
    )


def add_accounts(sessions: sessionmaker[Session]) -> None:
    password_hash = hash_password(PASSWORD)
    with sessions.begin() as session:
        for username, (role, units, commune) in ACCOUNTS.items():
            supervises = commune if isinstance(commune, tuple) else ()
            new = NewUser(
                username=username,
                role=role,
                commune=None if isinstance(commune, tuple) else commune,
                units=units,
                supervises=supervises,
            )
            add_user(session, new, password_hash, datetime.now(TZ), must_change_password=False)


def wait_for(condition, *, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def unique_queue() -> str:
    return f"cchc-web-test-{uuid.uuid4().hex[:8]}"


# --- what a person does in a browser ---------------------------------------------------------


def form_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token in the forms of the page at `path`."""
    response = client.get(path)
    match = CSRF.search(response.text)
    assert match, f"no form on {path}: {response.status_code}"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    token = form_token(client)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text
    return response


def first_sign_in(client: TestClient, username: str, given: str, chosen: str = OWN_PASSWORD) -> None:
    """Sign in with a password someone else set, and change it to `chosen` as the site then asks."""
    assert sign_in(client, username, given).headers["location"] == "/"
    assert client.get("/").headers["location"] == "/password?next=/"
    fields = {"current": given, "password": chosen, "again": chosen, "csrf_token": form_token(client, "/password")}
    changed = client.post("/password", data=fields)
    assert changed.headers["location"] == "/", changed.text


def task_path(workflow_id: str) -> str:
    return "/tasks/" + workflow_id.removeprefix("cchc-task/")


def flash_text(page: str) -> list[str]:
    return re.findall(r'<p class="flash (?:ok|error)" role="status">([^<]*)</p>', page)


def working_day_after(days: int) -> date:
    return WorkCalendar().roll_forward(today_in_vietnam() + timedelta(days=days))


def pdf_bytes(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"
