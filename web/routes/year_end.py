"""Year end in the browser: a plan's December work list (`cchc evidence status`) and its
evidence package (`cchc evidence export`, the same bytes), for the commune's office, its
leaders, the auditor and the administrator."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from evidence.index_table import outcome
from evidence.package import build_package, write_package
from evidence.work_list import late_words, plan_work_list
from persistence.users import User
from services.tasks import today_in_vietnam
from web.auth import require_role, signed_in
from web.errors import NotFound
from web.routes.params import PlanId
from web.routes.plans import YEAR_END_ROLES, visible_plan, visible_plans
from web.runtime import Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
PACKAGE_NAME = "tai-lieu-kiem-chung-{year}.zip"


@router.get("/year-end")
def newest_work_list(user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> RedirectResponse:
    """The menu's way in: the work list of the newest plan the user sees."""
    require_role(user, YEAR_END_ROLES)
    with rt.sessions() as session:
        plans = visible_plans(session, user)
    if not plans:
        raise NotFound("Chưa có kế hoạch nào: hãy nhập kế hoạch CCHC của năm trước.")
    newest = max(plans, key=lambda plan: (plan.year, plan.id))
    return RedirectResponse(f"/plans/{newest.id}/year-end", status_code=303)


@router.get("/plans/{plan_id}/year-end", response_class=HTMLResponse)
def work_list_page(
    request: Request, plan_id: PlanId, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    """What is left before the year ends: criteria lacking documents, tasks without confirmed
    results, late tasks, what is still due."""
    require_role(user, YEAR_END_ROLES)
    with rt.sessions() as session:
        visible_plan(session, user, plan_id)
        plan, work = plan_work_list(session, rt.evidence, plan_id, on=today_in_vietnam())
    context = {
        "user": user,
        "plan": plan,
        "plan_id": plan_id,
        "work": work,
        "without_evidence": [(record, outcome(record)) for record in work.without_evidence],
        "late": [(record, late_words(record, days)) for record, days in work.late],
        "still_due": [(record, outcome(record)) for record in work.still_due],
    }
    return render(request, "year_end.html", context)


@router.get("/plans/{plan_id}/evidence.zip")
async def evidence_package(
    plan_id: PlanId, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    """The plan's year-end evidence package, byte for byte the file `cchc evidence export` writes."""
    require_role(user, YEAR_END_ROLES)
    path, year = await run_in_threadpool(_written_package, rt, user, plan_id)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=PACKAGE_NAME.format(year=year),
        headers={"Cache-Control": "private, no-store"},
        background=BackgroundTask(_forget, path),
    )


def _written_package(rt: Runtime, user: User, plan_id: int) -> tuple[Path, int]:
    """The package written to a file of its own (it may hold every document of the year)."""
    with rt.sessions() as session:
        visible_plan(session, user, plan_id)
        package = build_package(session, rt.evidence, plan_id)
    folder = Path(tempfile.mkdtemp(prefix="cchc-package-"))
    target = folder / PACKAGE_NAME.format(year=package.plan.year)
    write_package(package, target)
    return target, package.plan.year


def _forget(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.parent.rmdir()
