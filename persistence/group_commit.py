"""Group commit: writes that arrive together share one transaction.

The record activities of a worker run concurrently (a thousand reminders falling due at the
same instant, twenty officers acting at once). Each is a short transaction, and a commit
costs more than the rows it writes. So each write waits its turn in a queue: the first finds
no transaction under way and starts one at once; those that arrive while it is committing
are written together in the next, in the order they came, and each caller gets its own
result only once that transaction has committed.

One write that fails (a value the database refuses) must fail only its own caller: the
transaction is rolled back and its writes are run again one by one, each in a transaction
of its own. A write must therefore be safe to run twice, as the record activities' writes
are (insert-or-ignore on their keys). When the database is away or busy, every caller of the
batch gets that error at once, and each is retried as a whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

Write = Callable[[Session], bool]
Outcome = bool | Exception

# Writes per transaction: a batch commits well inside the record activities' 10 s timeout.
MAX_BATCH = 200


class GroupCommit:
    """The writes of one process, queued and committed in groups (see the module's docstring)."""

    def __init__(self, session_factory: sessionmaker[Session], max_batch: int = MAX_BATCH) -> None:
        self._session_factory = session_factory
        self._max_batch = max_batch
        self._queue: list[tuple[Write, asyncio.Future[bool]]] = []
        self._committing: asyncio.Task[None] | None = None

    async def write(self, write: Write) -> bool:
        """`write(session)` in a transaction it may share; its result once committed, or its error."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((write, done))
        if self._committing is None or self._committing.done():
            self._committing = asyncio.create_task(self._commit_queue())
        return await done

    async def _commit_queue(self) -> None:
        """Commit the queue batch by batch until it is empty (writes may join it meanwhile)."""
        await asyncio.sleep(0)  # the writes started in this turn of the event loop join the first batch
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                outcomes = await asyncio.to_thread(self._commit, [write for write, _ in batch])
            except BaseException:  # the worker is stopping: no caller waits for ever
                for _, done in batch + self._queue:
                    done.cancel()
                self._queue = []
                raise
            _resolve(batch, outcomes)

    def _commit(self, writes: list[Write]) -> list[Outcome]:
        """Every write in one transaction; when a write fails it, each write alone."""
        if len(writes) > 1:
            try:
                with self._session_factory.begin() as session:
                    return [write(session) for write in writes]
            except (OperationalError, InterfaceError) as exc:  # the database is away or busy
                return [exc] * len(writes)
            except Exception:  # one write failed the transaction: each alone, so only it fails
                pass
        return [self._commit_one(write) for write in writes]

    def _commit_one(self, write: Write) -> Outcome:
        try:
            with self._session_factory.begin() as session:
                return write(session)
        except Exception as exc:  # handed to the write's own caller
            return exc


def _resolve(batch: list[tuple[Write, asyncio.Future[bool]]], outcomes: list[Outcome]) -> None:
    for (_, done), outcome in zip(batch, outcomes, strict=True):
        if done.done():  # its caller was cancelled
            continue
        if isinstance(outcome, Exception):
            done.set_exception(outcome)
        else:
            done.set_result(outcome)
