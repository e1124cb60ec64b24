"""Fault drill: the worker is SIGKILLed ten times at random moments of a simulated year.

Section I of the Vĩnh Khê 2024 plan runs from 15/01/2024 to the year's end on the
time-skipping test server, nobody acting: every occurrence gets its reminders, then escalates
every three working days. `cchc worker` runs in a process of its own. The year is run twice,
each on a fresh server and database: once undisturbed, once with the worker killed (SIGKILL,
no goodbye) ten times while the server's clock is moving, a new worker process taking over
each time. Both years end with the same task states, the same events (the same kind, state
and data, none more than two minutes later), and, once the outbox is routed, the same emails:
none lost, none doubled.

The killed workers keep no workflow cache (`CCHC_WORKER_CACHED_WORKFLOWS=0`): a real server
hands a dead worker's sticky workflow tasks to another after a few seconds, the test server
never does. Each workflow task then replays its history from the start, which is also why
the drill runs one section of the plan and not all of it.

The moments are random; the seed is printed with any failure, and `CCHC_DRILL_SEED` replays it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import func, select
from temporalio.api.testservice.v1 import SleepRequest
from temporalio.testing import WorkflowEnvironment

from config import Settings
from devserver import find_test_server
from domain.calendar import TZ
from domain.roles import Actor, Role
from importers import read_plan
from importers.people import read_people
from notifications.outbox import Outbox, route_pending
from persistence.db import make_engine, make_session_factory, migrate
from persistence.mail_tables import EmailRow
from persistence.people import replace_directory
from persistence.plans import save_plan
from persistence.task_tables import NotificationRow, TaskEventRow, TaskRunRow
from services.plan_start import start_plan
from temporal_client import connect, register_search_attributes
from tests.drills.worker_process import ROOT, WorkerProcess

SAMPLE = ROOT / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
PEOPLE = ROOT / "importers" / "samples" / "vinh-khe-people.yaml"
PLAN_START = datetime(2024, 1, 15, 8, 0, tzinfo=TZ)
YEAR_END = datetime(2024, 12, 31, 18, 0, tzinfo=TZ)
WEEK = timedelta(days=7)
KILLS = 10
TASKS, OCCURRENCES = 6, 12  # section I, two units
CHAIRMAN = Actor(user="chu-tich", role=Role.CHAIRMAN)
OUTBOX = Outbox(mail_from="CCHC xã Vĩnh Khê <cchc@vinhkhe.example.vn>", base_url="https://cchc.vinhkhe.example.vn")
WHOLE_TEST_SECONDS = 600
SLEEP_DEADLINE = timedelta(minutes=5)
# How much later an event may be recorded than in the undisturbed year: a timer that fires while
# the worker is dead waits for the next one (the server holds its clock until the dead worker's
# workflow task times out, 10 s).
LATE = timedelta(minutes=2)


@dataclass(frozen=True)
class YearOutcome:
    states: dict[str, tuple[str, int]]  # workflow id -> (state, escalation level)
    events: list[tuple]
    emails: list[tuple]
    kills: int


def test_a_worker_killed_ten_times_through_a_year_ends_the_year_as_an_undisturbed_one(tmp_path):
    seed = int(os.environ.get("CCHC_DRILL_SEED") or random.SystemRandom().randrange(10**6))
    undisturbed = asyncio.run(asyncio.wait_for(simulate_year(tmp_path / "calm", None), WHOLE_TEST_SECONDS))
    disturbed = asyncio.run(
        asyncio.wait_for(simulate_year(tmp_path / "killed", random.Random(seed)), WHOLE_TEST_SECONDS)
    )

    replay = f"CCHC_DRILL_SEED={seed}"
    assert disturbed.kills == KILLS, replay
    assert len(undisturbed.states) == OCCURRENCES and len(undisturbed.emails) > 1000  # the drill has something to lose
    assert disturbed.states == undisturbed.states, replay
    assert [event[:-1] for event in disturbed.events] == [event[:-1] for event in undisturbed.events], replay
    late = [
        (a[:2], b[-1] - a[-1])
        for a, b in zip(undisturbed.events, disturbed.events, strict=False)
        if abs(b[-1] - a[-1]) > LATE
    ]
    assert not late, f"{replay}: events later than {LATE}: {late[:5]}"
    assert disturbed.emails == undisturbed.emails, replay


async def simulate_year(folder: Path, kills: random.Random | None) -> YearOutcome:
    folder.mkdir()
    url = f"sqlite:///{folder / 'cchc.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=str(find_test_server()))
    address = env.client.service_client.config.target_host
    settings = Settings(temporal_address=address, database_url=url, data_dir=folder)
    settings_env = {
        "CCHC_TEMPORAL_ADDRESS": address,
        "CCHC_DATABASE_URL": url,
        "CCHC_DATA_DIR": str(folder),
    }
    if kills:
        settings_env["CCHC_WORKER_CACHED_WORKFLOWS"] = "0"
    workers: list[WorkerProcess] = []
    try:
        client = await connect(settings)
        await register_search_attributes(client)

        async def new_worker() -> WorkerProcess:
            workers.append(WorkerProcess(settings_env, folder / f"worker-{len(workers) + 1}.log"))
            await workers[-1].announced()
            return workers[-1]

        await new_worker()
        await start_sample_plan(client, sessions, env)
        weeks = [WEEK] * ((YEAR_END - PLAN_START) // WEEK) + [(YEAR_END - PLAN_START) % WEEK]
        killed_in = set(kills.sample(range(len(weeks)), KILLS)) if kills else set()
        for week, span in enumerate(weeks):
            if week in killed_in:
                assert kills is not None, "weeks are chosen to be killed in only with a Random"
                await kill_while_the_clock_moves(env, span, workers[-1], kills.uniform(0, 0.5), new_worker)
            else:
                await run_clock(env, span)
        await settle(lambda: event_count(sessions))
    finally:
        for worker in workers:
            worker.stop()
        await env.shutdown()
    try:
        route_outbox(sessions)
        return outcome(sessions, len(workers) - 1)
    finally:
        engine.dispose()


async def start_sample_plan(client, sessions, env: WorkflowEnvironment) -> None:
    plan = read_plan(SAMPLE).plan
    # Every escalation level emails, as many emails as a year can raise: the drill has something to lose.
    settings = plan.settings.model_copy(update={"escalation_emails": 366})
    plan = plan.model_copy(update={"tasks": plan.tasks[:TASKS], "settings": settings})
    with sessions.begin() as session:
        plan_id = save_plan(session, plan, source_file=SAMPLE.name, source_sha256="0" * 64).plan_id
        replace_directory(session, plan.commune, read_people(PEOPLE), PLAN_START)
    offset = PLAN_START - await env.get_current_time()
    with sessions.begin() as session:
        report = await start_plan(
            client, session, plan_id, actor=CHAIRMAN, include_past_due=True, now=PLAN_START, clock_offset=offset
        )
    assert len(report.started) == OCCURRENCES


async def kill_while_the_clock_moves(env, span: timedelta, worker: WorkerProcess, after: float, new_worker) -> None:
    """Kill `worker` `after` seconds into a week's run of the clock, and start another in its place."""
    running = asyncio.create_task(run_clock(env, span))
    await asyncio.sleep(after)
    assert worker.kill() == -signal.SIGKILL
    await new_worker()
    await running


async def run_clock(env: WorkflowEnvironment, span: timedelta) -> None:
    """Let the server's clock run `span`, however long that takes: while a dead worker's
    task is outstanding the server holds its clock until the task times out, longer than a
    request's default deadline (an abandoned request would leave the clock running free)."""
    request = SleepRequest()
    request.duration.FromTimedelta(span)
    await env.client.test_service.unlock_time_skipping_with_sleep(request, timeout=SLEEP_DEADLINE)


def event_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(TaskEventRow.id)))


async def settle(count, quiet_seconds: float = 3, timeout: float = 120) -> None:
    """Until `count()` stops growing for `quiet_seconds`: the year's last events are recorded."""
    deadline = time.monotonic() + timeout
    last, since = count(), time.monotonic()
    while time.monotonic() - since < quiet_seconds:
        assert time.monotonic() < deadline, "the year never settled"
        await asyncio.sleep(0.2)
        if (now := count()) != last:
            last, since = now, time.monotonic()


def route_outbox(sessions) -> None:
    """Turn every notification into its emails, as the relay of `cchc up` does."""
    with sessions.begin() as session:
        route_pending(session, OUTBOX, YEAR_END, limit=session.scalar(select(func.count(NotificationRow.id))))


def outcome(sessions, kills: int) -> YearOutcome:
    with sessions() as session:
        runs = session.scalars(select(TaskRunRow)).all()
        events = session.scalars(select(TaskEventRow).order_by(TaskEventRow.workflow_id, TaskEventRow.seq)).all()
        emails = session.scalars(select(EmailRow).order_by(EmailRow.dedup_key)).all()
        return YearOutcome(
            states={run.workflow_id: (run.state, run.escalation_level) for run in runs},
            events=[(e.workflow_id, e.seq, e.kind, e.state, e.detail, minutes_in(e.payload), e.at) for e in events],
            emails=[(e.dedup_key, e.kind, e.recipients, e.subject, body(e.raw)) for e in emails],
            kills=kills,
        )


def minutes_in(payload: dict) -> dict:
    """The instants in `payload` to the minute: the two servers' clocks differ by milliseconds
    (an alarm of a task started past due is scheduled at once)."""
    return {
        key: datetime.fromisoformat(value).replace(second=0, microsecond=0) if key.endswith("_at") else value
        for key, value in payload.items()
    }


def body(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=default_policy)
    text = message.get_body(("plain",))
    assert text is not None, "the mail has a plain text part"
    return text.get_content()
