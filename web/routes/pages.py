"""The pages that read: dashboard, my tasks, a unit, one task, and an evidence file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.lifecycle import FINAL_STATES, TaskState
from domain.roles import Role
from domain.task_events import task_history
from domain.units import unit_key
from evidence.store import SNIFF_BYTES, sniff_type
from observability.health import worker_alive
from persistence.evidence_files import holds_evidence
from persistence.plans import PlanSummary, list_plans
from persistence.users import SUPERVISING_ROLES, User
from services.tasks import get_task, task_events, today_in_vietnam, workflow_id_of
from web import i18n
from web.auth import require_role, seen_communes, sees_commune, signed_in
from web.errors import NotFound
from web.evidence_upload import download_name
from web.insight import monthly_trend, rates_svg, trend_svg, unit_rates
from web.meeting import commune_kind, warnings_of
from web.routes.params import SEGMENT, optional_id, optional_state, task_ref
from web.runtime import Runtime, runtime
from web.task_export import tasks_workbook
from web.task_views import (
    TaskFilter,
    TaskRef,
    coloured,
    coordinated_by,
    due_this_week,
    of_units,
    overdue_by_unit,
    task_page,
    unit_names,
    visible_tasks,
)
from web.templating import language, render

router = APIRouter(include_in_schema=False)

DASHBOARD_ROLES = (Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.REVIEWER, Role.AUDITOR, Role.ADMIN)
UnitName = Annotated[str, Path(max_length=200, pattern=SEGMENT)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Digest = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


@dataclass(frozen=True)
class WorkerStatus:
    temporal_reachable: bool
    worker_alive: bool | None  # None: Temporal could not tell
    finished_demo: bool = False  # Temporal is not running because the data is a finished `cchc demo`


@router.get("/", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
    plan: str = "",
    unit: str = "",
    state: str = "",
) -> Response:
    if user.role is Role.OFFICER:
        return RedirectResponse("/me", status_code=303)
    if user.role in SUPERVISING_ROLES:  # the supervising authority's home is its communes' round
        return RedirectResponse("/supervision", status_code=303)
    require_role(user, DASHBOARD_ROLES)
    chosen = _filter(plan, unit, state)
    t = i18n.translator(language(request))
    context = await run_in_threadpool(_dashboard, rt, user, chosen, t)
    return render(request, "dashboard.html", {**context, "user": user, "worker": await _worker_status(rt)})


def _filter(plan: str, unit: str, state: str) -> TaskFilter:
    """The task list's filters, from the dashboard's form (what is not understood filters nothing)."""
    return TaskFilter(plan_id=optional_id(plan), unit=unit.strip()[:200] or None, state=optional_state(state))


def _dashboard(rt: Runtime, user: User, chosen: TaskFilter, t) -> dict[str, Any]:
    today = today_in_vietnam()
    with rt.sessions() as session:
        everything = visible_tasks(session, user, today)
        plans = [plan for plan in list_plans(session) if sees_commune(user, plan.commune)]
        year = _trend_year(plans, chosen.plan_id, today)
        rates = unit_rates(session, today, communes=seen_communes(user), plan_id=chosen.plan_id)
        trend = monthly_trend(session, year, communes=seen_communes(user), plan_id=chosen.plan_id, today=today)
    tasks = chosen.apply(everything)
    return {
        "today": today,
        "filters": chosen,
        "plans": plans,
        "units": unit_names(everything),
        "states": list(TaskState),
        "overdue": [(name, coloured(items, today)) for name, items in overdue_by_unit(tasks)],
        "overdue_count": sum(1 for task in tasks if task.overdue),
        "week": coloured(due_this_week(tasks, today), today),
        "filtered": coloured(tasks, today) if chosen.active else [],
        "rates_svg": rates_svg(rates, title=t("rates_title")),
        "trend_svg": trend_svg(trend, title=t("trend_title", year=year)),
    }


def _trend_year(plans: list[PlanSummary], plan_id: int | None, today: date) -> int:
    """The year the trend shows: the chosen plan's, else the newest plan's, else this year."""
    years = [plan.year for plan in plans if plan_id is None or plan.id == plan_id]
    return max(years, default=today.year)


async def _worker_status(rt: Runtime) -> WorkerStatus:
    client = await rt.temporal.client_or_none()
    if client is None:
        return WorkerStatus(
            temporal_reachable=False, worker_alive=None, finished_demo=rt.settings.demo_accounts.exists()
        )
    return WorkerStatus(temporal_reachable=True, worker_alive=await worker_alive(client, rt.settings.task_queue))


@router.get("/tasks.xlsx")
def tasks_export(
    user: User = Depends(signed_in), rt: Runtime = Depends(runtime), plan: str = "", unit: str = "", state: str = ""
) -> Response:
    """The dashboard's task list with its filters, or a unit's (`unit=`), as an .xlsx workbook."""
    today = today_in_vietnam()
    with rt.sessions() as session:
        tasks = _filter(plan, unit, state).apply(visible_tasks(session, user, today))
    return Response(
        tasks_workbook(tasks, title=f"Nhiệm vụ {today:%d-%m-%Y}"),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="nhiem-vu-{today:%Y-%m-%d}.xlsx"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/weekly", response_class=HTMLResponse)
def weekly_list(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    """The list printed for the weekly meeting: overdue tasks by unit, who was warned, what is due next."""
    require_role(user, DASHBOARD_ROLES)
    today = today_in_vietnam()
    with rt.sessions() as session:
        tasks = visible_tasks(session, user, today)
        overdue = overdue_by_unit(tasks)
        warned = warnings_of(session, {task.workflow_id for _, items in overdue for task in items})
        kind = commune_kind(session, user.commune)
    context = {
        "user": user,
        "today": today,
        "commune_kind": kind,
        "overdue": overdue,
        "overdue_count": sum(1 for task in tasks if task.overdue),
        "warned": warned,
        "week": due_this_week(tasks, today),
    }
    return render(request, "weekly.html", context)


@router.get("/me", response_class=HTMLResponse)
def my_tasks(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    if user.role is not Role.OFFICER:
        return RedirectResponse("/", status_code=303)
    today = today_in_vietnam()
    with rt.sessions() as session:
        visible = visible_tasks(session, user, today)
    mine = of_units(visible, user.units)
    open_tasks = [task for task in mine if task.state not in FINAL_STATES]
    finished = [task for task in mine if task.state in FINAL_STATES]
    coordinated = [task for task in coordinated_by(visible, user.units) if task.state not in FINAL_STATES]
    context = {
        "user": user,
        "today": today,
        "open": coloured(open_tasks, today),
        "finished": coloured(finished, today),
        "coordinated": coloured(coordinated, today),
    }
    return render(request, "me.html", context)


@router.get("/units/{name}", response_class=HTMLResponse)
def unit_page(
    request: Request, name: UnitName, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    today = today_in_vietnam()
    with rt.sessions() as session:
        tasks = of_units(visible_tasks(session, user, today), (name,))
        rates = unit_rates(session, today, communes=seen_communes(user))
        rates = [rate for rate in rates if unit_key(rate.unit) == unit_key(name)]
    t = i18n.translator(language(request))
    context = {
        "user": user,
        "today": today,
        "unit": rates[0].unit if rates else name,
        "rate": rates[0] if rates else None,
        "rates_svg": rates_svg(rates, title=t("rates_title")) if rates else "",
        "tasks": coloured(tasks, today),
    }
    return render(request, "unit.html", context)


@router.get("/tasks/{plan_id}/{task_code}/{occurrence_key}", response_class=HTMLResponse)
def task_detail(
    request: Request, ref: TaskRef = Depends(task_ref), user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    today = today_in_vietnam()
    with rt.sessions() as session:
        page = task_page(session, user, ref, today)
    context = {
        "user": user,
        "today": today,
        "page": page,
        "task": page.task,
        "colour": coloured([page.task], today)[0][1],
        "actions": {action.value for action in page.actions},
        "max_evidence_mb": rt.settings.max_evidence_mb,
    }
    return render(request, "task.html", context)


@router.get("/evidence/{sha256}")
def evidence_file(
    sha256: Digest,
    task: Annotated[str, Query(max_length=300, pattern=r"^[^\x00-\x1f\x7f]+$")],
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
) -> Response:
    """An evidence file of a task the user may see, one of its commune's files, always as a
    download (never shown inline)."""
    workflow_id = workflow_id_of(task)
    with rt.sessions() as session:
        summary = get_task(session, workflow_id, today=today_in_vietnam())
        if summary is None or not sees_commune(user, summary.commune):
            raise NotFound("Không tìm thấy nhiệm vụ này.")
        history = task_history(
            (event.entry() for event in task_events(session, workflow_id)), due=summary.due, lead=summary.lead
        )
        numbers = [s.document.document_number for s in history.submissions if s.document.sha256 == sha256]
        held = holds_evidence(session, summary.commune, sha256)
    path = rt.evidence.path_of(sha256)
    if not numbers or not held or not path.is_file():
        raise NotFound("Không tìm thấy tệp sản phẩm này.")
    with path.open("rb") as file:
        media_type = sniff_type(file.read(SNIFF_BYTES), "") or "application/octet-stream"
    return FileResponse(
        path,
        media_type=media_type,
        filename=download_name(numbers[-1], media_type),
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
