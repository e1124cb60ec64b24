"""The edge: every exception a command raises becomes Vietnamese lines on stderr and an exit code.

Tracebacks are shown only when CCHC_DEBUG=1.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from importers import PlanInputError
from persistence.plans import PlanAmbiguous, PlanNotFound

EXIT_FAILURE = 1  # not found, unexpected
EXIT_BAD_INPUT = 2  # the plan file cannot be used (same code click uses for bad arguments)
EXIT_ENVIRONMENT = 3  # configuration or database


@dataclass(frozen=True)
class Failure:
    lines: list[str]
    exit_code: int


def translate(exc: Exception) -> Failure:
    """One Vietnamese line per problem, and the exit code, for any exception."""
    if isinstance(exc, PlanInputError):
        lines = [_finding_line(f) for f in exc.findings] or [f"Lỗi: {exc}"]
        return Failure(lines, EXIT_BAD_INPUT)
    if isinstance(exc, PlanNotFound):
        year = f" năm {exc.year}" if exc.year else ""
        return Failure([f"Lỗi: không tìm thấy kế hoạch “{exc.ref}”{year} (xem: cchc plan list)."], EXIT_FAILURE)
    if isinstance(exc, PlanAmbiguous):
        choices = "; ".join(f"id {c.id}: {c.number} năm {c.year}, {c.issuer}" for c in exc.candidates)
        return Failure(
            [f"Lỗi: có {len(exc.candidates)} kế hoạch số “{exc.ref}” ({choices}); hãy ghi id hoặc thêm --year."],
            EXIT_FAILURE,
        )
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        lines = [f"Lỗi cấu hình: CCHC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
        return Failure(lines, EXIT_ENVIRONMENT)
    if isinstance(exc, SQLAlchemyError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Failure([f"Lỗi cơ sở dữ liệu: {detail}"], EXIT_ENVIRONMENT)
    if isinstance(exc, OSError) and exc.filename:
        return Failure([f"Lỗi: {exc.filename}: {exc.strerror or exc}"], EXIT_BAD_INPUT)
    return Failure(
        [f"Lỗi không mong đợi ({type(exc).__name__}): {exc}", "Đặt CCHC_DEBUG=1 để xem chi tiết (traceback)."],
        EXIT_FAILURE,
    )


def _finding_line(finding) -> str:
    where = finding.where()
    return f"Lỗi: {where}: {finding.message}" if where else f"Lỗi: {finding.message}"


def debug_enabled() -> bool:
    return os.environ.get("CCHC_DEBUG", "").strip().lower() in ("1", "true", "yes")


def at_the_edge(command: Callable) -> Callable:
    """Decorate a Typer command so that its failures are reported by `translate`."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if debug_enabled():
                raise
            failure = translate(exc)
            for line in failure.lines:
                typer.echo(line, err=True)
            raise typer.Exit(failure.exit_code) from None

    return run
