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
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from domain.assessment_round import (
    STATE_LABELS,
    Refused,
    RoundDates,
    RoundEvent,
    deadline_in_force,
    move,
)
from domain.calendar import TZ
from domain.scoring import read_points
from persistence.tables import CommuneRow
from persistence.users import SUPERVISING_ROLES, User
from services.assessment import AssessmentError, Sheet, assessment_sheet
from services.rounds import ROUND_ROLES, RoundNotFound, act_on_round
from services.supervision import (
    RoundHistory,
    appraisal_items,
    find_round,
    overview_document,
    round_overview,
    year_over_year,
)
from services.tasks import NoWorkerAnswer
from temporal_client import TemporalUnreachable
from web.auth import require_role, sees_commune, signed_in
from web.errors import BadInput, NotFound, Unavailable, web_error
from web.routes.forms import SignedForm, signed_form
from web.runtime import Runtime, runtime
from web.templating import render
from workflows.contracts import Role
from workflows.round_contracts import RoundRequest

router = APIRouter()
Year = Annotated[int, Path(ge=2000, le=2100)]
Commune = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f/]+$")]
ROUND = "/rounds/{year}/{commune}"
# Who sees the supervising authority's view: its people, and whoever reads every commune.
SUPERVISION_ROLES = (*SUPERVISING_ROLES, Role.AUDITOR, Role.ADMIN)
FAILURES_SHOWN = (WorkflowUpdateFailedError, RoundNotFound, TemporalUnreachable, NoWorkerAnswer, RPCError, BadInput,
                  Unavailable)


# --- a commune's round ---------------------------------------------------------------------


@router.get(ROUND, response_class=HTMLResponse, include_in_schema=False)
def round_page(request: Request, year: Year, commune: Commune, user: User = Depends(signed_in),
               rt: Runtime = Depends(runtime)) -> Response:
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
) -> RedirectResponse:
    """One step of the round by the signed-in user, in the role the account gives."""
    user = form.user
    with form.rt.sessions() as session:
        _visible_round(session, user, commune, year)
    role = ROUND_ROLES.get(user.role)
    if role is None:
        require_role(user, ROUND_ROLES)
    try:
        request = RoundRequest(event=_event(step), user=user.username, role=role, note=note.strip()[:2000],
                               codes=tuple(code.strip() for code in codes.split(",") if code.strip()),
                               points=read_points(points) if points.strip() else None)
        await act_on_round(await form.rt.temporal.client(), commune, year, request)
    except (ValueError, ValidationError) as exc:
        form.flash(f"Lỗi: {_first_problem(exc)}.", "error")
    except FAILURES_SHOWN as exc:
        form.flash(web_error(exc).message, "error")
    else:
        form.flash(f"Đã ghi: {STEP_LABELS[request.event]}.")
    return form.redirect(_round_path(commune, year))


# --- the self-assessment sheet ------------------------------------------------------------


@router.get("/assessment/{year}/{commune}", response_class=HTMLResponse, include_in_schema=False)
def sheet_page(request: Request, year: Year, commune: Commune, user: User = Depends(signed_in),
               rt: Runtime = Depends(runtime)) -> Response:
    with rt.sessions() as session:
        sheet = _live_sheet(session, _visible_round(session, user, commune, year))
    return render(request, "assessment.html", {"user": user, "sheet": sheet, "round_path": _round_path(commune, year)})


@router.get("/api/assessment/{year}/{commune}", summary="Bảng tự chấm điểm của xã, như hiện tại")
def sheet_api(year: Year, commune: Commune, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> dict:
    with rt.sessions() as session:
        sheet = _live_sheet(session, _visible_round(session, user, commune, year))
    return {
        "commune": sheet.commune,
        "year": sheet.year,
        "self_score": _number(sheet.self_score),
        "max": _number(sheet.max_points),
        "missing_evidence": sheet.missing_evidence,
        "blocking": sheet.blocking,
        "items": [
            {"code": item.leaf.code, "name": item.leaf.name, "max": _number(item.leaf.max_points),
             "points": _number(item.score.points), "how": item.score.explanation,
             "evidence": [evidence.reference for evidence in item.evidence], "explanation": item.explanation}
            for item in sheet.items
        ],
    }


# --- the supervising authority's view -----------------------------------------------------


@router.get("/supervision/{year}", response_class=HTMLResponse, include_in_schema=False)
def supervision_page(request: Request, year: Year, user: User = Depends(signed_in),
                     rt: Runtime = Depends(runtime)) -> Response:
    require_role(user, SUPERVISION_ROLES)
    now = datetime.now(TZ)
    with rt.sessions() as session:
        communes = supervised_communes(session, user)
        rows = round_overview(session, year, communes, now)
        years = year_over_year(session, communes, [year - 1, year], now)
    context = {"user": user, "year": year, "rows": rows, "years": years, "labels_state": STATE_LABELS}
    return render(request, "supervision.html", context)


@router.get("/api/supervision/{year}", summary="Các xã cạnh nhau và xếp hạng của năm (cơ quan giám sát)")
def supervision_api(year: Year, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> dict:
    require_role(user, SUPERVISION_ROLES)
    with rt.sessions() as session:
        rows = round_overview(session, year, supervised_communes(session, user), datetime.now(TZ))
    return {"year": year, "communes": [overview_document(row) for row in rows]}


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
        dates = RoundDates(*(date.fromisoformat(opening[key]) for key in ("opens", "submission_due", "explanation_due")))
        deadline = deadline_in_force(history.state, dates)
    role = ROUND_ROLES.get(user.role)
    steps = [event.value for event in RoundEvent
             if role is not None and not isinstance(move(history.state, event, role), Refused)]
    return {
        "row": row,
        "history": history,
        "deadline": deadline,
        "steps": steps,
        "step_labels": STEP_LABELS,
        "items": appraisal_items(session, commune, year),
        "state_label": STATE_LABELS[history.state],
        "sheet_path": f"/assessment/{year}/{quote(commune, safe='')}",
        "round_path": _round_path(commune, year),
    }


def _live_sheet(session: Session, history: RoundHistory) -> Sheet:
    opening = history.opening
    if "plan_id" not in opening:
        raise NotFound("Đợt đánh giá này được mở trước khi lưu kế hoạch và bộ tiêu chí của nó.")
    try:
        return assessment_sheet(session, plan_id=opening["plan_id"], catalogue_id=opening["catalogue_id"],
                                plan_completion_codes=opening.get("plan_completion_codes", ()), now=datetime.now(TZ))
    except AssessmentError as exc:
        raise BadInput(f"Lỗi: {exc}.") from exc


# --- answers -------------------------------------------------------------------------------

STEP_LABELS = {
    RoundEvent.APPROVE: "phê duyệt hồ sơ",
    RoundEvent.REOPEN: "trả lại để sửa",
    RoundEvent.SUBMIT: "gửi hồ sơ thẩm định",
    RoundEvent.APPRAISE: "chấm điểm thẩm định",
    RoundEvent.REQUEST_EXPLANATION: "yêu cầu giải trình",
    RoundEvent.ANSWER: "gửi giải trình",
    RoundEvent.PUBLISH: "công bố kết quả",
}


def _event(step: str) -> RoundEvent:
    try:
        return RoundEvent(step)
    except ValueError:
        raise ValueError(f"không có bước “{step[:40]}”") from None


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return exc.errors()[0]["msg"].removeprefix("Value error, ")
    return str(exc)


def _round_path(commune: str, year: int) -> str:
    return f"/rounds/{year}/{quote(commune, safe='')}"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _appraisal_document(item) -> dict:
    return {
        "code": item.item.code,
        "name": item.item.name,
        "max": _number(item.item.max_points),
        "self_points": _number(item.item.points),
        "appraised_points": _number(item.appraised),
        "comment": item.comment,
        "evidence": list(item.item.evidence),
        "explanation": item.item.explanation,
        "asked": item.asked,
        "answers": list(item.answers),
    }


def _entry_document(row) -> dict:
    return {"seq": row.seq, "at": row.at.astimezone(TZ).isoformat(), "kind": row.kind, "state": row.state,
            "actor": row.actor, "role": row.role, "detail": row.detail}

