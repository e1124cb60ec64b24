"""The edge: every failure a request meets becomes a status code and one short Vietnamese phrase.

Library and service exceptions are mapped here once (reusing the CLI's phrases where they
fit, `cli.errors.translate`); pages show the phrase on an error page, the JSON API as
`{"detail": ...}`. Nothing a request sends should reach the generic 500 answer.
"""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from cli.errors import translate
from evidence.store import TooLarge
from importers import PlanInputError
from persistence.plans import PlanAmbiguous, PlanNotFound
from services.plan_start import NotAllowed
from services.rounds import RoundNotFound
from services.tasks import NoWorkerAnswer, TaskNotFound
from temporal_client import TemporalUnreachable
from web.form_stream import BadForm


class WebError(Exception):
    """A failure with its HTTP status and its phrase for people (Vietnamese)."""

    status = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Forbidden(WebError):
    status = 403


class NotFound(WebError):
    status = 404


class Refused(WebError):
    """The task's workflow (or the lifecycle) refused the request: the reason says why."""

    status = 409


class TooLargeUpload(WebError):
    status = 413


class UnsupportedType(WebError):
    status = 415


class BadInput(WebError):
    status = 422


class Unavailable(WebError):
    status = 503


class SignInRequired(Exception):
    """No valid session: pages redirect to the sign-in page, the API answers 401."""


# Exceptions the handlers in web/app.py translate (besides WebError and SignInRequired).
TRANSLATED: tuple[type[Exception], ...] = (
    TaskNotFound,
    RoundNotFound,
    WorkflowUpdateFailedError,
    NotAllowed,
    TemporalUnreachable,
    NoWorkerAnswer,
    RPCError,
    PlanNotFound,
    PlanAmbiguous,
    PlanInputError,
    TooLarge,
    BadForm,
)


def web_error(exc: Exception) -> WebError:
    """The status and phrase of any exception."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, TaskNotFound):
        return NotFound("Không tìm thấy nhiệm vụ này, hoặc nhiệm vụ đã kết thúc.")
    if isinstance(exc, RoundNotFound):
        return NotFound("Không có đợt đánh giá này, hoặc đợt đã kết thúc.")
    if isinstance(exc, PlanNotFound):
        return NotFound("Không tìm thấy kế hoạch này.")
    if isinstance(exc, TooLarge):
        return TooLargeUpload(f"Tệp quá lớn: tối đa {megabytes(exc.limit_bytes)} MB.")
    if isinstance(exc, BadForm):
        return BadInput(f"Lỗi: {exc}.")
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    lines = translate(exc).lines
    if isinstance(exc, (WorkflowUpdateFailedError, PlanAmbiguous)):
        return Refused(lines[0])
    if isinstance(exc, NotAllowed):
        return Forbidden(lines[0])
    if isinstance(exc, PlanInputError):
        return BadInput(" ".join(lines))
    if isinstance(exc, (TemporalUnreachable, NoWorkerAnswer, RPCError)):
        return Unavailable(lines[0])
    return WebError("Lỗi không mong đợi; hãy thử lại hoặc báo quản trị hệ thống.")


HTTP_PHRASES = {
    404: "Không có trang này.",
    405: "Trang này không nhận yêu cầu kiểu đó.",
    413: "Yêu cầu quá lớn.",
    415: "Kiểu nội dung không được chấp nhận: hãy gửi JSON (application/json).",
}


def _http_error(exc: HTTPException) -> WebError:
    error = WebError(HTTP_PHRASES.get(exc.status_code, "Yêu cầu không hợp lệ."))
    error.status = exc.status_code
    return error


def validation_problems(exc: RequestValidationError | ValidationError) -> list[dict]:
    """Each invalid field: where it is, and what is wrong, as pydantic says it."""
    return [{"loc": [str(part) for part in error["loc"]], "message": error["msg"]} for error in exc.errors()]


def megabytes(size: int) -> str:
    return f"{size / 2**20:g}".replace(".", ",")
