"""A province on one machine: `python -m bench --province`.

Every commune (100) has the Vĩnh Khê sample plan under its own name (76 occurrences each:
7,600), started by the product's own `start_plan` on one dev server and recorded by one
`cchc worker` process in a fresh PostgreSQL database. Measured:

- start: until every occurrence's assignment is recorded;
- memory: resident size of the worker and of the Temporal server with the province running;
- the quarter's deadline: each commune's 16 tasks due 08/03/2024 (the quarterly reports)
  escalate at that day's last second, every commune at the same real instant; how late each
  escalation is recorded (p50, p99);
- reading: the chairman's dashboard of one commune and the supervising authority's ranking of
  all of them, per request, with the province's rows in PostgreSQL;
- CPU: a year simulated on the time-skipping server for a few communes: the CPU seconds of the
  worker, the server and the database per 1,000 occurrence-years, what sizes the country.

The deadline's instant is fixed in each workflow's input (its clock offset) before it starts,
and the workflow cannot move it to a chosen second (an extension moves a due date by whole
days). So a few warm-up communes are started first, as many at once as the province will be,
to time a start on this machine; their workflows are then stopped, and the province starts
with the instant ahead by twice what starting it takes at that pace (a long start floods the
server, which then answers the worker more slowly than a short one shows). An occurrence
started after the instant escalates at once (a level is never skipped): it is counted
(`started_after_instant`), not measured.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.dashboard import dashboard_of, database
from bench.measure import Stopwatch, summary_ms
from bench.processes import PROC, children, cpu_seconds, memory_mb
from bench.temporal_runs import Server, acted_late, dev_server, gather_limited, queue_name, spread, wait_for
from bench.year import PLAN_START, YEAR_END, run_ours
from domain.calendar import TZ, end_of_day
from domain.models import Plan
from domain.roles import Actor, Role
from persistence.db import make_engine
from persistence.plans import save_plan
from persistence.task_tables import TaskEventRow, TaskRunRow
from services.plan_start import StartReport, start_plan
from services.supervision import round_overview

ROOT = Path(__file__).parents[1]
QUARTER_DUE = date(2024, 3, 8)  # the first quarter's reports: 16 tasks of the sample plan
CALM = datetime(2024, 3, 4, 9, tzinfo=TZ)  # a Monday after 08:00: no alarm of the plan until the next day
ACTOR = Actor(user="bench", role=Role.ADMIN)
WARM_UP = "Hiệu chỉnh"  # the communes started first to time a start
COMMUNES_AT_ONCE = 4  # plans started at the same time (each starts 16 workflows at once)
LEAD_FACTOR = 2.0  # the instant is this many times the start's expected time ahead
MARGIN_SECONDS = 15.0
READY_SECONDS = 120.0
YEAR_DAYS = (YEAR_END - PLAN_START).total_seconds() / 86_400


@dataclass(frozen=True)
class ProvinceSizes:
    communes: int
    requests: int  # dashboard and ranking requests timed
    year_communes: int  # communes whose year is simulated for the CPU figure
    year_tasks: int | None = None  # the plan's first N tasks in the simulated year (None: all)


FULL = ProvinceSizes(communes=100, requests=30, year_communes=2)
SMOKE = ProvinceSizes(communes=2, requests=5, year_communes=1, year_tasks=2)


def commune_name(index: int) -> str:
    return f"Mẫu {index:03d}"


def commune_plan(plan: Plan, commune: str) -> Plan:
    """`plan` as `commune` issued it: the same tasks under its own name."""
    return plan.model_copy(
        update={
            "commune": commune,
            "issuer": plan.issuer.replace(plan.commune, commune),
            "title": plan.title.replace(plan.commune, commune),
        }
    )


def store_plans(sessions: sessionmaker[Session], plan: Plan, communes: list[str]) -> dict[str, int]:
    with sessions.begin() as session:
        return {
            commune: save_plan(
                session, commune_plan(plan, commune), source_file="bench", source_sha256="0" * 64
            ).plan_id
            for commune in communes
        }


@asynccontextmanager
async def worker_process(server: Server, url: str, queue: str, folder: Path) -> AsyncIterator[subprocess.Popen]:
    """`cchc worker` in a process of its own (so its memory and CPU are its own), until SIGTERM."""
    assert server.process is not None, "a dev server we started"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
        "CCHC_DATABASE_URL": url,
        "CCHC_TEMPORAL_ADDRESS": server.process.config.address,
        "CCHC_TASK_QUEUE": queue,
        "CCHC_DATA_DIR": str(folder / "worker"),
    }
    log = folder / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from cli.app import main; main()", "worker"],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        await _until_ready(process, log)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _until_ready(process: subprocess.Popen, log: Path) -> None:
    waited = 0.0
    while "Worker đang chạy" not in log.read_text(encoding="utf-8", errors="replace"):
        if process.poll() is not None or waited > READY_SECONDS:
            raise RuntimeError(f"cchc worker did not start:\n{log.read_text(errors='replace')[-2000:]}")
        await asyncio.sleep(0.2)
        waited += 0.2


def counter(sessions: sessionmaker[Session], kind: str, due: date | None = None) -> Callable[[], int]:
    """How many events of `kind` are recorded (of occurrences due on `due`, if given)."""

    def count() -> int:
        query = select(func.count()).select_from(TaskEventRow).where(TaskEventRow.kind == kind)
        if due is not None:
            query = query.join(TaskRunRow, TaskRunRow.workflow_id == TaskEventRow.workflow_id).where(
                TaskRunRow.due_date == due
            )
        with sessions() as session:
            return session.scalar(query) or 0

    return count


async def start_commune(server: Server, plan_id: int, queue: str, offset: timedelta) -> StartReport:
    assert server.sessions is not None, "our workflows record their events"
    with server.sessions.begin() as session:
        return await start_plan(
            server.client, session, plan_id, actor=ACTOR, include_past_due=True, task_queue=queue,
            now=datetime.now(TZ) + offset, clock_offset=offset,
        )  # fmt: skip


async def seconds_per_start(server: Server, plan_ids: list[int], queue: str) -> float:
    """The warm-up communes' plans started as the province's will be, until every assignment
    is recorded, then stopped; seconds per occurrence."""
    assert server.sessions is not None
    assigned = counter(server.sessions, "assign")
    before = assigned()
    offset = CALM - datetime.now(TZ)
    with Stopwatch() as watch:
        reports = await gather_limited(
            [partial(start_commune, server, plan_id, queue, offset) for plan_id in plan_ids], limit=COMMUNES_AT_ONCE
        )
        done = await wait_for(lambda: assigned() - before, sum(len(report.started) for report in reports))
    handles = [server.client.get_workflow_handle(ref.workflow_id) for report in reports for ref in report.started]
    await gather_limited([handle.terminate for handle in handles])
    return watch.seconds / max(done, 1)


def say(what: str) -> None:
    print(f"bench: province {what} ({datetime.now(TZ):%H:%M:%S})", file=sys.stderr, flush=True)


def timed(call: Callable[[], object], requests: int) -> dict[str, float]:
    seconds = []
    for _ in range(requests):
        with Stopwatch() as watch:
            call()
        seconds.append(watch.seconds)
    return summary_ms(seconds)


def reading(sessions: sessionmaker[Session], communes: list[str], now: datetime, requests: int) -> dict:
    """The chairman's dashboard (a different commune each time) and the supervising authority's
    ranking of every commune, per request."""
    turn = iter(range(requests))

    def dashboard() -> None:
        with sessions() as session:
            dashboard_of(session, communes[next(turn) % len(communes)], today=now.date())

    def ranking() -> None:
        with sessions() as session:
            round_overview(session, now.year, communes, now)

    return {"dashboard_ms": timed(dashboard, requests), "ranking_ms": timed(ranking, requests)}


async def bench_province(plan: Plan, sizes: ProvinceSizes, folder: Path) -> dict:
    with database("postgresql", folder, prefix="bench_province") as url:
        async with dev_server(folder, url) as server:
            assert server.sessions is not None and server.process is not None and server.process.process is not None
            sessions, server_pid = server.sessions, server.process.process.pid
            names = [commune_name(i) for i in range(1, sizes.communes + 1)]
            warm_up = [f"{WARM_UP} {i}" for i in range(1, min(COMMUNES_AT_ONCE, sizes.communes) + 1)]
            plans = store_plans(sessions, plan, [*warm_up, *names])
            queue = queue_name("province")
            per_commune = sum(len(task.occurrences) for task in plan.tasks)
            async with worker_process(server, url, queue, folder) as worker:
                pace = await seconds_per_start(server, [plans[name] for name in warm_up], queue)
                say(f"timed the start of {len(warm_up)} communes: {pace * per_commune * len(warm_up):.1f} s")
                result = await quarter(server, [plans[name] for name in names], per_commune, queue, pace)
                result["memory_mb"] = {"worker": memory_mb(worker.pid), "server": memory_mb(server_pid)}
                now = end_of_day(QUARTER_DUE) + timedelta(minutes=1)
                result.update(reading(sessions, names, now, sizes.requests))
                result["cpu_s"] = {"worker": cpu_seconds(worker.pid), "server": cpu_seconds(server_pid)}
    say("read; now the simulated year")
    year_plan = plan if sizes.year_tasks is None else plan.model_copy(update={"tasks": plan.tasks[: sizes.year_tasks]})
    return {"communes": sizes.communes, **result, "year": await year_cpu(year_plan, sizes.year_communes, folder)}


async def quarter(server: Server, plan_ids: list[int], per_commune: int, queue: str, pace: float) -> dict:
    """Start the province with its quarter's deadline ahead, then wait for the instant."""
    assert server.sessions is not None
    assigned = counter(server.sessions, "assign")
    total = per_commune * len(plan_ids)
    lead = LEAD_FACTOR * pace * total + MARGIN_SECONDS
    target = datetime.now(TZ) + timedelta(seconds=lead)
    offset = end_of_day(QUARTER_DUE) - target
    before = assigned()
    with Stopwatch() as starting:
        reports = await gather_limited(
            [partial(start_commune, server, plan_id, queue, offset) for plan_id in plan_ids], limit=COMMUNES_AT_ONCE
        )
        accepted = time.perf_counter() - starting.start
        started = await wait_for(lambda: assigned() - before, total)
    say(
        f"started {started} of {total} occurrences in {starting.seconds:.0f} s; the deadline comes at {target:%H:%M:%S}"
    )
    deadlines = [ref.workflow_id for report in reports for ref in report.started if ref.due == QUARTER_DUE]
    await asyncio.sleep(max(0.0, (target - datetime.now(TZ)).total_seconds()))
    await wait_for(counter(server.sessions, "escalation", QUARTER_DUE), len(deadlines))
    lateness = await gather_limited([partial(acted_late, server.client, wid, target) for wid in deadlines])
    late = [seconds for seconds in lateness if seconds is not None]
    say(f"the quarter's {len(deadlines)} deadlines fell; {len(late)} measured")
    return {
        "occurrences": total,
        "started": started,
        "start_s": round(starting.seconds, 1),
        "accepted_s": round(accepted, 1),  # the server took every start (the worker still recording)
        "start_per_s": round(started / starting.seconds, 1),
        "quarter_end": {
            "due": QUARTER_DUE.isoformat(),
            "deadlines": len(deadlines),
            "lead_s": round(lead, 1),
            "started_after_instant": len(deadlines) - len(late),
            "late_s": spread(late),
        },
    }


async def year_cpu(plan: Plan, communes: int, folder: Path) -> dict:
    """A year of `communes` communes on the time-skipping server, recorded in PostgreSQL: the CPU
    seconds of the worker (this process), the test server and the database's connections."""
    used: dict[str, float] = {}
    with database("postgresql", folder, prefix="bench_province_year") as url:
        before = _own_cpu()

        def settled() -> None:
            used["worker"] = _own_cpu() - before
            used["server"] = sum(cpu_seconds(pid) for pid in children(os.getpid()))
            used["database"] = _backends_cpu(url)

        seconds, alarms, _histories, _offset = await run_ours(plan, communes, YEAR_END, folder, url, settled)
    occurrences = len(alarms)
    total = sum(used.values())
    return {
        "communes": communes,
        "occurrences": occurrences,
        "alarms": sum(len(at) for at in alarms),
        "seconds": round(seconds, 1),
        "cpu_s": {part: round(value, 1) for part, value in used.items()},
        "cpu_s_per_1000_occurrence_years": round(total / occurrences * 1000 * 365 / YEAR_DAYS, 1),
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _backends_cpu(url: str) -> float:
    """CPU seconds of the PostgreSQL processes serving `url`'s database (a server on this machine)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            pids = connection.scalars(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            ).all()
    finally:
        engine.dispose()
    return sum(cpu_seconds(pid) for pid in pids if (PROC / str(pid)).exists())
