"""Each request's log context and its one line: what it was, how it ended, how long it took.

`RequestLog` (outermost middleware) starts a `LogContext` with a request id (the proxy's
X-Request-ID when it sends one); `name_request_context` (a dependency of every route) adds the
commune, plan and task the path names, and `web.auth.current_user` the signed-in user's
commune. Every line logged while the request runs carries them (observability/logs.py).
The health probes and static files are not logged: a probe every few seconds says nothing.
"""

from __future__ import annotations

import logging
import time
import uuid

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observability.logs import LogContext, current_context, end_context, start_context
from workflows.contracts import task_workflow_id

log = logging.getLogger("cchc.web")
UNLOGGED = ("/healthz", "/readyz", "/static/")
REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_LENGTH = 64  # a longer one from outside is cut


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = "".join(ch for ch in Headers(scope=scope).get(REQUEST_ID_HEADER, "") if ch.isprintable())
        context = LogContext(request_id=given[:REQUEST_ID_LENGTH] or uuid.uuid4().hex[:16])
        token = start_context(context)
        started = time.perf_counter()
        status = 500  # unless the application answers

        async def note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, note_status)
        finally:
            if not scope["path"].startswith(UNLOGGED):
                milliseconds = (time.perf_counter() - started) * 1000
                log.info("%s %s %s %.0f ms", scope["method"], scope["path"], status, milliseconds)
            end_context(token)


def name_request_context(request: Request) -> None:
    """The commune, plan and task the matched route's path names, into the request's log context."""
    context = current_context()
    if context is None:
        return
    params = request.path_params
    if "commune" in params:
        context.commune = str(params["commune"])
    plan = params.get("plan_id")
    if isinstance(plan, int) or (isinstance(plan, str) and plan.isdigit()):
        context.plan = int(plan)
    if context.plan is not None and "task_code" in params and "occurrence_key" in params:
        context.task = task_workflow_id(context.plan, str(params["task_code"]), str(params["occurrence_key"]))


def name_user_commune(commune: str | None) -> None:
    """The signed-in user's commune, unless the path already named the commune asked about."""
    context = current_context()
    if context is not None and context.commune is None:
        context.commune = commune
