"""The mail side of a process: the outbox relay and the digest scheduler, running together.

Wiring only, like `worker.py`: settings → engine → relay (with its mailer) and scheduler.
`cchc up` runs it beside the worker; `cchc scheduler` runs it alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from config import Settings
from notifications.relay import Relay, make_relay
from notifications.scheduler import build_scheduler
from observability.figures import sample_figures
from observability.metrics import process_metrics
from persistence.db import make_engine, make_session_factory


@asynccontextmanager
async def running_mail(settings: Settings) -> AsyncIterator[Relay]:
    """Relay, scheduler and the outbox's metrics running until the block ends; then stopped,
    in that order."""
    engine = make_engine(settings.effective_database_url)
    sessions, metrics = make_session_factory(engine), process_metrics()
    relay = make_relay(settings, sessions, metrics=metrics)
    scheduler = build_scheduler(settings, engine)
    stop = asyncio.Event()
    scheduler.start()
    relaying = asyncio.create_task(relay.run(stop, settings.mail_poll_seconds))
    sampling = asyncio.create_task(sample_figures(sessions, metrics, stop, settings.metrics_sample_seconds))
    try:
        yield relay
    finally:
        stop.set()
        await relaying
        await sampling
        scheduler.shutdown(wait=False)
        engine.dispose()
