"""`cchc worker`: the Temporal worker alone, for a cluster or Temporal Cloud (run N of them).

Address, namespace, TLS (client certificate and key, server CA, server name) or API key come
from the settings (CCHC_TEMPORAL_*; see `temporal_client.py`). Before polling, the worker
checks that the namespace has our search attributes and, if not, prints the commands that
add them. It stops cleanly on Ctrl-C (SIGINT) or SIGTERM: it stops taking work and lets
the activities it runs finish (CCHC_GRACEFUL_SHUTDOWN_SECONDS at most), so a deploy cuts no
recording short.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import typer
import uvicorn
from sqlalchemy import make_url
from temporalio.client import Client

from cli.errors import at_the_edge
from cli.service_process import host_and_port, say_metrics_ready, start_service
from cli.web import listen_on, serving
from config import Settings, get_settings
from evidence.archive import run_archiver
from observability.health import health_app, readiness
from observability.heap import startup_frozen
from persistence.db import make_engine, make_session_factory, migrate
from temporal_client import connect, ensure_search_attributes
from worker import build_worker

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@at_the_edge
def worker_command() -> None:
    """Chạy worker Temporal, nối vào máy chủ Temporal theo cấu hình (run the worker)."""
    settings = get_settings()
    start_service(settings)
    asyncio.run(run_worker_until_stopped(settings))


async def run_worker_until_stopped(settings: Settings) -> None:
    stop = stop_on_signals()
    migrate(settings.effective_database_url)
    client = await connect(settings)
    await require_search_attributes(client, settings)
    async with running_health(settings, client):
        await serve(client, settings, stop, ready=lambda: _say_worker_ready(settings))
    typer.echo("Đã dừng worker.")


def stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl-C (SIGINT) or SIGTERM, instead of an exception somewhere."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve(
    client: Client,
    settings: Settings,
    stop: asyncio.Event,
    *,
    ready: Callable[[], None],
    beside: contextlib.AbstractAsyncContextManager[None] | None = None,
) -> None:
    """Run the task worker, the archiver of closed task histories (`evidence.archive`) and
    what runs `beside` them (the web and mail of `cchc up`) until `stop` is set; then stop
    `beside` first (the web's open requests may still need the worker), then the worker:
    it takes no more work and its running activities get `graceful_shutdown_seconds` to
    finish (after that they are cancelled, and Temporal retries them on the next worker)."""
    if stop.is_set():
        return
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    archiving = asyncio.create_task(run_archiver(client, sessions, stop))
    try:
        async with build_worker(
            client,
            sessions,
            task_queue=settings.task_queue,
            max_cached_workflows=settings.worker_cached_workflows,
            graceful_shutdown=timedelta(seconds=settings.graceful_shutdown_seconds),
        ):
            async with beside or contextlib.nullcontext():
                with startup_frozen():
                    ready()
                    await stop.wait()
            typer.echo("Đang dừng worker…")
    finally:
        stop.set()
        await archiving
        engine.dispose()


@contextlib.asynccontextmanager
async def running_health(settings: Settings, client: Client) -> AsyncIterator[None]:
    """The worker's /healthz and /readyz at `worker_health_address` (none when it is empty)."""
    if not settings.worker_health_address:
        yield
        return
    host, port = host_and_port(settings.worker_health_address)
    what = f"trang kiểm tra tình trạng (health) của worker tại {settings.worker_health_address}"
    listener = listen_on(host, port, what, CHANGE_HEALTH)
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)

    async def connected() -> Client:
        return client

    app = health_app(lambda: readiness(sessions, connected, settings.task_queue))
    config = uvicorn.Config(app, log_level="warning", log_config=None, lifespan="off")
    try:
        async with serving(listener, config, what):
            yield
    finally:
        engine.dispose()


def _say_worker_ready(settings: Settings) -> None:
    say_metrics_ready(settings)
    if settings.worker_health_address:
        typer.echo(f"Tình trạng worker (health): http://{settings.worker_health_address}/readyz")
    say_ready(settings)


CHANGE_HEALTH = "Đổi bằng CCHC_WORKER_HEALTH_ADDRESS (để trống thì không mở)."


def say_ready(settings: Settings) -> None:
    database = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    typer.echo(f"Temporal: {settings.temporal_address}, namespace {settings.temporal_namespace}")
    typer.echo(f"Cơ sở dữ liệu: {database}")
    typer.echo(f"Worker đang chạy trên hàng đợi {settings.task_queue}. Nhấn Ctrl-C để dừng.")


async def require_search_attributes(client: Client, settings: Settings) -> None:
    """Refuse a namespace without our search attributes (saying how to add them); warn if unsure."""
    warning = await ensure_search_attributes(client, settings)
    if warning:
        typer.echo(warning, err=True)
