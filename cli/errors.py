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
from temporalio.service import RPCError, RPCStatusCode

from config import get_settings
from devserver import DevServerError
from domain.scoring import ScoringError
from evidence.store import ACCEPTED_TYPES, NotAccepted, TooLarge
from importers import PlanInputError
from persistence.people import DirectoryConflict
from persistence.plans import PlanAmbiguous, PlanNotFound
from services.amendment import AmendmentRefused
from services.assessment import AssessmentError
from services.catalogues import CatalogueNotFound
from services.plan_start import NotAllowed
from services.rounds import RoundNotFound
from services.tasks import NoWorkerAnswer, TaskNotFound, short_id
from temporal_client import ConfigurationProblem, MissingSearchAttributes, TemporalUnreachable

EXIT_FAILURE = 1  # not found, unexpected
EXIT_BAD_INPUT = 2  # the plan file cannot be used (same code click uses for bad arguments)
EXIT_ENVIRONMENT = 3  # configuration, database or Temporal
EXIT_REFUSED = 4  # the task (its workflow) refused the request: wrong role, wrong state, bad data


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
    if isinstance(exc, NotAccepted):
        return Failure(
            [
                f"Lỗi: tệp “{exc.filename}” không thuộc loại được nhận làm sản phẩm.",
                f"Chỉ nhận: {'; '.join(ACCEPTED_TYPES.values())}.",
            ],
            EXIT_BAD_INPUT,
        )
    if isinstance(exc, TooLarge):
        limit = f"{exc.limit_bytes / 2**20:g} MB"
        return Failure([f"Lỗi: tệp sản phẩm lớn hơn giới hạn {limit} (CCHC_MAX_EVIDENCE_MB)."], EXIT_BAD_INPUT)
    if isinstance(exc, CatalogueNotFound):
        return Failure([f"Lỗi: {exc}."], EXIT_FAILURE)
    if isinstance(exc, (AssessmentError, ScoringError)):  # a score or an item the sheet refuses
        return Failure([f"Lỗi: {exc}."], EXIT_BAD_INPUT)
    if isinstance(exc, DirectoryConflict):
        return Failure(
            [f"Lỗi: danh bạ xã {exc.commune} vừa được thay đổi ở nơi khác; không lưu gì, hãy nhập lại."], EXIT_FAILURE
        )
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        lines = [f"Lỗi cấu hình: CCHC_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
        return Failure(lines, EXIT_ENVIRONMENT)
    if isinstance(exc, ValidationError):  # a request the CLI built from its options
        lines = [f"Lỗi: {'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors()]
        return Failure(lines, EXIT_BAD_INPUT)
    temporal = _temporal_failure(exc)
    if temporal is not None:
        return temporal
    if isinstance(exc, SQLAlchemyError):
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Failure([f"Lỗi cơ sở dữ liệu: {detail}"], EXIT_ENVIRONMENT)
    if isinstance(exc, OSError) and exc.filename:
        return Failure([f"Lỗi: {exc.filename}: {exc.strerror or exc}"], EXIT_BAD_INPUT)
    return Failure(
        [f"Lỗi không mong đợi ({type(exc).__name__}): {exc}", "Đặt CCHC_DEBUG=1 để xem chi tiết (traceback)."],
        EXIT_FAILURE,
    )


def _temporal_failure(exc: Exception) -> Failure | None:
    """Temporal's errors, the embedded server's and the task workflow's refusals."""
    if isinstance(exc, WorkflowUpdateFailedError):
        cause = exc.cause
        reason = getattr(cause, "message", None) or str(cause or exc)
        return Failure([f"Bị từ chối: {reason}"], EXIT_REFUSED)
    if isinstance(exc, AmendmentRefused):
        return Failure([f"Lỗi: {exc}"], EXIT_BAD_INPUT)
    if isinstance(exc, NotAllowed):
        return Failure([f"Bị từ chối: {exc}"], EXIT_REFUSED)
    if isinstance(exc, TemporalUnreachable):
        return Failure([_unreachable_line(exc.address), f"Chi tiết: {exc.detail}"], EXIT_ENVIRONMENT)
    if isinstance(exc, RPCError) and exc.status == RPCStatusCode.UNAVAILABLE:
        return Failure([_unreachable_line(get_settings().temporal_address)], EXIT_ENVIRONMENT)
    if isinstance(exc, RoundNotFound):
        return Failure(
            [f"Lỗi: không có đợt đánh giá năm {exc.year} của {exc.commune} đang chạy (mở: cchc round open)."],
            EXIT_FAILURE,
        )
    if isinstance(exc, TaskNotFound):
        return Failure(
            [f"Lỗi: không tìm thấy nhiệm vụ đang chạy “{short_id(exc.workflow_id)}” (xem: cchc task list)."],
            EXIT_FAILURE,
        )
    if isinstance(exc, NoWorkerAnswer):
        return Failure(
            [
                f"Lỗi: nhiệm vụ {short_id(exc.workflow_id)} chưa trả lời sau {exc.seconds:g} giây: "
                "worker có đang chạy không (cchc up hoặc cchc worker)?"
            ],
            EXIT_ENVIRONMENT,
        )
    if isinstance(exc, MissingSearchAttributes):
        return Failure([f"Lỗi cấu hình Temporal: {line}" if i == 0 else line for i, line in enumerate(exc.lines)],
                       EXIT_ENVIRONMENT)
    if isinstance(exc, (DevServerError, ConfigurationProblem)):
        return Failure([f"Lỗi: {line}" if i == 0 else line for i, line in enumerate(str(exc).splitlines())],
                       EXIT_ENVIRONMENT)
    if isinstance(exc, RPCError):
        return Failure([f"Lỗi Temporal ({exc.status.name if exc.status else '?'}): {exc.message}"], EXIT_ENVIRONMENT)
    return None


def _unreachable_line(address: str) -> str:
    return (
        f"Không kết nối được máy chủ Temporal tại {address}: "
        "chạy `cchc up` hoặc kiểm tra CCHC_TEMPORAL_ADDRESS."
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
