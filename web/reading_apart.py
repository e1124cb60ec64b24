"""An uploaded file (a plan, a people directory, a criteria set) read in a child process with
its own memory and time limits.

An uploaded file is whatever anybody sends. However the readers are guarded (importers.office,
the size caps of each reader), the file is read apart from the web: `python -m
web.reading_apart` runs a pure top-level reading function on the file's path, its address
space capped (RLIMIT_AS, `import_memory_mb`), and is killed after `import_seconds`. A file
that would exhaust either ends that child only; the person is told, naming the file, and the
web goes on answering everybody else.

The request goes to the child and the answer comes back as JSON (never pickled: the child
reads hostile input, so what it sends is validated against the reader's return type, not
executed). Which function runs is chosen by the web, never by the file.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from pydantic import BaseModel, TypeAdapter, ValidationError

from importers.errors import Finding, PlanInputError, fail

Result = TypeVar("Result")
Argument = str | int | None


@dataclass(frozen=True)
class Limits:
    memory_bytes: int
    seconds: float


class _Request(BaseModel):
    """The reader (its module and name), the file, and the reader's other arguments."""

    module: str
    name: str
    path: Path
    arguments: dict[str, Argument]


class _Answer(BaseModel):
    result: str | None = None  # the reader's result as JSON, validated against its return type
    findings: list[Finding] = []  # the file cannot be read: every error found


def read_apart(reader: Callable[..., Result], path: Path, limits: Limits, **arguments: Argument) -> Result:
    """`reader(path, **arguments)`, run in a child process; `PlanInputError` for a file that
    cannot be read, also when the child ran out of memory or time."""
    request = _Request(module=reader.__module__, name=reader.__qualname__, path=path, arguments=arguments)
    answer = _ask_child(request, limits)
    if answer is None:
        raise fail(
            path.name,
            f"tệp {path.name} không đọc được trong giới hạn cho phép ({limits.seconds:g} giây, "
            f"{limits.memory_bytes // 2**20} MB bộ nhớ): tệp hỏng hoặc quá phức tạp",
        )
    if answer.result is None:
        raise PlanInputError(answer.findings)
    result: Result = _returned(reader).validate_json(answer.result)
    return result


def _ask_child(request: _Request, limits: Limits) -> _Answer | None:
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


def _returned(reader: Callable[..., Any]) -> TypeAdapter[Any]:
    """What `reader` returns, as its annotation says."""
    return TypeAdapter(get_type_hints(reader)["return"])


def main() -> None:
    """The child: its memory capped, the request on stdin, the answer on stdout."""
    memory_bytes = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    request = _Request.model_validate_json(sys.stdin.buffer.read())
    reader = getattr(import_module(request.module), request.name)
    try:
        answer = _Answer(result=_returned(reader).dump_json(reader(request.path, **request.arguments)).decode())
    except PlanInputError as refusal:
        answer = _Answer(findings=refusal.findings)
    sys.stdout.buffer.write(answer.model_dump_json().encode())


if __name__ == "__main__":
    main()
