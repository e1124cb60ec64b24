"""Fault drill: PostgreSQL becomes unreachable while a task workflow is recording its events.

A TCP proxy on loopback stands between the product and PostgreSQL; the drill cuts it (every
open connection dropped, new ones refused) while an officer's update is being recorded, then
restores it. The record activity fails and is retried until the database is back; the
update completes; SQL holds each event exactly once and the read model agrees.
"""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import make_url, select
from temporalio.api.enums.v1 import EventType

from persistence.db import make_engine, make_session_factory, migrate
from persistence.task_tables import TaskEventRow, TaskRunRow
from tests.workflows.conftest import vinh_khe  # noqa: F401  (the fixture)
from tests.workflows.rig import at, officer, task_rig
from workflows.contracts import Acknowledge, ProgressReport
from workflows.task import TaskWorkflow

VAN_PHONG = officer("Văn phòng")
OUTAGE_SECONDS = 6


class Proxy:
    """Loopback TCP proxy to PostgreSQL that can be cut and restored on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None, "the proxy is opened before it is cut"
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._pipes):
            writer.close()
        self._pipes.clear()

    async def _serve(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        self._pipes |= {client_writer, server_writer}
        await asyncio.gather(self._pump(client_reader, server_writer), self._pump(server_reader, client_writer))

    async def _pump(self, reader, writer) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()
        self._pipes.discard(writer)


def through(url: str, proxy: Proxy) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def recorded(sessions, workflow_id: str) -> list[tuple[int, str]]:
    with sessions() as session:
        query = select(TaskEventRow.seq, TaskEventRow.kind).where(TaskEventRow.workflow_id == workflow_id)
        return [tuple(row) for row in session.execute(query.order_by(TaskEventRow.seq))]


def read_run(sessions, workflow_id: str) -> TaskRunRow:
    with sessions() as session:
        return session.get(TaskRunRow, workflow_id)


async def test_a_database_outage_delays_recording_but_loses_and_doubles_nothing(postgres_schema_url, vinh_khe):
    direct = make_url(postgres_schema_url)
    proxy = Proxy(direct.host or "127.0.0.1", direct.port or 5432)
    await proxy.open()
    url = through(postgres_schema_url, proxy)
    # Every SQL call runs off the event loop: the proxy serves from it.
    await asyncio.to_thread(migrate, url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        async with task_rig(sessions) as rig:
            handle = await rig.start(rig.input(vinh_khe, "I.1"))
            await rig.advance_to(at(16, 1, 9), handle)
            await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=VAN_PHONG))

            await proxy.cut()
            update = asyncio.create_task(
                handle.execute_update(TaskWorkflow.report_progress, ProgressReport(actor=VAN_PHONG, percent=40))
            )
            await asyncio.sleep(OUTAGE_SECONDS)
            assert not update.done(), "the update finished while its event could not be recorded"
            await proxy.open()
            snapshot = await asyncio.wait_for(update, 90)

            history = await handle.fetch_history()
            timeline = [(entry.seq, entry.kind) for entry in snapshot.timeline]
            assert (
                await asyncio.to_thread(recorded, sessions, handle.id)
                == timeline
                == [(1, "assign"), (2, "acknowledge"), (3, "report_progress")]
            )
            run = await asyncio.to_thread(read_run, sessions, handle.id)
            assert (run.state, run.last_seq) == (snapshot.state.value, 3)
            attempts = [
                e.activity_task_started_event_attributes.attempt
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
            ]
            assert max(attempts) > 1  # the recording was retried while the database was away
    finally:
        await proxy.cut()
        engine.dispose()
