"""`cchc audit replay`: every archived history replayed on the current workflow code.

Same workflow classes, pydantic data converter and sandbox as the worker (`workflows.sandbox`),
as tests/workflows/test_replay.py does: a history the current code would not produce again
(a non-deterministic change) fails, naming its run.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.worker import Replayer

from evidence.archive import history_of
from evidence.paths import safe_name, task_folder
from persistence.archive_tables import ArchivedHistoryRow
from workflows.assessment_round import AssessmentRoundWorkflow
from workflows.sandbox import workflow_runner
from workflows.task import TaskWorkflow

# The core logs each failed replay as a warning; the command reports them itself.
ERRORS_ONLY = TelemetryFilter(core_level="ERROR", other_level="ERROR")
CORE_MESSAGE = re.compile(r'message: "((?:[^"\\]|\\.)*)"')


async def replay_runs(runs: Iterable[ArchivedHistoryRow]) -> dict[str, str]:
    """run id -> why its replay failed, for the runs that failed (first line of the error)."""
    replayer = Replayer(
        workflows=[TaskWorkflow, AssessmentRoundWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
        runtime=Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=ERRORS_ONLY))),
    )
    results = await replayer.replay_workflows(_histories(runs), raise_on_replay_failure=False)
    return {run_id: _first_line(failure) for run_id, failure in results.replay_failures.items()}


async def _histories(runs: Iterable[ArchivedHistoryRow]) -> AsyncIterator[WorkflowHistory]:
    for run in runs:
        yield history_of(run)


def write_histories(runs: Iterable[ArchivedHistoryRow], folder: Path) -> list[Path]:
    """Each run's history, as archived, in `folder/<plan>/<task>/<occurrence>/<run id>.json`."""
    written = []
    for run in runs:
        path = folder / history_path(run)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(run.history, encoding="utf-8")
        written.append(path)
    return written


def history_path(run: ArchivedHistoryRow) -> str:
    return f"{task_folder(run.workflow_id)}/{safe_name(run.run_id)}.json"


def _first_line(failure: Exception) -> str:
    """The error's own message: the core wraps it in a debug rendering of its failure."""
    text = str(failure).strip()
    inner = CORE_MESSAGE.search(text)
    line = inner.group(1) if inner else (text.splitlines() or [""])[0]
    return f"{type(failure).__name__}: {line}"
