"""`cchc worker` in a process of its own, to be killed and replaced by the drills, and what
the drills wait for."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.api.enums.v1 import PendingActivityState, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client, WorkflowHandle

from config import Settings
from devserver import DevServer, DevServerConfig
from temporal_client import connect
from tests.cli.running import free_port, own_ports
from workflows.contracts import TASK_QUEUE

ROOT = Path(__file__).resolve().parents[2]
READY = "Worker đang chạy"
QUEUE_KINDS = (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)


class WorkerProcess:
    """`cchc worker` in a process of its own, its output in a log file."""

    def __init__(self, settings_env: dict[str, str], log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")} | settings_env | own_ports()
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from cli.app import main; main()", "worker"],
                cwd=ROOT,
                env=env | {"PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    async def polling(self, client: Client, timeout: float = 60) -> None:
        """Return once this process polls our task queue for both workflow and activity tasks."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the worker exited:\n{self.log.read_text()}"
            if all([await self.polls(client, kind) for kind in QUEUE_KINDS]):
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"worker {self.pid} is not polling:\n{self.log.read_text()}")

    async def announced(self, timeout: float = 60) -> None:
        """Return once the process says its worker runs (the time-skipping server cannot
        describe task queues, so this is how to know there)."""
        deadline = time.monotonic() + timeout
        while READY not in self.log.read_text():
            assert self.process.poll() is None, f"the worker exited:\n{self.log.read_text()}"
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker {self.pid} never said it runs:\n{self.log.read_text()}")
            await asyncio.sleep(0.1)

    async def polls(self, client: Client, kind: TaskQueueType.ValueType) -> bool:
        request = DescribeTaskQueueRequest(
            namespace=client.namespace, task_queue=TaskQueue(name=TASK_QUEUE), task_queue_type=kind
        )
        response = await client.workflow_service.describe_task_queue(request)
        return any(poller.identity.startswith(f"{self.pid}@") for poller in response.pollers)

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.1)


async def record_activity_running(handle: WorkflowHandle) -> bool:
    description = await handle.describe()
    started = PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
    return any(activity.state == started for activity in description.raw_description.pending_activities)


@dataclass
class WorkerRig:
    """A dev server, a client of it, and the `cchc worker` processes started on it."""

    client: Client
    settings_env: dict[str, str]
    folder: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    async def start_worker(self) -> WorkerProcess:
        """One more worker process, returned once it polls the task queue."""
        worker = WorkerProcess(self.settings_env, self.folder / f"worker-{len(self.workers) + 1}.log")
        self.workers.append(worker)
        await worker.polling(self.client)
        return worker


@asynccontextmanager
async def dev_server_for_workers(url: str, folder: Path) -> AsyncIterator[WorkerRig]:
    """A real Temporal dev server on loopback ports of its own, for workers on the database at
    `url`; every worker and the server are stopped when the block ends."""
    server = DevServer(DevServerConfig("127.0.0.1", free_port(), free_port(), folder / "temporal"))
    await server.start()
    settings_env = {
        "CCHC_TEMPORAL_ADDRESS": server.config.address,
        "CCHC_DATABASE_URL": url,
        "CCHC_DATA_DIR": str(folder),
    }
    rig = None
    try:
        client = await connect(Settings(temporal_address=server.config.address, database_url=url, data_dir=folder))
        rig = WorkerRig(client, settings_env, folder)
        yield rig
    finally:
        for worker in rig.workers if rig else []:
            worker.stop()
        server.stop()
