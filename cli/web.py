"""`cchc web`: the web application alone (uvicorn), and `running_web` for `cchc up`.

`cchc up` serves the same application in its own event loop, beside the worker: the port is
bound first (a port in use is a clear error, before anything else starts), uvicorn's own
signal handling is left out (`cchc up` stops everything on Ctrl-C), and it stops first, so its
open requests can still reach the worker. Either way, on Ctrl-C or SIGTERM the web stops
accepting and lets open requests finish for CCHC_GRACEFUL_SHUTDOWN_SECONDS at most.
uvicorn imports the application itself, by name: the CLI never imports the web package.

Behind a reverse proxy, the application takes the client's address from X-Forwarded-For when
the request comes from one of `CCHC_TRUSTED_PROXIES` (uvicorn's own reading of the header is
off): the sign-in limit per address then counts each client, not the proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Annotated

import typer
import uvicorn

from cli.errors import at_the_edge
from cli.service_process import say_metrics_ready, start_service
from config import Settings, get_settings
from devserver import DevServerError

# The application, built for the environment's settings by uvicorn (factory=True).
APP = "web.app:create_app"
# How long past the graceful shutdown `cchc up` waits for uvicorn to close its connections.
STOP_MARGIN_SECONDS = 5.0
# Connections waiting to be accepted, as uvicorn's default: a burst of people opening the
# site at once (a morning's sign-ins) waits in the queue instead of being refused or reset.
BACKLOG = 2048
# How long an idle connection stays open (nginx's default): longer than clients keep one to
# reuse (uvicorn's 5 s is shorter than browsers' and proxies'), so a request sent on a kept
# connection never meets one the server has just closed, slow client or busy machine.
KEEP_ALIVE_SECONDS = 75
# A request's line and headers, at most (h11 buffers this much before it has one): a client
# sending endless headers is refused (431/400) instead of growing the server's memory.
MAX_HEADERS_BYTES = 16 * 1024
# Connections served at once; more are answered 503 at once, so a flood of slow clients
# cannot use up the process's memory and file descriptors. (Bodies are capped per route by
# the application itself, web/body_limit.py.)
MAX_CONNECTIONS = 500


class WebUnavailable(DevServerError):
    """The web application cannot start beside the embedded server (reported the same way)."""


@at_the_edge
def web_command(
    host: Annotated[
        str | None, typer.Option("--host", help="Địa chỉ lắng nghe (mặc định CCHC_WEB_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Cổng (mặc định CCHC_WEB_PORT, 8000).")] = None,
) -> None:
    """Chạy trang web (run the web application)."""
    settings = get_settings()
    settings = settings.model_copy(
        update={"web_host": host or settings.web_host, "web_port": port or settings.web_port}
    )
    listener = bind_web(settings)  # a port in use is said in Vietnamese, before anything starts
    start_service(settings)
    say_metrics_ready(settings)
    typer.echo(f"Trang web: {web_url(settings)}. Nhấn Ctrl-C để dừng.")
    uvicorn.Server(uvicorn_config(settings)).run(sockets=[listener])


def web_url(settings: Settings) -> str:
    host = settings.web_host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{settings.web_port}"


def say_web_ready(settings: Settings) -> None:
    typer.echo(f"Trang web: {web_url(settings)}")


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the process that embeds it owns Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


@contextlib.asynccontextmanager
async def running_web(settings: Settings, listener: socket.socket) -> AsyncIterator[None]:
    """Serve the web application on `listener` (from `bind_web`) until the block ends; then
    let open requests finish (`graceful_shutdown_seconds` at most) and close `listener`."""
    async with serving(listener, uvicorn_config(settings), f"trang web tại {web_url(settings)}"):
        yield


@contextlib.asynccontextmanager
async def serving(listener: socket.socket, config: uvicorn.Config, what: str) -> AsyncIterator[None]:
    """Serve `config`'s application on `listener` in this event loop until the block ends
    (the web in `cchc up`, the health endpoints of `cchc worker`); then let open requests
    finish (the config's graceful shutdown at most) and close `listener`."""
    server = _EmbeddedServer(config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            if serving.done():
                serving.result()
                raise WebUnavailable(f"không khởi động được {what}.")
            await asyncio.sleep(0.05)
        yield
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.TimeoutError, SystemExit):
            await asyncio.wait_for(serving, (config.timeout_graceful_shutdown or 0) + STOP_MARGIN_SECONDS)
        listener.close()


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    # X-Forwarded-For is read by the app, from `trusted_proxies` only (web/login_limit.py).
    return uvicorn.Config(
        APP,
        factory=True,
        log_level="warning",
        log_config=None,  # uvicorn's lines go through the process's logging (observability/logs.py)
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        proxy_headers=False,
        http="h11",  # the protocol whose header limit is set here
        h11_max_incomplete_event_size=MAX_HEADERS_BYTES,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )


def bind_web(settings: Settings) -> socket.socket:
    return listen_on(
        settings.web_host,
        settings.web_port,
        f"trang web tại {web_url(settings)}",
        "Đổi cổng bằng CCHC_WEB_PORT (hoặc cchc web --port).",
    )


def listen_on(host: str, port: int, what: str, change: str) -> socket.socket:
    """A listening socket on `host`:`port`; a port in use is said in Vietnamese, naming `what`
    could not be opened and how to `change` it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise WebUnavailable(f"không mở được {what}: {exc.strerror or exc}. Cổng đang bận? {change}") from exc
    listener.listen(BACKLOG)
    listener.setblocking(False)
    return listener
