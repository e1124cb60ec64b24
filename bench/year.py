"""Year simulation and replay on the time-skipping test server.

Year: every occurrence of the Vĩnh Khê plan for N communes (76 each: 4 communes ≈ 300) runs
from 15/01/2024 to the year's end on the task clock, with nobody acting: each gets its
reminders, then escalates every three working days. The baseline is the bare workflow given
exactly the instants ours acted at (read back from `task_events`), so both sides run the same
timers and as many activities, each on a fresh test server.

Replay: the histories of both sides replayed by `temporalio.worker.Replayer`, as
`cchc audit replay` does, in turns (`REPLAY_ROUNDS`); histories per second.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import func, select
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from bench.bare import NOOP_CALLS, BareInput, BareTaskWorkflow
from bench.measure import Stopwatch
from bench.temporal_runs import Server, bare_worker, gather_limited, our_worker, start_ours, workflow_id
from devserver import find_test_server
from domain.calendar import TZ
from domain.models import Plan
from persistence.db import make_engine, make_session_factory, migrate
from persistence.task_tables import TaskEventRow
from temporal_client import register_search_attributes
from workflows.contracts import task_input
from workflows.sandbox import workflow_runner
from workflows.task import TaskWorkflow

PLAN_START = datetime(2024, 1, 15, 8, tzinfo=TZ)
YEAR_END = datetime(2024, 12, 31, 18, tzinfo=TZ)
STEP = timedelta(days=7)
REPLAY_ROUNDS = 3


async def time_skipping() -> WorkflowEnvironment:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter, test_server_existing_path=str(find_test_server())
    )
    await register_search_attributes(env.client)
    return env


async def skip(env: WorkflowEnvironment, span: timedelta) -> None:
    """Let the server's clock run `span`, a week per call: one call for a whole year of
    hundreds of workflows outlives the connection's request."""
    while span > timedelta(0):
        step = min(span, STEP)
        await env.sleep(step)
        span -= step


async def settle(count, quiet_seconds: float = 1.5) -> None:
    """Until `count()` stops growing for `quiet_seconds`, however long the machine takes."""
    last, since = count(), time.monotonic()
    while time.monotonic() - since < quiet_seconds:
        await asyncio.sleep(0.2)
        now = count()
        if now != last:
            last, since = now, time.monotonic()


async def run_ours(
    plan: Plan,
    communes: int,
    end: datetime,
    folder: Path,
    url: str | None = None,
    settled: Callable[[], None] | None = None,
):
    """Our year, recorded in `url` (else a SQLite file in `folder`); (seconds, alarm instants by
    workflow id on the server clock, histories). `settled()`, if given, is called once the year is over,
    while the test server and the database connections still run."""
    url = url or f"sqlite:///{folder / f'year-{uuid.uuid4().hex[:6]}.db'}"
    migrate(url)
    engine = make_engine(url)
    env = await time_skipping()
    try:
        sessions = make_session_factory(engine)
        offset = PLAN_START - await env.get_current_time()
        queue = f"year-ours-{uuid.uuid4().hex[:6]}"
        inputs = [
            task_input(plan, commune + 1, task, occurrence, clock_offset=offset)
            for commune in range(communes)
            for task in plan.tasks
            for occurrence in task.occurrences
        ]
        ids = [workflow_id(queue, i) for i in range(len(inputs))]

        def recorded() -> int:
            with sessions() as session:
                return session.scalar(select(func.count()).select_from(TaskEventRow)) or 0  # a count is never NULL

        server = Server(env.client, sessions)
        async with our_worker(server, queue):
            with Stopwatch() as watch:
                await start_ours(server, queue, inputs)
                await skip(env, end - PLAN_START)
                await settle(recorded)
            if settled:
                settled()
            histories = await fetch_histories(env.client, ids)
        alarms = defaultdict(list)
        with sessions() as session:
            rows = session.execute(
                select(TaskEventRow.workflow_id, TaskEventRow.at).where(
                    TaskEventRow.kind.in_(("reminder", "escalation"))
                )
            )
            for run_id, at in rows:
                alarms[run_id].append(at - offset)
        return watch.seconds, [sorted(alarms[i]) for i in ids], histories, offset
    finally:
        await env.shutdown()
        engine.dispose()


async def run_bare(
    alarms: list[list[datetime]], offset: timedelta, end: datetime
) -> tuple[float, list[WorkflowHistory]]:
    env = await time_skipping()
    try:
        shift = (PLAN_START - await env.get_current_time()) - offset  # the two servers' clocks differ
        queue = f"year-bare-{uuid.uuid4().hex[:6]}"
        ids = [workflow_id(queue, i) for i in range(len(alarms))]
        start = NOOP_CALLS[0]
        async with bare_worker(Server(env.client, None), queue):
            with Stopwatch() as watch:
                await gather_limited([
                    partial(
                        env.client.start_workflow,
                        BareTaskWorkflow.run,
                        BareInput(alarms=[a - shift for a in at]),
                        id=ids[i],
                        task_queue=queue,
                    )
                    for i, at in enumerate(alarms)
                ])  # fmt: skip
                await skip(env, end - PLAN_START)
                await settle(lambda: NOOP_CALLS[0] - start)
            histories = await fetch_histories(env.client, ids)
        return watch.seconds, histories
    finally:
        await env.shutdown()


async def fetch_histories(client: Client, ids: list[str]) -> list[WorkflowHistory]:
    return await gather_limited([client.get_workflow_handle(i).fetch_history for i in ids])


async def bench_year(plan: Plan, communes: int, folder: Path, end: datetime = YEAR_END) -> dict:
    ours_s, alarms, our_histories, offset = await run_ours(plan, communes, end, folder)
    bare_s, bare_histories = await run_bare(alarms, offset, end)
    ours_replay = bare_replay = 0.0
    for _ in range(REPLAY_ROUNDS):  # taking turns, so that a slow spell of the machine hits both sides
        ours_replay += await replay_time(our_histories, [TaskWorkflow]) / REPLAY_ROUNDS
        bare_replay += await replay_time(bare_histories, [BareTaskWorkflow]) / REPLAY_ROUNDS
    events = sum(len(h.events) for h in our_histories)
    bare_events = sum(len(h.events) for h in bare_histories)
    return {
        "year": {
            "communes": communes,
            "occurrences": len(alarms),
            "alarms": sum(len(a) for a in alarms),
            "year_sim_s": round(ours_s, 2),
            "bare_s": round(bare_s, 2),
            "year_sim_ratio": round(bare_s / ours_s, 3),
        },
        "replay": {
            "histories": len(our_histories),
            "events": events,
            "bare_events": bare_events,
            "replay_per_s": round(len(our_histories) / ours_replay, 1),
            "bare_per_s": round(len(bare_histories) / bare_replay, 1),
            "replay_ratio": round(bare_replay / ours_replay, 3),
        },
    }


async def replay_time(histories: list[WorkflowHistory], workflows: list) -> float:
    replayer = Replayer(workflows=workflows, workflow_runner=workflow_runner(), data_converter=pydantic_data_converter)

    async def each() -> AsyncIterator[WorkflowHistory]:
        for history in histories:
            yield history

    with Stopwatch() as watch:
        results = await replayer.replay_workflows(each(), raise_on_replay_failure=False)
    failures = [failure for failure in results.replay_failures.values() if failure is not None]
    if failures:
        raise RuntimeError(f"{len(failures)} histories failed to replay: {failures[0]}")
    return watch.seconds
