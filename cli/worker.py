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
from collections.abc import Callable
from datetime import timedelta

import typer
from sqlalchemy import make_url
from temporalio.client import Client

from cli.errors import at_the_edge
from config import Settings, get_settings
from evidence.archive import run_archiver
from persistence.db import make_engine, make_session_factory, migrate
from temporal_client import connect, ensure_search_attributes
from worker import build_worker

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@at_the_edge
def worker_command() -> None:
    """Chạy worker Temporal, nối vào máy chủ Temporal theo cấu hình (run the worker)."""
    asyncio.run(run_worker_until_stopped(get_settings()))


async def run_worker_until_stopped(settings: Settings) -> None:
    stop = stop_on_signals()
    migrate(settings.effective_database_url)
    client = await connect(settings)
    await require_search_attributes(client, settings)
    await serve(client, settings, stop, ready=lambda: say_ready(settings))
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
                ready()
                await stop.wait()
            typer.echo("Đang dừng worker…")
    finally:
        stop.set()
        await archiving
        engine.dispose()


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
