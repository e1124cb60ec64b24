"""The PAR cycle's pages and their JSON twins: a commune's round (where it stands, its
timeline, the submitted and appraised scores, the steps the signed-in user may take), its
self-assessment sheet, and the supervising authority's view of its communes, ranked.

Every route names a commune or answers for the communes the user may see
(`web.auth.sees_commune`): another commune's round is "not found", never "forbidden", so its
existence does not leak. A step is sent to the round's workflow, which refuses a wrong role
or state with its reason, shown on the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.assessment_round import Refused, RoundDates, RoundEntryKind, RoundEvent, deadline_in_force, move
from domain.calendar import TZ
from domain.errors import CchcError
from domain.roles import Role
from domain.scoring import read_points
from domain.vocabulary import label
from evidence.assessment_report import assessment_package
from evidence.document_layout import Release
from persistence.plans import list_plans
from persistence.tables import CommuneRow, TaskRow
from persistence.users import SUPERVISING_ROLES, User
from services.assessment import (
    AssessmentError,
    Sheet,
    add_office_evidence,
    assessment_sheet,
    check_office_evidence,
    enter_score,
    explain,
    plan_scope,
)
from services.catalogues import list_catalogues
from services.criteria_map import map_task
from services.people import chairman_signature, shown_names
from services.rounds import ROUND_ROLES, RoundNotFound, act_on_round, check_opening, open_round
from services.supervision import (
    RoundHistory,
    appraisal_items,
    changed_since_approval,
    find_round,
    json_number,
    latest_round_year,
    overview_document,
    round_overview,
    year_over_year,
)
from services.tasks import NoWorkerAnswer, today_in_vietnam
from temporal_client import TemporalUnreachable
from web.auth import CSRF_FIELD, check_csrf, require_role, sees_commune, signed_in
from web.errors import BadInput, Forbidden, NotFound, Unavailable, web_error
from web.evidence_upload import store_upload
from web.form_stream import read_upload
from web.routes.forms import SignedForm, signed_form
from web.routes.params import optional_id
from web.routes.task_forms import SHOWN_ON_THE_PAGE, parse_dmy
from web.runtime import Runtime, runtime
from web.templating import assessed_year, render
from workflows.round_contracts import PublicationDecision, RoundInput, RoundRequest

router = APIRouter()
Year = Annotated[int, Path(ge=2000, le=2100)]
Commune = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f/]+$")]
ROUND = "/rounds/{year}/{commune}"
# Who sees the supervising authority's view: its people, and whoever reads every commune.
SUPERVISION_ROLES = (*SUPERVISING_ROLES, Role.AUDITOR, Role.ADMIN)
OPENED_BEFORE_SCOPE = "Đợt đánh giá này được mở trước khi lưu kế hoạch và bộ tiêu chí của nó."
SHEET_ROLES = (Role.REVIEWER, Role.CHAIRMAN)  # who enters scores and explanations
# The commune's people whose menu leads to its round: those who act on it, and the leader who follows it.
COMMUNE_ROUND_ROLES = (*SHEET_ROLES, Role.VICE_CHAIRMAN)
FAILURES_SHOWN = (
    WorkflowUpdateFailedError,
    RoundNotFound,
    TemporalUnreachable,
    NoWorkerAnswer,
    RPCError,
    BadInput,
    Unavailable,
)


# --- a commune's round ---------------------------------------------------------------------


@router.get("/round", include_in_schema=False)
def own_round(user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> RedirectResponse:
    """The menu's way to the commune's PAR round: the one in progress, else the latest."""
    require_role(user, COMMUNE_ROUND_ROLES)
    assert user.commune is not None, "a commune role's account names its commune"
    with rt.sessions() as session:
        year = latest_round_year(session, [user.commune])
    if year is None:
        raise NotFound("Xã chưa có đợt đánh giá Chỉ số CCHC nào: đợt do cơ quan thẩm định mở.")
    return RedirectResponse(_round_path(user.commune, year), status_code=303)


@router.get(ROUND, response_class=HTMLResponse, include_in_schema=False)
def round_page(
    request: Request, year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    with rt.sessions() as session:
        context = _round_context(session, user, commune, year)
    return render(request, "round.html", {"user": user, **context})


@router.get(f"/api{ROUND}", summary="Một đợt đánh giá Chỉ số CCHC: bước, hạn, điểm, thẩm định từng tiêu chí")
def round_api(year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> dict:
    with rt.sessions() as session:
        context = _round_context(session, user, commune, year)
    return {
        **overview_document(context["row"]),
        "deadline": context["deadline"],
        "steps": context["steps"],
        "items": [_appraisal_document(item) for item in context["items"]],
        "timeline": [_entry_document(row) for row in context["history"].rows],
    }


@router.post(f"{ROUND}/act", include_in_schema=False)
async def round_step(
    year: Year,
    commune: Commune,
    form: SignedForm = Depends(signed_form),
    step: str = Form(""),
    codes: str = Form(""),
    points: str = Form(""),
    note: str = Form(""),
    decision_number: str = Form(""),
    decision_date: str = Form(""),
    signer: str = Form(""),
) -> RedirectResponse:
    """One step of the round by the signed-in user, in the role the account gives; publishing
    names the province's decision."""
    user = form.user
    with form.rt.sessions() as session:
        _visible_round(session, user, commune, year)
    role = ROUND_ROLES.get(user.role)
    if role is None:
        require_role(user, ROUND_ROLES)
    try:
        request = RoundRequest(
            event=_event(step),
            user=user.username,
            role=role,
            note=note.strip()[:2000],
            codes=tuple(code.strip() for code in codes.split(",") if code.strip()),
            points=read_points(points) if points.strip() else None,
            decision=_decision(decision_number, decision_date, signer),
        )
        await act_on_round(await form.rt.temporal.client(), commune, year, request)
    except (ValueError, ValidationError) as exc:
        form.flash(_problem(exc), "error")
    except FAILURES_SHOWN as exc:
        form.flash(web_error(exc).message, "error")
    else:
        form.flash(f"Đã ghi: {label(request.event)}.")
    return form.redirect(_round_path(commune, year))


def _decision(number: str, day: str, signer: str) -> PublicationDecision | None:
    """The publishing decision the form names; None when it names none."""
    if not (number.strip() or day.strip() or signer.strip()):
        return None
    return PublicationDecision(
        number=number.strip()[:100], issued=parse_dmy(day, "ngày quyết định"), signer=signer.strip()[:200]
    )


# --- the self-assessment sheet ------------------------------------------------------------


@router.get("/assessment/{year}/{commune}", response_class=HTMLResponse, include_in_schema=False)
def sheet_page(
    request: Request, year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    with rt.sessions() as session:
        history = _visible_round(session, user, commune, year)
        sheet = _live_sheet(session, history)
        tasks = session.execute(
            select(TaskRow.code, TaskRow.title, TaskRow.criteria)
            .where(TaskRow.plan_id == history.opening["plan_id"])
            .order_by(TaskRow.position)
        ).all()
    context = {
        "user": user,
        "sheet": sheet,
        "round_path": _round_path(commune, year),
        "tasks": tasks,
        "changed_since_approval": changed_since_approval(history, sheet),
        "sheet_path": f"/assessment/{year}/{quote(commune, safe='')}",
        "may_enter": user.role in SHEET_ROLES,
    }
    return render(request, "assessment.html", context)


@router.get("/api/assessment/{year}/{commune}", summary="Bảng tự chấm điểm của xã, như hiện tại")
def sheet_api(year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> dict:
    with rt.sessions() as session:
        history = _visible_round(session, user, commune, year)
        sheet = _live_sheet(session, history)
    return {
        "commune": sheet.commune,
        "year": sheet.year,
        "self_score": json_number(sheet.self_score),
        "max": json_number(sheet.max_points),
        "missing_evidence": sheet.missing_evidence,
        "blocking": sheet.blocking,
        "changed_since_approval": changed_since_approval(history, sheet),
        "items": [
            {
                "code": item.leaf.code,
                "name": item.leaf.name,
                "max": json_number(item.leaf.max_points),
                "scored_by": item.leaf.scored_by.value,
                "points": json_number(item.score.points),
                "how": item.score.explanation,
                "evidence": [evidence.reference for evidence in item.evidence],
                "explanation": item.explanation,
            }
            for item in sheet.items
        ],
    }


@router.get("/assessment/{year}/{commune}/package", include_in_schema=False)
def sheet_package(
    year: Year,
    commune: Commune,
    final: bool = False,
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
) -> Response:
    """The submission package (.zip) of the sheet as it stands, its documents signed by the
    commune's chairman of the people directory; marked "DỰ THẢO" unless the office or a leader
    says `final`."""
    if final:
        require_role(user, SHEET_ROLES)
    with rt.sessions() as session:
        history = _visible_round(session, user, commune, year)
        sheet = _live_sheet(session, history)
        release = Release(signature=chairman_signature(session, sheet.commune), final=final)
    content = assessment_package(sheet, rt.evidence, release=release, issued=datetime.now(TZ).date())
    name = f"ho-so-tu-danh-gia-cchc-{year}.zip"
    return Response(
        content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
    )


@router.post("/assessment/{year}/{commune}/score", include_in_schema=False)
def sheet_score(
    year: Year,
    commune: Commune,
    form: SignedForm = Depends(signed_form),
    code: str = Form(""),
    points: str = Form(""),
    reason: str = Form(""),
) -> RedirectResponse:
    """The office enters a score by hand, with its reason."""
    return _sheet_entry(
        form,
        commune,
        year,
        lambda session, plan_id, catalogue_id, now: enter_score(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue_id,
            code=code.strip(),
            points=read_points(points),
            reason=reason[:2000],
            actor=form.user.username,
            now=now,
        ),
    )


@router.post("/assessment/{year}/{commune}/explain", include_in_schema=False)
def sheet_explain(
    year: Year, commune: Commune, form: SignedForm = Depends(signed_form), code: str = Form(""), text: str = Form("")
) -> RedirectResponse:
    """The office explains an item without evidence (giải trình)."""
    return _sheet_entry(
        form,
        commune,
        year,
        lambda session, plan_id, catalogue_id, now: explain(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue_id,
            code=code.strip(),
            text=text[:4000],
            actor=form.user.username,
            now=now,
        ),
    )


@router.post("/assessment/{year}/{commune}/map", include_in_schema=False)
def sheet_map(
    year: Year, commune: Commune, form: SignedForm = Depends(signed_form), task: str = Form(""), codes: str = Form("")
) -> RedirectResponse:
    """The office sets which sub-criteria a task of the plan counts for (codes separated by
    commas or spaces; none: it counts for none)."""
    return _sheet_entry(
        form,
        commune,
        year,
        lambda session, plan_id, catalogue_id, now: map_task(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue_id,
            task_code=task,
            codes=codes.replace(",", " ").split(),
            actor=form.user.username,
            now=now,
        ),
        done=f"Đã gắn nhiệm vụ {task.strip()} với tiêu chí.",
    )


@router.post("/assessment/{year}/{commune}/evidence", include_in_schema=False)
async def sheet_evidence(
    request: Request, year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> RedirectResponse:
    """The office adds a document for an item, for one no task covers above all (multipart: the
    fields, then the file, if any, kept in the evidence store). Who may is settled before the
    body is read; the fields are checked before the file is."""
    form = SignedForm(request, user, rt)
    catalogue_id = await run_in_threadpool(_sheet_catalogue, rt, user, commune, year)
    try:
        upload = await read_upload(request)
        check_csrf(request, upload.fields.get(CSRF_FIELD))
        fields = {name: value.strip() for name, value in upload.fields.items()}
        day = parse_dmy(fields.get("document_date", ""), "ngày văn bản")
        await run_in_threadpool(_check_document, rt, catalogue_id, fields)
        stored = None
        if upload.filename:
            stored = await store_upload(rt.evidence, upload.data, upload.filename, max_bytes=rt.max_evidence_bytes)
    except (*SHOWN_ON_THE_PAGE, AssessmentError) as exc:
        form.flash(web_error(exc).message, "error")
        return form.redirect(f"/assessment/{year}/{quote(commune, safe='')}")
    return await run_in_threadpool(
        _sheet_entry,
        form,
        commune,
        year,
        lambda session, plan_id, catalogue_id, now: add_office_evidence(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue_id,
            code=fields.get("code", ""),
            number=fields.get("document_number", ""),
            day=day,
            issuer=fields.get("issuer", ""),
            summary=fields.get("summary", ""),
            sha256=stored.file.sha256 if stored else None,
            page=fields.get("page") or None,
            signed=fields.get("signed") == "on",
            actor=user.username,
            now=now,
        ),
        done=f"Đã thêm tài liệu kiểm chứng số {fields.get('document_number', '')} cho tiêu chí {fields.get('code', '')}.",
    )


def _sheet_catalogue(rt: Runtime, user: User, commune: str, year: int) -> int:
    """The round's catalogue, for the commune's office or chairman: 404 for a round the user
    does not see, 403 for anyone else."""
    with rt.sessions() as session:
        opening = _visible_round(session, user, commune, year).opening
    require_role(user, SHEET_ROLES)
    if "catalogue_id" not in opening:
        raise NotFound(OPENED_BEFORE_SCOPE)
    return opening["catalogue_id"]


def _check_document(rt: Runtime, catalogue_id: int, fields: dict[str, str]) -> None:
    with rt.sessions() as session:
        check_office_evidence(
            session,
            catalogue_id=catalogue_id,
            code=fields.get("code", ""),
            number=fields.get("document_number", ""),
            issuer=fields.get("issuer", ""),
            summary=fields.get("summary", ""),
            page=fields.get("page", ""),
        )


def _sheet_entry(
    form: SignedForm, commune: str, year: int, write, done: str = "Đã ghi vào bảng tự chấm điểm."
) -> RedirectResponse:
    """One entry on the sheet by the commune's office or chairman: 404 for a commune the user
    does not see, 403 for another role, the sheet's refusal shown on the page."""
    with form.rt.sessions.begin() as session:
        opening = _visible_round(session, form.user, commune, year).opening
        require_role(form.user, SHEET_ROLES)
        try:
            write(session, opening["plan_id"], opening["catalogue_id"], datetime.now(TZ))
        except (ValueError, ValidationError) as exc:
            session.rollback()
            form.flash(_problem(exc), "error")
        else:
            form.flash(done)
    return form.redirect(f"/assessment/{year}/{quote(commune, safe='')}")


# --- the supervising authority's view -----------------------------------------------------


@router.get("/supervision", include_in_schema=False)
def supervision_now(user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> RedirectResponse:
    """The menu's way in: the year of the round in progress (else the latest round) of the
    communes the user sees; with no round yet, the year a round would assess now."""
    require_role(user, SUPERVISION_ROLES)
    with rt.sessions() as session:
        year = latest_round_year(session, supervised_communes(session, user))
    return RedirectResponse(f"/supervision/{year or assessed_year(today_in_vietnam())}", status_code=303)


@router.get("/supervision/{year}", response_class=HTMLResponse, include_in_schema=False)
def supervision_page(
    request: Request, year: Year, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    require_role(user, SUPERVISION_ROLES)
    now = datetime.now(TZ)
    with rt.sessions() as session:
        communes = supervised_communes(session, user)
        rows = round_overview(session, year, communes, now)
        years = year_over_year(session, communes, [year - 1, year], now)
        plans = [plan for plan in list_plans(session) if plan.year == year and sees_commune(user, plan.commune)]
        catalogues = list_catalogues(session)
    context = {
        "user": user,
        "year": year,
        "rows": rows,
        "years": years,
        "plans": plans,
        "catalogues": catalogues,
        "may_open": opens_rounds(user),
    }
    return render(request, "supervision.html", context)


@router.get("/api/supervision/{year}", summary="Các xã cạnh nhau và xếp hạng của năm (cơ quan giám sát)")
def supervision_api(year: Year, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> dict:
    require_role(user, SUPERVISION_ROLES)
    with rt.sessions() as session:
        rows = round_overview(session, year, supervised_communes(session, user), datetime.now(TZ))
    return {"year": year, "communes": [overview_document(row) for row in rows]}


@router.post("/supervision/{year}/open", include_in_schema=False)
async def open_commune_round(
    year: Year,
    form: SignedForm = Depends(signed_form),
    plan_id: str = Form(""),
    catalogue_id: str = Form(""),
    submission_due: str = Form(""),
    explanation_due: str = Form(""),
    plan_completion: str = Form(""),
) -> RedirectResponse:
    """The supervising authority opens a commune's round on the plan of the year assessed."""
    if not opens_rounds(form.user):
        raise Forbidden("Chỉ người thẩm định, hoặc quản trị không thuộc xã nào, mới mở đợt đánh giá của xã.")
    try:
        with form.rt.sessions() as session:
            commune, plan_year = plan_scope(session, optional_id(plan_id) or 0)
            if not sees_commune(form.user, commune) or plan_year != year:
                raise NotFound("Không tìm thấy kế hoạch này.")
            opening = RoundInput(
                commune=commune,
                year=year,
                plan_id=int(plan_id),
                catalogue_id=optional_id(catalogue_id) or 0,
                plan_completion_codes=tuple(code.strip() for code in plan_completion.split(",") if code.strip()),
                opens=datetime.now(TZ).date(),
                submission_due=parse_dmy(submission_due, "hạn gửi hồ sơ"),
                explanation_due=parse_dmy(explanation_due, "hạn giải trình"),
            )
            check_opening(session, opening)
        opened = await open_round(await form.rt.temporal.client(), opening, task_queue=form.rt.settings.task_queue)
    except BadInput as exc:
        form.flash(exc.message, "error")
        return form.redirect(f"/supervision/{year}")
    except (ValueError, ValidationError) as exc:
        form.flash(_problem(exc), "error")
        return form.redirect(f"/supervision/{year}")
    form.flash(f"Đã mở đợt đánh giá của {commune}." if opened else f"Đợt đánh giá của {commune} đã mở từ trước.")
    return form.redirect(_round_path(commune, year))


def opens_rounds(user: User) -> bool:
    """Who opens a commune's round (segregation of duties): an appraiser, for the communes it
    supervises, or an administrator of no commune; never anyone of the commune assessed."""
    return user.role is Role.APPRAISER or (user.role is Role.ADMIN and user.commune is None)


def supervised_communes(session: Session, user: User) -> list[str]:
    """The communes the user may see: those it supervises, its own, or every stored one."""
    if user.role in SUPERVISING_ROLES:
        return list(user.supervises)
    names = session.scalars(select(CommuneRow.name).order_by(CommuneRow.name))
    return [name for name in names if sees_commune(user, name)]


# --- reading -------------------------------------------------------------------------------


def _visible_round(session: Session, user: User, commune: str, year: int) -> RoundHistory:
    """The round, if the user may see its commune; otherwise, as for no round, 404."""
    history = find_round(session, commune, year) if sees_commune(user, commune) else None
    if history is None:
        raise NotFound("Không có đợt đánh giá này.")
    return history


def _round_context(session: Session, user: User, commune: str, year: int) -> dict[str, Any]:
    history = _visible_round(session, user, commune, year)
    (row,) = round_overview(session, year, [commune], datetime.now(TZ))
    opening = history.opening
    deadline = None
    if "submission_due" in opening:
        dates = RoundDates(
            *(date.fromisoformat(opening[key]) for key in ("opens", "submission_due", "explanation_due"))
        )
        deadline = deadline_in_force(history.state, dates)
    role = ROUND_ROLES.get(user.role)
    names = shown_names(session, commune)
    steps = [
        event for event in RoundEvent if role is not None and not isinstance(move(history.state, event, role), Refused)
    ]
    return {
        "row": row,
        "history": history,
        "deadline": deadline,
        "steps": steps,
        "timeline": [
            (entry, label(RoundEntryKind(entry.kind)), names.get(entry.actor, entry.actor)) for entry in history.rows
        ],
        "items": appraisal_items(session, commune, year),
        "state_label": label(history.state),
        "sheet_path": f"/assessment/{year}/{quote(commune, safe='')}",
        "round_path": _round_path(commune, year),
    }


def _live_sheet(session: Session, history: RoundHistory) -> Sheet:
    opening = history.opening
    if "plan_id" not in opening:
        raise NotFound(OPENED_BEFORE_SCOPE)
    return assessment_sheet(
        session,
        plan_id=opening["plan_id"],
        catalogue_id=opening["catalogue_id"],
        plan_completion_codes=opening.get("plan_completion_codes", ()),
        now=datetime.now(TZ),
    )


# --- answers -------------------------------------------------------------------------------


def _event(step: str) -> RoundEvent:
    try:
        return RoundEvent(step)
    except ValueError:
        raise ValueError(f"không có bước “{step[:40]}”") from None


def _problem(exc: ValueError | ValidationError) -> str:
    """The line the page shows for a value it refuses: ours say it themselves."""
    if isinstance(exc, CchcError):
        return web_error(exc).message
    if isinstance(exc, ValidationError):
        return f"Lỗi: {exc.errors()[0]['msg'].removeprefix('Value error, ')}."
    return f"Lỗi: {exc}."


def _round_path(commune: str, year: int) -> str:
    return f"/rounds/{year}/{quote(commune, safe='')}"


def _appraisal_document(item) -> dict:
    return {
        "code": item.item.code,
        "name": item.item.name,
        "max": json_number(item.item.max_points),
        "self_points": json_number(item.item.points),
        "appraised_points": json_number(item.appraised),
        "comment": item.comment,
        "evidence": list(item.item.evidence),
        "explanation": item.item.explanation,
        "asked": item.asked,
        "answers": list(item.answers),
    }


def _entry_document(row) -> dict:
    return {
        "seq": row.seq,
        "at": row.at.astimezone(TZ).isoformat(),
        "kind": row.kind,
        "state": row.state,
        "actor": row.actor,
        "role": row.role,
        "detail": row.detail,
    }
