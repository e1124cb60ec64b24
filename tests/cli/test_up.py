"""On one machine: `cchc up`, then import and start the sample plan; Temporal's own CLI finds
every task, Ctrl-C stops everything, and a second `cchc up` resumes where the first stopped."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.cli.running import SAMPLE, cchc, environment, settled_count, start_up, stop_up, workflow_count


@pytest.fixture
def env(tmp_path):
    return environment(tmp_path / "data")


def children_of(pid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return out.split()


def test_up_import_start_shows_every_task_in_temporal_and_a_second_up_resumes(env, tmp_path):
    up = start_up(env, tmp_path / "up1.log")
    try:
        assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
        started = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert started.returncode == 0, started.stderr
        assert settled_count(env, 'CchcPlan="1"', 76) == 76  # one workflow per occurrence
        again = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
        assert again.returncode == 0 and "76" in again.stdout
        assert workflow_count(env, 'CchcPlan="1"') == 76  # starting twice duplicates nothing
        assert settled_count(env, 'CchcUnit="Tài chính"', 12) == 12
    finally:
        assert stop_up(up) == 0
    assert children_of(up.pid) == []
    with socket.socket() as s:  # the dev server is gone with it
        assert s.connect_ex(("127.0.0.1", int(env["CCHC_TEMPORAL_ADDRESS"].rsplit(":", 1)[1]))) != 0

    up = start_up(env, tmp_path / "up2.log")
    try:
        assert settled_count(env, 'CchcPlan="1" AND ExecutionStatus="Running"', 76) == 76
    finally:
        assert stop_up(up) == 0
