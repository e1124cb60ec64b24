"""Plans: the list, one plan, importing a plan file (upload, preview, confirm) and starting it.

An uploaded file that is a new version of a stored plan (an amending plan the person names,
or a corrected file of the plan itself) is previewed as its changes; the chairman confirms
them and they reach the running tasks (services.plan_import, as `cchc plan import FILE
--amends PLAN --confirm`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from domain.calendar import TZ
from domain.models import Plan
from domain.report_periods import ReportPeriod
from domain.roles import Role
from importers import ImportResult, PlanInputError
from importers.rows import fate_counts, must_see
from persistence.plans import PlanSummary, list_plans, load_plan
from persistence.task_tables import TaskRunRow
from persistence.users import User
from services.amendment import AmendmentPreview
from services.period_report import drafted_report
from services.plan_import import (
    AMENDING_ROLES,
    DraftWithoutLead,
    PlanFile,
    amendment_of,
    check_draft,
    confirm_amendment,
    leaderless,
    plan_file,
    store_plan,
)
from services.plan_start import start_plan
from web.auth import CSRF_FIELD, another_commune, check_csrf, require_role, sees_commune, signed_in
from web.draft_views import DraftPlace, editor_context, keep_new_draft
from web.errors import BadInput, Forbidden, NotFound
from web.form_stream import read_upload
from web.plan_reading import read_uploaded_plan
from web.plan_uploads import UploadGone, forget_upload, keep_upload, upload_path
from web.reading_apart import read_apart
from web.routes.forms import SignedForm, signed_form
from web.routes.params import PlanId, optional_id
from web.runtime import IMPORTS_FOLDER, Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
PLAN_ROLES = (Role.ADMIN, Role.CHAIRMAN, Role.REVIEWER)
# Who reads a plan's year-end work list and takes its evidence package (web.routes.year_end).
YEAR_END_ROLES = (Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.REVIEWER, Role.AUDITOR, Role.ADMIN)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    with rt.sessions() as session:
        stored = visible_plans(session, user)
    return render(request, "plans.html", {"user": user, "plans": stored, "may_import": user.role in PLAN_ROLES})


@router.get("/plans/import", response_class=HTMLResponse)
def import_form(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    require_role(user, PLAN_ROLES)
    with rt.sessions() as session:
        stored = visible_plans(session, user)
    return render(request, "plan_import.html", _form_context(user, rt, stored))


@router.post("/plans/import", response_class=HTMLResponse)
async def upload_plan(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    """Read the uploaded plan and show what was understood; nothing is stored yet."""
    require_role(user, PLAN_ROLES)
    upload = await read_upload(request)
    check_csrf(request, upload.fields.get(CSRF_FIELD))
    if upload.filename is None:
        raise BadInput("Lỗi: hãy chọn tệp kế hoạch.")
    fields = upload.fields
    year, commune, amends = (
        optional_id(fields.get("year")),
        typed_text(fields.get("commune")),
        optional_id(fields.get("amends")),
    )
    with rt.sessions() as session:
        stored = visible_plans(session, user)
    if amends is not None and amends not in {plan.id for plan in stored}:
        raise NotFound("Không tìm thấy kế hoạch này.")  # another commune's plan: not a byte is kept
    folder = rt.settings.data_dir / IMPORTS_FOLDER
    token = await keep_upload(folder, user.id, upload.filename, upload.data, max_bytes=rt.max_import_bytes)
    path = upload_path(folder, user.id, token)
    context = _form_context(user, rt, stored, year=year, commune=commune, amends=amends)
    try:
        imported = await run_in_threadpool(read_upload_apart, user, path, year, commune, rt)
        refuse_another_commune(user, imported.plan, path)
        with rt.sessions() as session:
            amendment = amendment_of(session, imported, amends=amends)
    except PlanInputError as exc:
        forget_upload(path)
        rt.metrics.import_failures.add(1, {"what": "plan"})
        return render(request, "plan_import.html", {**context, "errors": exc.findings}, status_code=422)
    except Exception:
        forget_upload(path)
        rt.metrics.import_failures.add(1, {"what": "plan"})
        raise
    if amendment is None and imported.read.drafted is not None:  # a prose plan: its draft, to correct
        draft = keep_new_draft(path, imported.read)
        place = DraftPlace(token, fields.get("year", ""), fields.get("commune", ""))
        editing = editor_context(request, user, place, draft)
        rows = {"fates": fate_counts(imported.read.rows), "must_see": must_see(imported.read.rows)}
        return render(request, "plan_draft.html", {**editing, **rows})
    preview = _preview(imported.read) if amendment is None else _amendment_preview(imported.read, amendment, user)
    return render(request, "plan_import.html", {**context, "token": token, **preview})


def _form_context(
    user: User,
    rt: Runtime,
    stored: list[PlanSummary],
    *,
    year: int | None = None,
    commune: str | None = None,
    amends: int | None = None,
) -> dict:
    """What the upload form shows: the size limit, the stored plans a file may amend, and what was typed."""
    return {
        "user": user,
        "max_mb": rt.settings.max_import_mb,
        "stored": stored,
        "year": year or "",
        "commune": commune or "",
        "amends": amends,
    }


def _preview(result: ImportResult) -> dict:
    """What the preview of a plan to store shows: its tasks and due dates, its warnings and
    what became of each row of the file (a prose plan is shown in the draft editor instead)."""
    return {
        "plan": result.plan,
        "warnings": result.warnings,
        "fates": fate_counts(result.rows),
        "must_see": must_see(result.rows),
    }


def _amendment_preview(result: ImportResult, amendment: AmendmentPreview, user: User) -> dict:
    """What the preview of a new version of a stored plan shows: its changes, to be confirmed
    by the chairman (whoever may make every change)."""
    return {
        "plan": result.plan,
        "warnings": result.warnings,
        "fates": fate_counts(result.rows),
        "must_see": must_see(result.rows),
        "amendment": amendment,
        "may_amend": user.role in AMENDING_ROLES,
        "leaderless": leaderless(result) if result.drafted is not None else (),
    }


@router.post("/plans/import/confirm")
def confirm_plan(
    form: SignedForm = Depends(signed_form), token: str = Form(""), year: str = Form(""), commune: str = Form("")
) -> RedirectResponse:
    user, rt = form.user, form.rt
    require_role(user, PLAN_ROLES)
    previewed = _previewed(form, token, year, commune)
    if previewed is None:
        return form.redirect("/plans/import")
    path, imported = previewed
    if imported.read.drafted is not None:  # a prose plan is stored as its draft was corrected
        return form.redirect(f"/plans/import/draft?{urlencode({'token': token, 'year': year, 'commune': commune})}")
    with rt.sessions.begin() as session:
        saved = store_plan(session, imported)
    forget_upload(path)
    number = imported.plan.number
    form.flash(form.t("plan_saved" if saved.created else "plan_already_saved", number=number, id=saved.plan_id))
    return form.redirect(f"/plans/{saved.plan_id}")


@router.post("/plans/{plan_id}/amend", response_class=HTMLResponse)
async def amend(
    plan_id: PlanId,
    form: SignedForm = Depends(signed_form),
    token: str = Form(""),
    year: str = Form(""),
    commune: str = Form(""),
) -> Response:
    """Apply the previewed new version of the plan to its running tasks, recorded with who
    confirmed it (services.plan_import.confirm_amendment)."""
    request, user, rt = form.request, form.user, form.rt
    require_role(user, AMENDING_ROLES)
    with rt.sessions() as session:
        visible_plan(session, user, plan_id)
    previewed = await run_in_threadpool(_previewed, form, token, year, commune)
    if previewed is None:
        return form.redirect("/plans/import")
    path, imported = previewed
    with rt.sessions() as session:
        amendment = amendment_of(session, imported, amends=plan_id)
    if not amendment.changes:
        forget_upload(path)
        form.flash(
            form.t("amendment_changes_nothing", plan=amendment.plan_number, number=amendment.document.ref.number)
        )
        return form.redirect(f"/plans/{plan_id}")
    client = await rt.temporal.client()
    outcomes = await confirm_amendment(
        client, rt.sessions, amendment, user.actor, task_queue=rt.settings.task_queue, now=datetime.now(TZ)
    )
    forget_upload(path)
    return render(request, "plan_amended.html", {"user": user, "amendment": amendment, "outcomes": outcomes})


def _previewed(form: SignedForm, token: str, year: str, commune: str) -> tuple[Path, PlanFile] | None:
    """The file whose preview the person confirms, read again as it was; None, with the reason
    flashed, when it is gone (confirmed already, or a day old) or is a draft with a task nobody leads."""
    user, rt = form.user, form.rt
    try:
        path = upload_path(rt.settings.data_dir / IMPORTS_FOLDER, user.id, token)
    except UploadGone:
        form.flash(form.t("upload_gone"), "error")
        return None
    imported = read_upload_apart(user, path, optional_id(year), typed_text(commune), rt)
    refuse_another_commune(user, imported.plan, path)
    try:
        check_draft(imported, confirmed=True)
    except DraftWithoutLead as refusal:
        form.flash(form.t("draft_needs_leads", codes=", ".join(refusal.codes)), "error")
        return None
    return path, imported


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(
    request: Request, plan_id: PlanId, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    with rt.sessions() as session:
        plan = visible_plan(session, user, plan_id)
        started = session.scalar(select(func.count()).select_from(TaskRunRow).where(TaskRunRow.plan_id == plan_id))
    context = {
        "user": user,
        "plan": plan,
        "plan_id": plan_id,
        "started": started,
        "may_start": user.role in PLAN_ROLES,
        "year_end": user.role in YEAR_END_ROLES,
        "report_periods": list(ReportPeriod),
    }
    return render(request, "plan.html", context)


@router.get("/plans/{plan_id}/report")
def period_report(
    plan_id: PlanId,
    period: ReportPeriod = ReportPeriod.YEAR,
    final: bool = False,
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
) -> Response:
    """The plan's periodic CCHC report for `period` as of today (.docx); only the office and the
    leaders may take off its "DỰ THẢO" mark."""
    if final:
        require_role(user, PLAN_ROLES)
    with rt.sessions() as session:
        visible_plan(session, user, plan_id)
        name, content = drafted_report(
            session, plan_id=plan_id, period=period, issued=datetime.now(TZ).date(), final=final
        )
    return Response(
        content,
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
    )


@router.post("/plans/{plan_id}/start", response_class=HTMLResponse)
async def start(plan_id: PlanId, form: SignedForm = Depends(signed_form), include_past_due: str = Form("")) -> Response:
    """One workflow per task occurrence (services.plan_start: idempotent)."""
    request, user, rt = form.request, form.user, form.rt
    require_role(user, PLAN_ROLES)
    with rt.sessions() as session:
        visible_plan(session, user, plan_id)
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


def visible_plans(session, user: User) -> list[PlanSummary]:
    return [plan for plan in list_plans(session) if sees_commune(user, plan.commune)]


def visible_plan(session, user: User, plan_id: int):
    plan = load_plan(session, plan_id)
    if not sees_commune(user, plan.commune):
        raise NotFound("Không tìm thấy kế hoạch này.")
    return plan


def read_upload_apart(user: User, path: Path, year: int | None, commune: str | None, rt: Runtime) -> PlanFile:
    """The plan file at `path`, read apart from the web (web.reading_apart); a commune user's plan
    is theirs only when it names none of another commune (checked by the caller)."""
    arguments = {"year": year, "commune": commune, "own_commune": user.commune, "max_bytes": rt.max_import_bytes}
    return plan_file(path, read_apart(read_uploaded_plan, path, rt.import_limits, **arguments))


def refuse_another_commune(user: User, plan: Plan, path: Path) -> None:
    """Forbidden, the file forgotten, unless the plan is the user's (`another_commune`)."""
    refusal = another_commune(user, plan.commune, plan.issuer)
    if refusal is not None:
        forget_upload(path)
        raise Forbidden(refusal.message)


def typed_text(text: str | None) -> str | None:
    """A short text a form typed: its spaces made single, at most 200 characters; None when empty."""
    return " ".join((text or "").split())[:200] or None
