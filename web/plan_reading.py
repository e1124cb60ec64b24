"""An uploaded plan file read in a child process with its own memory and time limits.

A plan file is whatever anybody uploads. However the readers are guarded (importers.office,
the size caps of each reader), the file is read apart from the web: by `python -m
web.plan_reading`, whose address space is capped (RLIMIT_AS, `import_memory_mb`) and which
is killed after `import_seconds`. A file that would exhaust either ends that child only; the
person is told, naming the file, and the web goes on answering everybody else.

The request goes to the child and the answer comes back as JSON (never pickled: the child
reads hostile input, so what it sends is validated, not executed).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from importers import ImportResult, PlanInputError, read_plan
from importers.errors import Finding, fail


class PlanRead(BaseModel):
    """What the web asks: the file, the year and commune given, and the uploader's commune."""

    path: Path
    year: int | None
    commune: str | None
    own_commune: str | None  # None: a user of every commune, who may say whose plan it is
    max_bytes: int


class _Answer(BaseModel):
    result: ImportResult | None = None
    findings: list[Finding] = []  # the plan cannot be read: every error found


@dataclass(frozen=True)
class Limits:
    memory_bytes: int
    seconds: float


def read_apart(request: PlanRead, limits: Limits) -> ImportResult:
    """The plan, read in a child process; `PlanInputError` for a plan that cannot be read,
    also when the child ran out of memory or time."""
    answer = _ask_child(request, limits)
    if answer is None:
        name = request.path.name
        raise fail(
            name,
            f"tệp {name} không đọc được trong giới hạn cho phép ({limits.seconds:g} giây, "
            f"{limits.memory_bytes // 2**20} MB bộ nhớ): tệp hỏng hoặc quá phức tạp",
        )
    if answer.result is None:
        raise PlanInputError(answer.findings)
    return answer.result


def _ask_child(request: PlanRead, limits: Limits) -> _Answer | None:
    """The child's answer; None when it gave none in time (or died without one)."""
    command = [sys.executable, "-m", __name__, str(limits.memory_bytes)]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}  # the same code as ours
    try:
        child = subprocess.run(
            command,
            input=request.model_dump_json().encode(),
            capture_output=True,
            timeout=limits.seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        return None
    if child.returncode != 0:
        return None
    try:
        return _Answer.model_validate_json(child.stdout)
    except ValidationError:
        return None


def _read(request: PlanRead) -> ImportResult:
    """A user of every commune may say whose plan it is; a commune user's plan is read as it
    names its commune, and as theirs only when it names none (then checked by the caller)."""
    path, year, max_bytes = request.path, request.year, request.max_bytes
    if request.own_commune is None:
        return read_plan(path, year=year, commune=request.commune, max_bytes=max_bytes)
    try:
        return read_plan(path, year=year, max_bytes=max_bytes)
    except PlanInputError:
        return read_plan(path, year=year, commune=request.own_commune, max_bytes=max_bytes)


def main() -> None:
    """The child: its memory capped, the request on stdin, the answer on stdout."""
    memory_bytes = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    request = PlanRead.model_validate_json(sys.stdin.buffer.read())
    try:
        answer = _Answer(result=_read(request))
    except PlanInputError as refusal:
        answer = _Answer(findings=refusal.findings)
    sys.stdout.buffer.write(answer.model_dump_json().encode())


if __name__ == "__main__":
    main()
