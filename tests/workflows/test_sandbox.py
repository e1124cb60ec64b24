"""The sandbox executes a workflow's module afresh for every run, from source compiled once."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

import workflows.task
from tests.workflows.test_replay import HISTORIES, load
from workflows.sandbox import COMPILED, workflow_runner
from workflows.task import TaskWorkflow

TASK_MODULE = str(Path(workflows.task.__file__).resolve())


def replay_twice() -> None:
    async def replay() -> None:
        replayer = Replayer(
            workflows=[TaskWorkflow], data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
        )
        await replayer.replay_workflow(load(HISTORIES / "approval-before-due.json"))

    asyncio.run(replay())
    asyncio.run(replay())


def test_two_replays_read_the_task_workflows_module_at_most_once(monkeypatch: pytest.MonkeyPatch):
    reads: list[str] = []
    read = SourceFileLoader.get_data

    def counted(loader: SourceFileLoader, path: str) -> bytes:
        if workflow.unsafe.in_sandbox() and str(Path(path).resolve()).startswith(TASK_MODULE.removesuffix(".py")):
            reads.append(path)  # the source, or its bytecode file, read to import it in the sandbox
        return read(loader, path)

    monkeypatch.setattr(SourceFileLoader, "get_data", counted)
    replay_twice()
    assert len(reads) <= 1, reads
    assert TASK_MODULE in {str(Path(path).resolve()) for path in COMPILED}


def test_outside_the_sandbox_modules_are_imported_as_ever():
    module = importlib.import_module("workflows.round_contracts")  # a module passed through, imported by the host
    assert str(Path(module.__file__ or "").resolve()) not in {str(Path(path).resolve()) for path in COMPILED}
    assert type(module.__loader__) is SourceFileLoader


def test_a_worker_started_outside_the_checkout_compiles_its_workflows_once_too(tmp_path):
    """`cchc worker` runs from any folder: the modules come through the installed package's
    finder, not the current folder."""
    code = f"""
import asyncio
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from workflows.sandbox import COMPILED, workflow_runner
from workflows.task import TaskWorkflow

history = WorkflowHistory.from_json("replay", open({str(HISTORIES / "approval-before-due.json")!r}).read())
replayer = Replayer(workflows=[TaskWorkflow], data_converter=pydantic_data_converter, workflow_runner=workflow_runner())
asyncio.run(replayer.replay_workflow(history))
print(sorted(path for path in COMPILED if path.endswith("task.py")))
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == repr([TASK_MODULE])
