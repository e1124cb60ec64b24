"""Plans: the list, one plan, importing a plan file (upload, preview, confirm) and starting it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from domain.calendar import TZ
from domain.roles import Role
from importers import ImportResult, PlanInputError, read_plan
from importers.rows import fate_counts, must_see
from importers.drafts import warnings_by_task
from persistence.plans import list_plans, load_plan, save_plan
from persistence.task_tables import TaskRunRow
from persistence.users import User
from services.plan_start import start_plan
from web.auth import CSRF_FIELD, check_csrf, require_role, sees_commune, signed_in
from web.errors import BadInput, Forbidden, NotFound
from web.form_stream import read_upload
from web.plan_uploads import UploadGone, forget_upload, keep_upload, upload_path
from web.routes.forms import SignedForm, signed_form
from web.routes.params import PlanId, optional_id
from web.runtime import IMPORTS_FOLDER, Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
PLAN_ROLES = (Role.ADMIN, Role.CHAIRMAN, Role.REVIEWER)


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    with rt.sessions() as session:
        stored = [plan for plan in list_plans(session) if sees_commune(user, plan.commune)]
    return render(request, "plans.html", {"user": user, "plans": stored, "may_import": user.role in PLAN_ROLES})


@router.get("/plans/import", response_class=HTMLResponse)
def import_form(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    require_role(user, PLAN_ROLES)
    return render(request, "plan_import.html", {"user": user, "max_mb": rt.settings.max_import_mb})


@router.post("/plans/import", response_class=HTMLResponse)
async def upload_plan(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    """Read the uploaded plan and show what was understood; nothing is stored yet."""
    require_role(user, PLAN_ROLES)
    upload = await read_upload(request)
    check_csrf(request, upload.fields.get(CSRF_FIELD))
    if upload.filename is None:
        raise BadInput("Lỗi: hãy chọn tệp kế hoạch.")
    year, commune = optional_id(upload.fields.get("year")), _typed(upload.fields.get("commune"))
    folder = rt.settings.data_dir / IMPORTS_FOLDER
    token = await keep_upload(folder, user.id, upload.filename, upload.data, max_bytes=rt.max_import_bytes)
    path = upload_path(folder, user.id, token)
    context = {"user": user, "max_mb": rt.settings.max_import_mb, "year": year or "", "commune": commune or ""}
    try:
        result = await run_in_threadpool(_read, user, path, year, commune, rt.max_import_bytes)
    except PlanInputError as exc:
        forget_upload(path)
        return render(request, "plan_import.html", {**context, "errors": exc.findings}, status_code=422)
    _refuse_another_commune(user, result.plan.commune, path)
    return render(request, "plan_import.html", {**context, **_preview(result, token)})


def _preview(result: ImportResult, token: str) -> dict:
    """What the preview shows. A drafted (prose) plan's tasks each beside their source lines
    and their own warnings; one with a task nobody leads cannot be confirmed."""
    rows = {"fates": fate_counts(result.rows), "must_see": must_see(result.rows)}
    if result.drafted is None:
        return {"plan": result.plan, "warnings": result.warnings, "token": token, **rows}
    by_task, others = warnings_by_task(result.plan, result.warnings)
    return {
        "plan": result.plan,
        "warnings": others,
        "token": token,
        **rows,
        "drafted": result.drafted,
        "task_warnings": by_task,
        "leaderless": _leaderless(result),
    }


def _leaderless(result: ImportResult) -> list[str]:
    return [task.code for task in result.plan.tasks if not task.lead]


@router.post("/plans/import/confirm")
def confirm_plan(
    form: SignedForm = Depends(signed_form), token: str = Form(""), year: str = Form(""), commune: str = Form("")
) -> RedirectResponse:
    user, rt = form.user, form.rt
    require_role(user, PLAN_ROLES)
    try:
        path = upload_path(rt.settings.data_dir / IMPORTS_FOLDER, user.id, token)
    except UploadGone:
        form.flash(form.t("upload_gone"), "error")
        return form.redirect("/plans/import")
    result = _read(user, path, optional_id(year), _typed(commune), rt.max_import_bytes)
    plan = result.plan
    _refuse_another_commune(user, plan.commune, path)
    if leaderless := _leaderless(result):
        form.flash(form.t("draft_needs_leads", codes=", ".join(leaderless)), "error")
        return form.redirect("/plans/import")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with rt.sessions.begin() as session:
        saved = save_plan(session, plan, source_file=path.name, source_sha256=digest)
    forget_upload(path)
    form.flash(form.t("plan_saved" if saved.created else "plan_already_saved", number=plan.number, id=saved.plan_id))
    return form.redirect(f"/plans/{saved.plan_id}")


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: PlanId, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    with rt.sessions() as session:
        plan = _visible_plan(session, user, plan_id)
        started = session.scalar(select(func.count()).select_from(TaskRunRow).where(TaskRunRow.plan_id == plan_id))
    context = {"user": user, "plan": plan, "plan_id": plan_id, "started": started, "may_start": user.role in PLAN_ROLES}
    return render(request, "plan.html", context)


@router.post("/plans/{plan_id}/start", response_class=HTMLResponse)
async def start(plan_id: PlanId, form: SignedForm = Depends(signed_form), include_past_due: str = Form("")) -> Response:
    """One workflow per task occurrence (services.plan_start: idempotent)."""
    request, user, rt = form.request, form.user, form.rt
    require_role(user, PLAN_ROLES)
    with rt.sessions() as session:
        _visible_plan(session, user, plan_id)
    client = await rt.temporal.client()
    with rt.sessions.begin() as session:
        report = await start_plan(
            client,
            session,
            plan_id,
            actor=user.actor,
            include_past_due=include_past_due == "1",
            task_queue=rt.settings.task_queue,
            now=datetime.now(TZ),
        )
    return render(request, "plan_started.html", {"user": user, "report": report})


def _visible_plan(session, user: User, plan_id: int):
    plan = load_plan(session, plan_id)
    if not sees_commune(user, plan.commune):
        raise NotFound("Không tìm thấy kế hoạch này.")
    return plan


def _read(user: User, path: Path, year: int | None, commune: str | None, max_bytes: int) -> ImportResult:
    """The plan in `path`. A user of every commune may say whose it is; a commune user's plan is
    read as it names its commune, and as theirs only when it names none (then checked by the caller)."""
    if user.commune is None:
        return read_plan(path, year=year, commune=commune, max_bytes=max_bytes)
    try:
        return read_plan(path, year=year, max_bytes=max_bytes)
    except PlanInputError:
        return read_plan(path, year=year, commune=user.commune, max_bytes=max_bytes)


def _refuse_another_commune(user: User, commune: str, path: Path) -> None:
    if not sees_commune(user, commune):
        forget_upload(path)
        raise Forbidden(f"Kế hoạch này của xã {commune}, không phải xã của bạn.")


def _typed(text: str | None) -> str | None:
    return " ".join((text or "").split())[:200] or None
