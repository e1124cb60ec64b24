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
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.errors import CchcError, ErrorCategory
from persistence.plans import PlanNotFound
from services.catalogues import CatalogueNotFound
from services.rounds import RoundNotFound
from services.tasks import TaskNotFound
from temporal_client import refusal, server_failure

EXIT_FAILURE = 1  # not found, conflict, unexpected
EXIT_BAD_INPUT = 2  # the input cannot be used (same code click uses for bad arguments)
EXIT_ENVIRONMENT = 3  # configuration, database or Temporal
EXIT_REFUSED = 4  # the task (its workflow) refused the request: wrong role, wrong state, bad data

EXIT_CODES: dict[ErrorCategory, int] = {
    ErrorCategory.BAD_INPUT: EXIT_BAD_INPUT,
    ErrorCategory.NOT_ALLOWED: EXIT_REFUSED,
    ErrorCategory.NOT_FOUND: EXIT_FAILURE,
    ErrorCategory.CONFLICT: EXIT_FAILURE,
    ErrorCategory.UNAVAILABLE: EXIT_ENVIRONMENT,
}

# The command that shows what there is, after "not found".
NEXT_STEPS: dict[type[CchcError], str] = {
    PlanNotFound: "xem: cchc plan list",
    CatalogueNotFound: "xem: cchc catalogue list",
    TaskNotFound: "xem: cchc task list",
    RoundNotFound: "mở: cchc round open",
}


@dataclass(frozen=True)
class Failure:
    lines: list[str]
    exit_code: int


def translate(exc: Exception) -> Failure:
    """One Vietnamese line per problem, and the exit code, for any exception."""
    if isinstance(exc, CchcError):
        return Failure(exc.lines(_next_step(exc)), EXIT_CODES[exc.category])
    if isinstance(exc, WorkflowUpdateFailedError):
        return Failure([refusal(exc)], EXIT_REFUSED)
    if isinstance(exc, RPCError):
        return Failure([server_failure(exc)], EXIT_ENVIRONMENT)
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        lines = [f"Lỗi cấu hình: CCHC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
        return Failure(lines, EXIT_ENVIRONMENT)
    if isinstance(exc, ValidationError):  # a request the CLI built from its options
        lines = [f"Lỗi: {'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors()]
        return Failure(lines, EXIT_BAD_INPUT)
    if isinstance(exc, SQLAlchemyError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Failure([f"Lỗi cơ sở dữ liệu: {detail}"], EXIT_ENVIRONMENT)
    if isinstance(exc, OSError) and exc.filename:
        return Failure([f"Lỗi: {exc.filename}: {exc.strerror or exc}"], EXIT_BAD_INPUT)
    return Failure(
        [f"Lỗi không mong đợi ({type(exc).__name__}): {exc}", "Đặt CCHC_DEBUG=1 để xem chi tiết (traceback)."],
        EXIT_FAILURE,
    )


def _next_step(exc: CchcError) -> str:
    return next((step for kind, step in NEXT_STEPS.items() if isinstance(exc, kind)), "")


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
