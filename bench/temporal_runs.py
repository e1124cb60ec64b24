"""Start, lifecycle and timer benchmarks on the embedded dev server (its SQLite file), ours
against the bare workflow (`bench/bare.py`), one after the other on the same server, each
with a worker of the same settings on a task queue of its own.
"""

from __future__ import annotations

import asyncio
import math
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from bench.bare import NOOP_CALLS, BareInput, BareTaskWorkflow, noop
from bench.measure import Stopwatch, percentile, summary_ms
from devserver import DevServer, DevServerConfig
from domain.alerts import AlertState, next_alarm
from domain.calendar import TZ, WorkCalendar
from domain.lifecycle import TaskEntryKind, TaskState
from domain.models import Plan, PlanSettings
from domain.roles import Actor, Role
from persistence.db import make_engine, make_session_factory, migrate
from persistence.task_tables import TaskEventRow
from worker import build_worker
from workflows.contracts import Acknowledge, EvidenceSubmission, ProgressReport, ReviewDecision, TaskInput, task_input
from workflows.sandbox import workflow_runner
from workflows.search import task_search_attributes
from workflows.task import TaskWorkflow

CONCURRENCY = 50
STALL_SECONDS = 120  # a wait ends when nothing has moved for this long, not after a fixed time
OFFICER = Actor(user="cong-chuc", role=Role.OFFICER, units=("Văn phòng",))
REVIEWER = Actor(user="van-phong", role=Role.REVIEWER)
FAR_DUE = date(2024, 12, 31)  # far ahead of the task clock the benchmarks set (`_january_2024`)
MARGIN_SECONDS = 5.0  # the timers' instant comes at least this long after every workflow waits on it
MAX_ATTEMPTS = 3
# Each side is measured ROUNDS times, in turns: a slow spell of a shared machine (a neighbour's
# load, a collection) then falls on both sides instead of deciding a ratio.
ROUNDS = 2
TURNS = ("ours", "bare") * ROUNDS


@dataclass
class Server:
    client: Client
    sessions: sessionmaker[Session] | None  # None: a server for the bare workflows, which record nothing
    process: DevServer | None = None  # the dev server's child process, when we started it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def dev_server(folder: Path, url: str | None = None) -> AsyncIterator[Server]:
    """The embedded dev server on loopback ports of its own, and our database (`url`, else a
    SQLite file in `folder`)."""
    config = DevServerConfig("127.0.0.1", free_port(), free_port(), folder / "temporal")
    url = url or f"sqlite:///{folder / 'cchc.db'}"
    migrate(url)
    engine = make_engine(url)
    async with DevServer(config) as process:
        client = await Client.connect(config.address, data_converter=pydantic_data_converter)
        try:
            yield Server(client, make_session_factory(engine), process)
        finally:
            engine.dispose()


def our_worker(server: Server, queue: str) -> Worker:
    assert server.sessions is not None, "our workflows record their events"
    return build_worker(server.client, server.sessions, task_queue=queue)


def bare_worker(server: Server, queue: str) -> Worker:
    return Worker(
        server.client, task_queue=queue, workflows=[BareTaskWorkflow], activities=[noop],
        workflow_runner=workflow_runner(),
    )  # fmt: skip


def queue_name(kind: str) -> str:
    return f"bench-{kind}-{uuid.uuid4().hex[:6]}"


async def gather_limited(calls: list[Callable[[], Awaitable]], limit: int = CONCURRENCY) -> list:
    semaphore = asyncio.Semaphore(limit)

    async def one(call):
        async with semaphore:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


async def wait_for(count: Callable[[], int], target: int, stall: float = STALL_SECONDS) -> int:
    """Until `count()` reaches `target`, however long that takes while it keeps growing; a
    count that stops growing for `stall` seconds ends the wait. What it reached."""
    reached, since = count(), time.monotonic()
    while reached < target and time.monotonic() - since < stall:
        await asyncio.sleep(0.05)
        now = count()
        if now != reached:
            reached, since = now, time.monotonic()
    return reached


def events_recorded(server: Server, kind: str | None = None, queue: str | None = None) -> Callable[[], int]:
    """How many events are recorded (of `kind`; of the workflows started on `queue`)."""
    sessions = server.sessions
    assert sessions is not None, "only our workflows record events"

    def count() -> int:
        with sessions() as session:
            query = select(func.count()).select_from(TaskEventRow)
            if kind:
                query = query.where(TaskEventRow.kind == kind)
            if queue:
                query = query.where(TaskEventRow.workflow_id.startswith(workflow_id(queue, "")))
            return session.scalar(query) or 0  # a count is never NULL

    return count


def our_inputs(plan: Plan, count: int, *, due: date = FAR_DUE, offset: timedelta | None = None) -> list[TaskInput]:
    """`count` task inputs from the plan's first task, each its own occurrence, their clock at
    `offset` (by default on 02/01/2024, so that nothing is due before the benchmark acts)."""
    task = plan.tasks[0]
    occurrence = task.occurrences[0]
    base = task_input(plan, 1, task, occurrence, clock_offset=_january_2024() if offset is None else offset)
    return [base.model_copy(update={"occurrence_key": f"bench-{i}", "due": due}) for i in range(count)]


def workflow_id(queue: str, i: int | str) -> str:
    return f"{queue}/{i}"


async def start_ours(server: Server, queue: str, inputs: list[TaskInput]) -> None:
    """Start our workflows as the product does: with their search attributes."""
    await gather_limited([
        partial(
            server.client.start_workflow, TaskWorkflow.run, task, id=workflow_id(queue, i), task_queue=queue,
            search_attributes=task_search_attributes(task, TaskState.ASSIGNED),
        )
        for i, task in enumerate(inputs)
    ])  # fmt: skip


async def start_bare(server: Server, queue: str, specs: list[BareInput]) -> None:
    await gather_limited([
        partial(server.client.start_workflow, BareTaskWorkflow.run, spec, id=workflow_id(queue, i), task_queue=queue)
        for i, spec in enumerate(specs)
    ])  # fmt: skip


# --- plan start --------------------------------------------------------------------------------


async def bench_start(server: Server, plan: Plan, count: int) -> dict:
    """`count` workflows started until each has run its first activity (ours: the assignment
    recorded in SQL), ours and bare in turns; workflows per second and start_ratio = ours / bare."""
    done, seconds = {"ours": 0, "bare": 0}, {"ours": 0.0, "bare": 0.0}
    for kind in TURNS:
        started, took = await (
            _start_round_ours(server, plan, count) if kind == "ours" else _start_round_bare(server, count)
        )
        done[kind] += started
        seconds[kind] += took
    ours_per_s, bare_per_s = done["ours"] / seconds["ours"], done["bare"] / seconds["bare"]
    return {
        "workflows": count,
        "rounds": ROUNDS,
        "started": done,
        "ours_per_s": round(ours_per_s, 1),
        "bare_per_s": round(bare_per_s, 1),
        "start_ratio": round(ours_per_s / bare_per_s, 3),
    }


async def _start_round_ours(server: Server, plan: Plan, count: int) -> tuple[int, float]:
    """How many of `count` of our workflows recorded their assignment, and in how many seconds."""
    queue = queue_name("start-ours")
    assigned = events_recorded(server, TaskEntryKind.ASSIGN.value, queue)  # one a workflow, whatever follows it
    async with our_worker(server, queue):
        with Stopwatch() as watch:
            await start_ours(server, queue, our_inputs(plan, count))
            done = await wait_for(assigned, count)
    return done, watch.seconds


async def _start_round_bare(server: Server, count: int) -> tuple[int, float]:
    """How many of `count` bare workflows ran their first activity, and in how many seconds."""
    queue = queue_name("start-bare")
    start = NOOP_CALLS[0]
    async with bare_worker(server, queue):
        with Stopwatch() as watch:
            await start_bare(server, queue, [BareInput() for _ in range(count)])
            done = await wait_for(lambda: NOOP_CALLS[0] - start, count)
    return done, watch.seconds


# --- lifecycle ---------------------------------------------------------------------------------

SHA = "0" * 64
LIFECYCLE_RECORDS = (1, 1, 1, 2)  # events each lifecycle update records: a review starts, then approves


def lifecycle_updates() -> list[tuple[Callable, object]]:
    """Acknowledge, report progress, submit evidence, approve: the events each records are
    `LIFECYCLE_RECORDS`."""
    return [
        (TaskWorkflow.acknowledge, Acknowledge(actor=OFFICER)),
        (TaskWorkflow.report_progress, ProgressReport(actor=OFFICER, percent=50)),
        (TaskWorkflow.submit_evidence, EvidenceSubmission(
            actor=OFFICER, document_number="15/QĐ-UBND", document_date=date(2024, 1, 2), title="Kế hoạch",
            file_ref="evidence/x.pdf", sha256=SHA,
        )),
        (TaskWorkflow.review, ReviewDecision(actor=REVIEWER, approve=True)),
    ]  # fmt: skip


async def timed_updates(handle, updates: list[tuple[Callable, object]], latencies: list[float]) -> None:
    for update, request in updates:
        began = time.perf_counter()
        await handle.execute_update(update, request)
        latencies.append(time.perf_counter() - began)


async def bench_lifecycle(server: Server, plan: Plan, count: int) -> dict:
    """`count` tasks through acknowledge → progress → evidence → approve by updates, ours and a
    bare workflow taking as many updates (running as many activities as ours records events) in
    turns; lifecycle_ratio = ours / bare throughput, seconds are a round's on average."""
    seconds = {"ours": 0.0, "bare": 0.0}
    latencies: dict[str, list[float]] = {"ours": [], "bare": []}
    for kind in TURNS:
        seconds[kind] += await _lifecycle_round(server, plan, count, kind, latencies[kind]) / ROUNDS
    return {
        "tasks": count,
        "updates": count * len(LIFECYCLE_RECORDS),
        "rounds": ROUNDS,
        "ours_s": round(seconds["ours"], 2),
        "bare_s": round(seconds["bare"], 2),
        "lifecycle_ratio": round(seconds["bare"] / seconds["ours"], 3),
        "update_ms": summary_ms(latencies["ours"]),
        "bare_update_ms": summary_ms(latencies["bare"]),
    }


async def _lifecycle_round(server: Server, plan: Plan, count: int, kind: str, latencies: list[float]) -> float:
    """One side's round: `count` workflows started, then taken through their updates; seconds."""
    queue = queue_name(f"life-{kind}")
    async with our_worker(server, queue) if kind == "ours" else bare_worker(server, queue):
        if kind == "ours":
            await start_ours(server, queue, our_inputs(plan, count))
            updates = lifecycle_updates()
        else:
            await start_bare(server, queue, [BareInput(steps=len(LIFECYCLE_RECORDS)) for _ in range(count)])
            updates = [(BareTaskWorkflow.step, records) for records in LIFECYCLE_RECORDS]
        handles = [server.client.get_workflow_handle(workflow_id(queue, i)) for i in range(count)]
        with Stopwatch() as watch:
            await gather_limited([partial(timed_updates, h, updates, latencies) for h in handles], limit=20)
            await gather_limited([h.result for h in handles])
        if kind == "ours":
            _check_recorded(server, queue, count * (1 + sum(LIFECYCLE_RECORDS)))  # the assignment, then the updates'
    return watch.seconds


def _check_recorded(server: Server, queue: str, expected: int) -> None:
    """Ours recorded as many events as the baseline ran activities, or the ratio compares unlike work."""
    recorded = events_recorded(server, queue=queue)()
    if recorded != expected:
        raise RuntimeError(f"{recorded} events recorded on {queue}, {expected} expected")


def _january_2024() -> timedelta:
    """A clock offset putting the task clock on 02/01/2024 (evidence dated then is valid)."""
    return datetime(2024, 1, 2, 9, tzinfo=TZ) - datetime.now(TZ)


# --- timers ------------------------------------------------------------------------------------


async def bench_timers(server: Server, plan: Plan, count: int, start_per_s: float) -> dict:
    """`count` first reminders due at the same real instant, ours and bare timers in turns: how late
    each workflow acted on it (the first activity completed after its timer fired).

    The instant is in each workflow's input (ours: the clock offset; bare: the alarm): the task
    workflow has no update that moves an alarm to a chosen second (an extension moves the due
    date by whole days). So every workflow is started first and waits on its timer before the
    instant comes: the lead is what starting takes at `start_per_s` (this run's start rate) with
    room to spare, and a start that overran it is stopped and done again with a lead twice
    what it took, on both sides alike.
    """
    results: dict[str, list[float]] = {"ours": [], "bare": []}
    leads = {}
    for kind in TURNS:
        lead = count / start_per_s * 1.5 + MARGIN_SECONDS
        for attempt in range(MAX_ATTEMPTS):
            queue = queue_name(f"timer-{kind}")
            async with our_worker(server, queue) if kind == "ours" else bare_worker(server, queue):
                target = datetime.now(TZ) + timedelta(seconds=lead)
                with Stopwatch() as starting:
                    acted = await _start_waiting(server, plan, kind, queue, count, target)
                late_start = (datetime.now(TZ) - target).total_seconds() > -MARGIN_SECONDS
                if late_start and attempt < MAX_ATTEMPTS - 1:
                    await gather_limited([
                        server.client.get_workflow_handle(workflow_id(queue, i)).terminate for i in range(count)
                    ])  # fmt: skip
                    lead = 2 * starting.seconds + MARGIN_SECONDS
                    continue
                await asyncio.sleep(max(0.0, (target - datetime.now(TZ)).total_seconds()))
                await wait_for(acted, count)  # every timer fired and acted on, or nothing moves any more
                lateness = await gather_limited([
                    partial(acted_late, server.client, workflow_id(queue, i), target) for i in range(count)
                ])  # fmt: skip
            break
        results[kind] += [late for late in lateness if late is not None]
        leads[kind] = round(lead, 1)
    ours, bare = results["ours"], results["bare"]
    ours_p99, bare_p99 = percentile(ours, 0.99), percentile(bare, 0.99)
    return {
        "timers": count,
        "rounds": ROUNDS,
        "lead_s": leads,
        "fired": {"ours": len(ours), "bare": len(bare)},
        "ours_s": spread(ours),
        "bare_s": spread(bare),
        "timer_ratio": round(bare_p99 / ours_p99, 3) if ours_p99 > 0 else 1.0,
    }


def spread(lateness: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(lateness, 0.5), 3),
        "p99": round(percentile(lateness, 0.99), 3),
        "max": round(max(lateness, default=math.nan), 3),
    }


async def _start_waiting(
    server: Server, plan: Plan, kind: str, queue: str, count: int, target: datetime
) -> Callable[[], int]:
    """Start `count` workflows alarmed at `target` and wait until each ran its first activity
    (then it waits on its timer); how many have acted on their alarm since."""
    if kind == "ours":
        offset, due = _reminder_at(target)
        await start_ours(server, queue, our_inputs(plan, count, due=due, offset=offset))
        await wait_for(events_recorded(server, queue=queue), count)
        return events_recorded(server, "reminder", queue)
    start = NOOP_CALLS[0]
    await start_bare(server, queue, [BareInput(alarms=[target]) for _ in range(count)])
    await wait_for(lambda: NOOP_CALLS[0] - start, count)
    return lambda: NOOP_CALLS[0] - start - count  # one at start, one at the alarm


def _reminder_at(target: datetime) -> tuple[timedelta, date]:
    """A due date and clock offset whose first reminder falls at `target` (real time)."""
    due = date(2024, 3, 29)
    first = next_alarm(datetime(2024, 3, 1, tzinfo=TZ), due, AlertState(), PlanSettings(), WorkCalendar())
    return first.at - target, due


async def acted_late(client: Client, workflow_id: str, target: datetime) -> float | None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    fired = False
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_TIMER_FIRED:
            fired = True
        elif fired and event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            return (event.event_time.ToDatetime().replace(tzinfo=UTC) - target).total_seconds()
    return None
