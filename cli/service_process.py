"""What every long-running command (`cchc up`, `worker`, `web`, `scheduler`) does first, once:
its logging (observability/logs.py), then its Temporal runtime, which serves the process's
metrics at CCHC_METRICS_ADDRESS (observability/metrics.py)."""

from __future__ import annotations

import typer

from config import Settings
from observability.logs import configure_logging
from observability.metrics import install_runtime


def start_service(settings: Settings) -> None:
    configure_logging(settings.log_format, settings.log_level, settings.timezone)
    install_runtime(settings)


def host_and_port(address: str) -> tuple[str, int]:
    """ "127.0.0.1:9465" -> ("127.0.0.1", 9465); "[::1]:9465" -> ("::1", 9465)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def say_metrics_ready(settings: Settings) -> None:
    if settings.metrics_address:
        typer.echo(f"Số liệu cho Prometheus: http://{settings.metrics_address}/metrics")
