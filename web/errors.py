"""The edge: every failure a request meets becomes a status code and one short Vietnamese phrase.

Our own errors say what went wrong (`CchcError.lines`) and their category gives the status;
Temporal's are phrased by `temporal_client`. Pages show the phrase on an error page, the
JSON API as `{"detail": ...}`. Nothing a request sends should reach the generic 500 answer.
"""

from __future__ import annotations

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.errors import CchcError, ErrorCategory
from evidence.store import TooLarge
from temporal_client import refusal, server_failure

HTTP_STATUSES: dict[ErrorCategory, int] = {
    ErrorCategory.BAD_INPUT: 422,
    ErrorCategory.NOT_ALLOWED: 403,
    ErrorCategory.NOT_FOUND: 404,
    ErrorCategory.CONFLICT: 409,
    ErrorCategory.UNAVAILABLE: 503,
}


class WebError(Exception):
    """A failure with its HTTP status and its phrase for people (Vietnamese)."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        self.message = message
        if status is not None:
            self.status = status
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


class PasswordChangeRequired(Exception):
    """Someone else set the user's password: pages redirect to the page that changes it, the
    API answers 403 saying so."""


# Exceptions the handlers in web/app.py translate (besides WebError, SignInRequired and
# PasswordChangeRequired).
TRANSLATED: tuple[type[Exception], ...] = (CchcError, WorkflowUpdateFailedError, RPCError)


def web_error(exc: Exception) -> WebError:
    """The status and phrase of any exception."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, TooLarge):  # HTTP has its own status, and the page its own phrase, for an upload too large
        return TooLargeUpload(f"Tệp quá lớn: tối đa {megabytes(exc.limit_bytes)} MB.")
    if isinstance(exc, CchcError):
        return WebError(" ".join(exc.lines()), HTTP_STATUSES[exc.category])
    if isinstance(exc, WorkflowUpdateFailedError):
        return Refused(refusal(exc))
    if isinstance(exc, RPCError):
        return Unavailable(server_failure(exc))
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    return WebError("Lỗi không mong đợi; hãy thử lại hoặc báo quản trị hệ thống.")


HTTP_PHRASES = {
    404: "Không có trang này.",
    405: "Trang này không nhận yêu cầu kiểu đó.",
    413: "Yêu cầu quá lớn.",
    415: "Kiểu nội dung không được chấp nhận: hãy gửi JSON (application/json).",
}


def _http_error(exc: HTTPException) -> WebError:
    return WebError(HTTP_PHRASES.get(exc.status_code, "Yêu cầu không hợp lệ."), exc.status_code)


def validation_problems(exc: RequestValidationError | ValidationError) -> list[dict]:
    """Each invalid field: where it is, and what is wrong, as pydantic says it."""
    return [{"loc": [str(part) for part in error["loc"]], "message": error["msg"]} for error in exc.errors()]


def megabytes(size: int) -> str:
    return f"{size / 2**20:g}".replace(".", ",")
