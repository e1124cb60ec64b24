"""Health for proxies and orchestrators: `/healthz` (the process answers) and `/readyz` (it can
do its work: the database answers, Temporal answers, a worker polls the task queue).

Answers are JSON naming each check, 200 or 503; not behind sign-in and cheap: a readiness
asks the database `SELECT 1`, Temporal's gRPC health service and DescribeTaskQueue, each
bounded by `CHECK_SECONDS`, all at once. The web serves them (web/routes/health.py), and
`cchc worker` on its own port (`health_app`, at CCHC_WORKER_HEALTH_ADDRESS).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

CHECK_SECONDS = 3.0
WORKER_SEEN_WITHIN = timedelta(minutes=2)  # a poller last seen longer ago is gone
DATABASE, TEMPORAL, WORKER = "database", "temporal", "worker"


class Check(BaseModel):
    name: str  # database, temporal, worker
    ok: bool
    detail: str  # what was found, for the operator reading the answer


class Readiness(BaseModel):
    ready: bool
    checks: list[Check]


async def worker_alive(client: Client, task_queue: str) -> bool | None:
    """Whether a worker polled `task_queue` for workflow tasks in the last two minutes; None
    when Temporal does not answer. Without a worker, reminders and escalations stop silently."""
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    try:
        response = await client.workflow_service.describe_task_queue(request, timeout=timedelta(seconds=CHECK_SECONDS))
    except RPCError:
        return None
    since = datetime.now(UTC) - WORKER_SEEN_WITHIN
    return any(poller.last_access_time.ToDatetime(tzinfo=UTC) >= since for poller in response.pollers)


async def readiness(
    sessions: sessionmaker[Session], client: Callable[[], Awaitable[Client | None]], task_queue: str
) -> Readiness:
    """The three checks at once; `client` gives the Temporal client, None when it cannot connect."""
    database, temporal = await asyncio.gather(_database(sessions), _temporal(client, task_queue))
    checks = [database, *temporal]
    return Readiness(ready=all(check.ok for check in checks), checks=checks)


async def _database(sessions: sessionmaker[Session]) -> Check:
    def ping() -> None:
        with sessions() as session:
            session.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(asyncio.to_thread(ping), CHECK_SECONDS)
    except TimeoutError:
        return Check(name=DATABASE, ok=False, detail=f"no answer in {CHECK_SECONDS:g} s")
    except Exception as exc:  # whatever the driver raises, the database is not usable
        return Check(name=DATABASE, ok=False, detail=_first_line(exc))
    return Check(name=DATABASE, ok=True, detail="answers")


async def _temporal(client: Callable[[], Awaitable[Client | None]], task_queue: str) -> list[Check]:
    try:
        connected = await asyncio.wait_for(client(), CHECK_SECONDS)
    except TimeoutError:
        connected = None
    if connected is None:
        return [Check(name=TEMPORAL, ok=False, detail="cannot connect"), _no_worker(task_queue, "Temporal unreachable")]
    try:
        serving = await connected.service_client.check_health(timeout=timedelta(seconds=CHECK_SECONDS))
    except RPCError as exc:
        serving, reason = False, exc.message
    else:
        reason = "not serving"
    if not serving:
        return [Check(name=TEMPORAL, ok=False, detail=reason), _no_worker(task_queue, "Temporal unreachable")]
    temporal = Check(name=TEMPORAL, ok=True, detail=f"namespace {connected.namespace}")
    polled = await worker_alive(connected, task_queue)
    if not polled:
        return [temporal, _no_worker(task_queue, "no poller in the last 2 minutes" if polled is False else "no answer")]
    return [temporal, Check(name=WORKER, ok=True, detail=f"polling {task_queue}")]


def _no_worker(task_queue: str, why: str) -> Check:
    return Check(name=WORKER, ok=False, detail=f"{task_queue}: {why}")


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def alive_answer() -> JSONResponse:
    return JSONResponse({"status": "ok"})


def ready_answer(found: Readiness) -> JSONResponse:
    return JSONResponse(found.model_dump(), status_code=200 if found.ready else 503)


def health_app(check: Callable[[], Awaitable[Readiness]]) -> Starlette:
    """`/healthz` and `/readyz` alone, for a process without the web (`cchc worker`)."""

    async def healthz(_: Request) -> JSONResponse:
        return alive_answer()

    async def readyz(_: Request) -> JSONResponse:
        return ready_answer(await check())

    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz)])
