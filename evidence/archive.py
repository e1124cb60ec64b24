"""Our archive of closed task and PAR round workflow runs: their Temporal histories, kept past
retention.

A record activity cannot see its own workflow's final history, so the archive is filled from
outside: `run_archiver` (beside the worker) stores every closed `TaskWorkflow` and
`AssessmentRoundWorkflow` run the server lists, and the demo passes its workflow ids (the time-skipping server cannot list). Given a
workflow id, every run of its chain is archived: the latest, then back through the runs it
continued as new from. A run is stored once (`archived_histories`, keyed by workflow id and
run id); a run still open is left for a later pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHistory
from temporalio.service import RPCError

from persistence.archive_tables import ArchivedHistoryRow
from persistence.inserts import insert_if_missing

CLOSED_RUNS = 'WorkflowType IN ("TaskWorkflow", "AssessmentRoundWorkflow") AND ExecutionStatus!="Running"'
CONCURRENT_FETCHES = 16

CLOSING_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: "completed",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: "continued_as_new",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: "failed",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: "timed_out",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: "terminated",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: "canceled",
}

log = logging.getLogger(__name__)

Sessions = sessionmaker[Session]


async def archive_closed(client: Client, sessions: Sessions, *, workflow_ids: Iterable[str] | None = None) -> int:
    """Archive the closed runs of `workflow_ids` (every run of each chain), or when None every
    closed task or round run the server lists; how many runs were stored now."""
    limit = asyncio.Semaphore(CONCURRENT_FETCHES)
    if workflow_ids is None:
        runs = [(execution.id, execution.run_id) async for execution in client.list_workflows(CLOSED_RUNS)]
        stored = await asyncio.gather(*(_archive_listed(client, sessions, run, limit) for run in runs))
    else:
        stored = await asyncio.gather(*(_archive_chain(client, sessions, w, limit) for w in workflow_ids))
    return sum(stored)


async def run_archiver(client: Client, sessions: Sessions, stop: asyncio.Event, interval: float = 60) -> None:
    """Archive closed runs every `interval` seconds until `stop` is set; a pass that fails
    (Temporal or the database away) is logged and tried again at the next one."""
    while not stop.is_set():
        try:
            stored = await archive_closed(client, sessions)
        except (RPCError, SQLAlchemyError) as exc:
            log.warning("Lưu trữ lịch sử Temporal chưa được: %s", exc)
        else:
            if stored:
                log.info("Đã lưu trữ lịch sử của %d lượt chạy workflow đã kết thúc.", stored)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


async def _archive_listed(client: Client, sessions: Sessions, run: tuple[str, str], limit: asyncio.Semaphore) -> int:
    workflow_id, run_id = run
    if await asyncio.to_thread(_archived, sessions, workflow_id, run_id):
        return 0
    async with limit:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    return int(await asyncio.to_thread(_store, sessions, history))


async def _archive_chain(client: Client, sessions: Sessions, workflow_id: str, limit: asyncio.Semaphore) -> int:
    """Archive the closed runs of one workflow id, from its latest run back to its first."""
    async with limit:
        run_id: str | None = (await client.get_workflow_handle(workflow_id).describe()).run_id
    stored = 0
    while run_id:
        archived = await asyncio.to_thread(_archived, sessions, workflow_id, run_id)
        if archived is not None:
            run_id = archived.previous_run_id
            continue
        async with limit:
            history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        stored += await asyncio.to_thread(_store, sessions, history)
        run_id = previous_run_id(history)
    return stored


def _archived(sessions: Sessions, workflow_id: str, run_id: str) -> ArchivedHistoryRow | None:
    with sessions() as session:
        return session.get(ArchivedHistoryRow, (workflow_id, run_id))


def _store(sessions: Sessions, history: WorkflowHistory) -> bool:
    """Keep a closed run's history; False when it is still open or was stored meanwhile."""
    status = CLOSING_EVENTS.get(history.events[-1].event_type)
    if status is None:
        return False
    text = history.to_json()
    row = {
        "workflow_id": history.workflow_id,
        "run_id": history.run_id,
        "previous_run_id": previous_run_id(history),
        "status": status,
        "started_at": _instant(history.events[0]),
        "closed_at": _instant(history.events[-1]),
        "events": len(history.events),
        "history": text,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "archived_at": datetime.now(UTC),
    }
    with sessions.begin() as session:
        return insert_if_missing(session, ArchivedHistoryRow, row, key=["workflow_id", "run_id"])


def previous_run_id(history: WorkflowHistory) -> str | None:
    """The run this one continued as new from, if any."""
    return history.events[0].workflow_execution_started_event_attributes.continued_execution_run_id or None


def _instant(event) -> datetime:
    return event.event_time.ToDatetime(tzinfo=UTC)


# --- reading the archive ---------------------------------------------------------------------


def archived_runs(session: Session, workflow_ids: Iterable[str]) -> dict[str, list[ArchivedHistoryRow]]:
    """The archived runs of each workflow id, oldest first (ids with none are left out)."""
    query = (
        select(ArchivedHistoryRow)
        .where(ArchivedHistoryRow.workflow_id.in_(list(workflow_ids)))
        .order_by(ArchivedHistoryRow.workflow_id, ArchivedHistoryRow.started_at, ArchivedHistoryRow.run_id)
    )
    runs: dict[str, list[ArchivedHistoryRow]] = {}
    for row in session.scalars(query):
        runs.setdefault(row.workflow_id, []).append(row)
    return runs


def history_of(row: ArchivedHistoryRow) -> WorkflowHistory:
    return WorkflowHistory.from_json(row.workflow_id, row.history)
