"""Temporal for the web: connected on first use, not at start, so reading pages never waits
for it. A failed connection is remembered for a few seconds: a page that asks while Temporal
is down answers at once instead of trying again for every request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from temporalio.client import Client

from temporal_client import TemporalUnreachable

RETRY_AFTER_SECONDS = 5.0


class TemporalAccess:
    def __init__(self, connect: Callable[[], Awaitable[Client]], address: str) -> None:
        self._connect = connect
        self._address = address
        self._client: Client | None = None
        self._failure: tuple[float, TemporalUnreachable] | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        """The connected client, or `TemporalUnreachable`."""
        async with self._lock:
            if self._client is not None:
                return self._client
            if self._failure is not None and time.monotonic() - self._failure[0] < RETRY_AFTER_SECONDS:
                raise self._failure[1]
            try:
                self._client = await self._connect()
            except TemporalUnreachable as exc:
                self._failure = (time.monotonic(), exc)
                raise
            except (RuntimeError, OSError, TimeoutError) as exc:
                self._failure = (time.monotonic(), TemporalUnreachable(self._address, str(exc)))
                raise self._failure[1] from exc
            self._failure = None
            return self._client

    async def client_or_none(self) -> Client | None:
        """The client, or None while Temporal cannot be reached (pages that only read)."""
        try:
            return await self.client()
        except TemporalUnreachable:
            return None
