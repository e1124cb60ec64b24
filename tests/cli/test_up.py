"""On one machine: `cchc up`, then import and start the sample plan; Temporal's own CLI finds
every task, Ctrl-C stops everything, and a second `cchc up` resumes where the first stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devserver import find_temporal_cli

SAMPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
CCHC = Path(sys.executable).parent / "cchc"
READY = "Worker đang chạy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(tmp_path):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("CCHC_")},
        "CCHC_DATA_DIR": str(tmp_path / "data"),
        "CCHC_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "CCHC_TEMPORAL_UI_PORT": str(free_port()),
    }


def start_up(env, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(CCHC), "up"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while READY not in log.read_text(encoding="utf-8"):
        assert process.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "cchc up did not become ready in 60 s"
        time.sleep(0.3)
    return process


def stop_up(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def cchc(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(CCHC), *args], env=env, capture_output=True, text=True, timeout=180)


def workflow_count(env, query: str) -> int:
    out = subprocess.run(
        [str(find_temporal_cli()), "workflow", "count", "--address", env["CCHC_TEMPORAL_ADDRESS"], "--query", query],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    return int(out.split(":")[-1])


def children_of(pid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return out.split()


def test_up_import_start_shows_every_task_in_temporal_and_a_second_up_resumes(env, tmp_path):
    up = start_up(env, tmp_path / "up1.log")
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        started = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert started.returncode == 0, started.stderr
        assert workflow_count(env, 'CchcPlan="1"') == 76  # one workflow per occurrence
        again = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert again.returncode == 0 and "76" in again.stdout
        assert workflow_count(env, 'CchcPlan="1"') == 76  # starting twice duplicates nothing
        assert workflow_count(env, 'CchcUnit="Tài chính"') == 12
    finally:
        assert stop_up(up) == 0
    assert children_of(up.pid) == []
    with socket.socket() as s:  # the dev server is gone with it
        assert s.connect_ex(("127.0.0.1", int(env["CCHC_TEMPORAL_ADDRESS"].rsplit(":", 1)[1]))) != 0

    up = start_up(env, tmp_path / "up2.log")
    try:
        assert workflow_count(env, 'CchcPlan="1" AND ExecutionStatus="Running"') == 76
    finally:
        assert stop_up(up) == 0
