"""The JSON API: the same services and the same session as the pages.

Sign in on the web page (or POST /login) and send the session cookie. A POST must carry a JSON
body (`application/json`), or the file itself for an evidence upload: the content types an HTML
form can send cross-site are refused, and so is a body without one (a cross-site fetch may send
a file so), which, with the SameSite=Lax cookie, is the API's protection against cross-site
requests. Answers: 401 without a session, 403 for the wrong role or unit (nothing is sent to
the task) and for an account whose password someone else set until its owner changes it (on the
page /password), 404, 409 when the lifecycle or the task's workflow refuses (with its reason),
413 for a file over the limit, 422 for an invalid body, 503 while Temporal or the worker does
not answer.

(No `from __future__ import annotations`: the action routes are built in a loop, and FastAPI
reads each one's body type from its annotation.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from domain.lifecycle import TaskEntryKind, TaskState
from domain.roles import Action
from domain.task_events import Submission
from domain.vocabulary import label
from persistence.evidence_files import holds_evidence
from persistence.users import User
from services.task_documents import summary_document
from services.tasks import TaskSummary, today_in_vietnam
from web.api_models import (
    AcknowledgeBody,
    Body,
    EventOut,
    EvidenceBody,
    EvidenceOut,
    ExtensionBody,
    Problem,
    ProgressBody,
    ReassignmentBody,
    ReviewBody,
    StoredEvidenceOut,
    TaskDetailOut,
    TaskListOut,
    TaskOut,
    UserOut,
    ValidationProblem,
    WaiverBody,
)
from web.auth import signed_in
from web.errors import Refused, TooLargeUpload, UnsupportedType
from web.evidence_upload import keep_evidence
from web.routes.params import MAX_ID, task_ref
from web.runtime import Runtime, runtime
from web.task_actions import authorize, execute
from web.task_views import (
    ACTION_PATHS,
    TaskFilter,
    TaskPage,
    TaskRef,
    coloured,
    evidence_url,
    page_url,
    task_page,
    visible_tasks,
)

TASK = "/tasks/{plan_id}/{task_code}/{occurrence_key}"
MAX_JSON_BYTES = 64 * 1024
# What an HTML form (or a "simple" cross-site request) can send: never accepted by the API.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
PRINTABLE_QUERY = r"^[^\x00-\x1f\x7f]*$"

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Chưa đăng nhập"},
    403: {"model": Problem, "description": "Không có quyền"},
    404: {"model": Problem, "description": "Không tìm thấy"},
    422: {"model": ValidationProblem, "description": "Dữ liệu không hợp lệ"},
}
ACTION_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"model": Problem, "description": "Vòng đời hoặc nhiệm vụ từ chối (kèm lý do)"},
    413: {"model": Problem, "description": "Quá lớn"},
    415: {"model": Problem, "description": "Kiểu nội dung không được nhận"},
    503: {"model": Problem, "description": "Temporal hoặc worker không trả lời"},
}

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def json_request(request: Request) -> None:
    """A JSON body of reasonable size, or 415 / 413 before it is read."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedType("Kiểu nội dung không được nhận: hãy gửi JSON (application/json).")
    _check_length(request, MAX_JSON_BYTES)


def file_request(request: Request, rt: Runtime = Depends(runtime)) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type or content_type in FORM_TYPES:  # a cross-site fetch may send none
        raise UnsupportedType("Hãy gửi chính tệp (application/octet-stream hoặc kiểu của tệp), không qua biểu mẫu.")
    _check_length(request, rt.max_evidence_bytes)


def _check_length(request: Request, max_bytes: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeUpload(f"Quá lớn: tối đa {max_bytes // 1024} KB.")


# --- reading ---------------------------------------------------------------------------------


@router.get("/me", response_model=UserOut, summary="Người đang đăng nhập")
def me(user: User = Depends(signed_in)) -> UserOut:
    return UserOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        commune=user.commune,
        units=list(user.units),
    )


@router.get("/tasks", response_model=TaskListOut, summary="Danh sách nhiệm vụ, theo hạn")
def tasks(
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
    plan_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    unit: Annotated[str | None, Query(max_length=200, pattern=PRINTABLE_QUERY)] = None,
    state: TaskState | None = None,
    overdue: bool = False,
) -> TaskListOut:
    today = today_in_vietnam()
    with rt.sessions() as session:
        visible = visible_tasks(session, user, today)
    chosen = TaskFilter(plan_id=plan_id, unit=unit or None, state=state, overdue=overdue).apply(visible)
    return TaskListOut(today=today, tasks=[task_out(task, colour) for task, colour in coloured(chosen, today)])


@router.get(TASK, response_model=TaskDetailOut, summary="Một nhiệm vụ: diễn biến, sản phẩm, thao tác được phép")
def task(
    ref: TaskRef = Depends(task_ref), user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> TaskDetailOut:
    return _detail(rt, user, ref)


def _detail(rt: Runtime, user: User, ref: TaskRef) -> TaskDetailOut:
    today = today_in_vietnam()
    with rt.sessions() as session:
        page = task_page(session, user, ref, today)
    return detail_out(page, coloured([page.task], today)[0][1])


# --- acting ----------------------------------------------------------------------------------

ACTION_BODIES: dict[Action, tuple[type[Body], str]] = {
    Action.ACKNOWLEDGE: (AcknowledgeBody, "Nhận nhiệm vụ"),
    Action.REPORT_PROGRESS: (ProgressBody, "Báo cáo tiến độ"),
    Action.SUBMIT_EVIDENCE: (EvidenceBody, "Nộp sản phẩm (tệp đã tải lên bằng .../evidence/file)"),
    Action.REVIEW: (ReviewBody, "Kiểm tra: xác nhận hoàn thành hoặc trả lại"),
    Action.EXTEND_DEADLINE: (ExtensionBody, "Gia hạn"),
    Action.REASSIGN: (ReassignmentBody, "Giao lại cho đơn vị khác"),
    Action.WAIVE: (WaiverBody, "Dừng thực hiện"),
}


def _action_endpoint(action: Action, body_type: type[Body]):
    async def endpoint(
        body: body_type,  # type: ignore[valid-type]
        ref: TaskRef = Depends(task_ref),
        user: User = Depends(signed_in),
        rt: Runtime = Depends(runtime),
        _: None = Depends(json_request),
    ) -> TaskDetailOut:
        request: Body = body  # the body's type as the checker knows it (FastAPI reads `body_type`)
        task = await run_in_threadpool(authorize, rt, user, ref, action)
        if isinstance(request, EvidenceBody) and not await run_in_threadpool(_commune_has, rt, task, request.sha256):
            raise Refused("Chưa có tệp sản phẩm này: tải tệp lên trước (POST .../evidence/file).")
        await execute(rt, user, task, action, request)
        return await run_in_threadpool(_detail, rt, user, ref)

    endpoint.__name__ = f"api_{action.value}"
    return endpoint


def _commune_has(rt: Runtime, task: TaskSummary, sha256: str) -> bool:
    """Whether the task's commune holds this file: one only another commune uploaded is unknown here."""
    with rt.sessions() as session:
        return holds_evidence(session, task.commune, sha256) and rt.evidence.exists(sha256)


for _action, (_body_type, _summary) in ACTION_BODIES.items():
    router.add_api_route(
        f"{TASK}/{ACTION_PATHS[_action]}",
        _action_endpoint(_action, _body_type),
        methods=["POST"],
        response_model=TaskDetailOut,
        summary=_summary,
        responses=ACTION_ERRORS,
    )


@router.post(
    f"{TASK}/evidence/file",
    response_model=StoredEvidenceOut,
    summary="Tải lên tệp sản phẩm (chính tệp là thân yêu cầu); trả về sha256 để nộp",
    responses=ACTION_ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def evidence_file(
    request: Request,
    ref: TaskRef = Depends(task_ref),
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
    filename: Annotated[str, Query(max_length=255, pattern=PRINTABLE_QUERY)] = "",
    _: None = Depends(file_request),
) -> StoredEvidenceOut:
    task = await run_in_threadpool(authorize, rt, user, ref, Action.SUBMIT_EVIDENCE)
    kept = await keep_evidence(rt, request.stream(), filename, commune=task.commune, uploader=user.username)
    upload = kept.upload
    return StoredEvidenceOut(
        sha256=kept.sha256, size=upload.file.size, media_type=upload.media_type, created=kept.created
    )


# --- answers ---------------------------------------------------------------------------------


def task_out(task: TaskSummary, colour: str) -> TaskOut:
    return TaskOut(**_task_fields(task, colour))


def detail_out(page: TaskPage, colour: str) -> TaskDetailOut:
    task = page.task
    return TaskDetailOut(
        **_task_fields(task, colour),
        plan_number=page.plan_number,
        progress=page.progress,
        officer=page.officer,
        evidence=[evidence_out(item, evidence_url(item.document.sha256, task.workflow_id)) for item in page.evidence],
        timeline=[EventOut(**entry, kind_label=label(TaskEntryKind(entry["kind"]))) for entry in page.detail.timeline],
        actions=[action.value for action in page.actions],
    )


def evidence_out(submitted: Submission, download_url: str) -> EvidenceOut:
    document = submitted.document
    return EvidenceOut(
        document_number=document.document_number,
        document_date=document.document_date,
        title=document.title,
        sha256=document.sha256,
        submitted_by=submitted.by,
        submitted_at=submitted.at,
        download_url=download_url,
    )


def _task_fields(task: TaskSummary, colour: str) -> dict[str, Any]:
    return {
        **summary_document(task),
        "url": page_url(task.workflow_id),
        "state_label": label(task.state),
        "urgency": colour,
    }
