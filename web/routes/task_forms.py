"""The task page's forms: one POST per action, then back to the task page with a message.

Every form is checked in the same order: signed in, CSRF token, the user's permission (403,
nothing sent), the form's values, and only then the workflow. A refusal by the lifecycle or
the workflow, an unreachable Temporal or a bad value is shown on the task page as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.roles import Action, ActionField, Role
from domain.vocabulary import label
from evidence.store import TooLarge
from persistence.users import User
from services.tasks import NoWorkerAnswer
from temporal_client import TemporalUnreachable
from web.api_models import (
    AcknowledgeBody,
    Body,
    EvidenceBody,
    ExtensionBody,
    ProgressBody,
    ReassignmentBody,
    ReviewBody,
    WaiverBody,
)
from web.auth import CSRF_FIELD, check_csrf, signed_in
from web.errors import BadInput, Refused, TooLargeUpload, Unavailable, UnsupportedType, WebError, web_error
from web.evidence_upload import keep_evidence
from web.form_stream import BadForm, read_upload
from web.routes.forms import SignedForm, signed_form
from web.routes.params import task_ref
from web.runtime import Runtime, runtime
from web.task_actions import authorize, execute
from web.task_views import ACTION_PATHS, TaskRef, page_url
from workflows.contracts import stop_document

router = APIRouter(include_in_schema=False)
TASK = "/tasks/{plan_id}/{task_code}/{occurrence_key}"

# Failures shown on the task page as a message (the others get an error page: 403, 404).
SHOWN_ON_THE_PAGE = (
    Refused,
    BadInput,
    UnsupportedType,
    TooLargeUpload,
    Unavailable,
    WorkflowUpdateFailedError,
    TemporalUnreachable,
    NoWorkerAnswer,
    RPCError,
    TooLarge,
    BadForm,
)


@dataclass(frozen=True)
class TaskForm(SignedForm):
    """A task page's form: who sends it, about which task."""

    ref: TaskRef

    async def act(self, action: Action, body: Callable[[], Body]) -> RedirectResponse:
        """Authorize (403 before the form's values are read), build the body, run the action."""
        try:
            task = await run_in_threadpool(authorize, self.rt, self.user, self.ref, action)
            await execute(self.rt, self.user, task, action, _valid(body))
        except SHOWN_ON_THE_PAGE as exc:
            self.flash(self._phrase(web_error(exc)), "error")
        else:
            self.flash(self.t(f"done_{action.value}"))
        return self.back()

    def back(self) -> RedirectResponse:
        return self.redirect(page_url(self.ref.workflow_id))

    def _phrase(self, error: WebError) -> str:
        """The error's phrase; Temporal down, in plain words but to an admin (who sees the server)."""
        if error.status == Unavailable.status and self.user.role is not Role.ADMIN:
            return self.t("temporal_down")
        return error.message


def task_form(form: SignedForm = Depends(signed_form), ref: TaskRef = Depends(task_ref)) -> TaskForm:
    return TaskForm(form.request, form.user, form.rt, ref)


@router.post(f"{TASK}/{ACTION_PATHS[Action.ACKNOWLEDGE]}")
async def acknowledge(form: TaskForm = Depends(task_form), note: str = Form("")) -> RedirectResponse:
    return await form.act(Action.ACKNOWLEDGE, lambda: AcknowledgeBody(note=note))


@router.post(f"{TASK}/{ACTION_PATHS[Action.REPORT_PROGRESS]}")
async def report_progress(
    form: TaskForm = Depends(task_form), percent: str = Form(""), note: str = Form("")
) -> RedirectResponse:
    return await form.act(Action.REPORT_PROGRESS, lambda: ProgressBody(percent=percent, note=note))


@router.post(f"{TASK}/{ACTION_PATHS[Action.REVIEW]}")
async def review(
    form: TaskForm = Depends(task_form), decision: str = Form(""), comment: str = Form("")
) -> RedirectResponse:
    def body() -> ReviewBody:
        if decision not in ("approve", "return"):
            raise BadInput("Lỗi: hãy chọn xác nhận hoàn thành hoặc trả lại.")
        return ReviewBody(approve=decision == "approve", comment=comment)

    return await form.act(Action.REVIEW, body)


@router.post(f"{TASK}/{ACTION_PATHS[Action.EXTEND_DEADLINE]}")
async def extend_deadline(
    form: TaskForm = Depends(task_form), new_due: str = Form(""), reason: str = Form("")
) -> RedirectResponse:
    return await form.act(
        Action.EXTEND_DEADLINE,
        lambda: ExtensionBody(new_due=parse_dmy(new_due, label(ActionField.NEW_DUE)), reason=reason),
    )


@router.post(f"{TASK}/{ACTION_PATHS[Action.REASSIGN]}")
async def reassign(
    form: TaskForm = Depends(task_form),
    lead: list[str] = Form([]),
    officer: str = Form(""),
    reason: str = Form(""),
) -> RedirectResponse:
    def body() -> ReassignmentBody:
        units = [unit.strip() for unit in lead if unit.strip()]
        return ReassignmentBody(lead=units, officer=officer.strip() or None, reason=reason)

    return await form.act(Action.REASSIGN, body)


@router.post(f"{TASK}/{ACTION_PATHS[Action.WAIVE]}")
async def waive(
    form: TaskForm = Depends(task_form),
    reason: str = Form(""),
    document_number: str = Form(""),
    document_date: str = Form(""),
) -> RedirectResponse:
    def body() -> WaiverBody:
        day = parse_dmy(document_date, label(ActionField.DOCUMENT_DATE)) if document_date.strip() else None
        try:
            stop_document(document_number, day)
        except ValueError as exc:
            raise BadInput(f"Lỗi: {exc}.") from None
        return WaiverBody(reason=reason, document_number=document_number, document_date=day)

    return await form.act(Action.WAIVE, body)


@router.post(f"{TASK}/{ACTION_PATHS[Action.SUBMIT_EVIDENCE]}")
async def submit_evidence(
    request: Request, ref: TaskRef = Depends(task_ref), user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> RedirectResponse:
    """The multipart form: its text fields first, then the file, read only once all is in order."""
    form = TaskForm(request, user, rt, ref)
    try:
        task = await run_in_threadpool(authorize, rt, user, ref, Action.SUBMIT_EVIDENCE)  # 403 before reading
        upload = await read_upload(request)
        check_csrf(request, upload.fields.get(CSRF_FIELD))
        if upload.filename is None:
            raise BadInput("Lỗi: hãy chọn tệp sản phẩm.")
        fields = upload.fields
        day = parse_dmy(fields.get("document_date", ""), label(ActionField.DOCUMENT_DATE))
        number, title = fields.get("document_number", "").strip(), fields.get("title", "").strip()
        issuer = fields.get("issuer", "").strip()
        _valid(
            lambda: EvidenceBody(document_number=number, document_date=day, title=title, sha256="0" * 64, issuer=issuer)
        )
        kept = await keep_evidence(rt, upload.data, upload.filename, commune=task.commune, uploader=user.username)
        body = EvidenceBody(document_number=number, document_date=day, title=title, sha256=kept.sha256, issuer=issuer)
        await execute(rt, user, task, Action.SUBMIT_EVIDENCE, body)
    except SHOWN_ON_THE_PAGE as exc:
        form.flash(web_error(exc).message, "error")
    else:
        done = form.t("done_submit_evidence", number=number)
        form.flash(done if kept.created else f"{done} {form.t('same_file_already_stored')}")
    return form.back()


# --- helpers ---------------------------------------------------------------------------------


def _valid(body: Callable[[], Body]) -> Body:
    """The form's body, or `BadInput` naming the fields to correct."""
    try:
        return body()
    except ValidationError as exc:
        fields = sorted({_field_words(str(error["loc"][0])) for error in exc.errors()})
        raise BadInput(f"Lỗi: hãy kiểm tra lại {', '.join(fields)}.") from None


def _field_words(name: str) -> str:
    """A form field as people call it; one they never fill in (the file's sha256) by its name."""
    try:
        return label(ActionField(name))
    except ValueError:
        return name


def parse_dmy(text: str, field: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise BadInput(f"Lỗi: {field} “{text.strip()[:40]}” không đúng dạng dd/mm/yyyy.") from None
