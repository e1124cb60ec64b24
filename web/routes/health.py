"""`/healthz` and `/readyz` of the web (observability/health.py): no sign-in, no session."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from observability.health import alive_answer, readiness, ready_answer
from web.runtime import Runtime, runtime

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> JSONResponse:
    """The process answers."""
    return alive_answer()


@router.get("/readyz")
async def readyz(rt: Runtime = Depends(runtime)) -> JSONResponse:
    """The database and Temporal answer, and a worker polls the task queue."""
    return ready_answer(await readiness(rt.sessions, rt.temporal.client_or_none, rt.settings.task_queue))
