"""The web application: `create_app(settings)` builds it; nothing is built at import time.

Its lifespan migrates the database and builds the session factory; Temporal is connected on
first use (web/temporal_access.py), so pages that read SQL work while Temporal is down and
an action then says, in Vietnamese, that Temporal does not answer. `cchc web` serves it with
uvicorn; `cchc up` serves it in the same event loop as the worker (cli/web.py): both name it
to uvicorn by its import string, `web.app:create_app`, built for the environment's settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from config import Settings, get_settings
from evidence.store import EvidenceStore
from observability.heap import startup_frozen
from observability.metrics import process_metrics
from persistence.db import make_engine, make_session_factory, migrate
from services.security_log import open_security_log
from temporal_client import connect
from web.body_limit import BodyLimit
from web.errors import (
    TRANSLATED,
    PasswordChangeRequired,
    SignInRequired,
    WebError,
    validation_problems,
    web_error,
)
from web.request_log import RequestLog, name_request_context
from web.routes import (
    admin,
    api,
    catalogues,
    health,
    own_password,
    pages,
    people,
    plan_drafts,
    plans,
    rounds,
    sign_in,
    task_forms,
    year_end,
)
from web.routes.own_password import OWN_PASSWORD
from web.runtime import EVIDENCE_FOLDER, Runtime
from web.secret import session_secret
from web.security_headers import SecurityHeaders
from web.templating import render
from web.temporal_access import TemporalAccess

SESSION_COOKIE = "cchc_session"
TEMPORAL_CONNECT_SECONDS = 5.0
API_PREFIX = "/api"
PASSWORD_CHANGE_FIRST = "Mật khẩu do người khác đặt: hãy đổi mật khẩu (trang /password) trước khi làm việc khác."


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application for `settings` (default: the environment's)."""
    if settings is None:
        settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = settings.effective_database_url
        await run_in_threadpool(migrate, url)
        engine = make_engine(url)
        app.state.runtime = Runtime(
            settings=settings,
            sessions=make_session_factory(engine),
            temporal=TemporalAccess(
                lambda: connect(settings, timeout=TEMPORAL_CONNECT_SECONDS), settings.temporal_address
            ),
            evidence=EvidenceStore(settings.data_dir / EVIDENCE_FOLDER),
            metrics=process_metrics(),
        )
        try:
            with startup_frozen():
                yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="CCHC — theo dõi kế hoạch cải cách hành chính",
        description="API của trang web: cùng dịch vụ, cùng phiên đăng nhập (cookie) như các trang.",
        version="1",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url=None,
        dependencies=[Depends(name_request_context)],
    )
    https = settings.public_base_url.startswith("https://")
    open_security_log(settings.security_log)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        # Over https the cookie is host-only, Secure and for the whole site, which the browser
        # enforces by its name: no other host of the domain can set or overwrite it.
        session_cookie=f"__Host-{SESSION_COOKIE}" if https else SESSION_COOKIE,
        max_age=settings.session_idle_minutes * 60,
        same_site="lax",
        https_only=https,
    )
    app.add_middleware(BodyLimit, settings=settings)  # outside the session: before sign-in is checked
    app.add_middleware(SecurityHeaders, https=https)
    app.add_middleware(RequestLog)  # outermost: every line of the request carries its context
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (
        health,
        sign_in,
        own_password,
        pages,
        task_forms,
        plans,
        plan_drafts,
        year_end,
        rounds,
        catalogues,
        admin,
        people,
        api,
    ):
        app.include_router(module.router)
    for exception in (
        WebError,
        SignInRequired,
        PasswordChangeRequired,
        RequestValidationError,
        HTTPException,
        *TRANSLATED,
    ):
        app.add_exception_handler(exception, answer_failure)
    return app


async def answer_failure(request: Request, exc: Exception) -> Response:
    """Any failure, as the page or the API caller expects it: in Vietnamese, with its status."""
    api_call = request.url.path.startswith(API_PREFIX)
    if isinstance(exc, SignInRequired):
        if api_call:
            return JSONResponse({"detail": "Chưa đăng nhập (hoặc phiên đã hết hạn)."}, status_code=401)
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if isinstance(exc, PasswordChangeRequired):
        if api_call:
            return JSONResponse({"detail": PASSWORD_CHANGE_FIRST}, status_code=403)
        return RedirectResponse(f"{OWN_PASSWORD}?next={quote(request.url.path)}", status_code=303)
    if isinstance(exc, RequestValidationError):
        message = "Dữ liệu gửi lên không hợp lệ."
        if api_call:
            return JSONResponse({"detail": message, "errors": validation_problems(exc)}, status_code=422)
        return render(request, "error.html", {"message": message}, status_code=422)
    error = web_error(exc)
    if api_call:
        return JSONResponse({"detail": error.message}, status_code=error.status)
    return render(request, "error.html", {"message": error.message}, status_code=error.status)
