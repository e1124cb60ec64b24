"""`cchc audit verify|replay`: auditors check that no task's or PAR round's record was altered,
and replay every archived history on the current code (docs/audit.md).

Both read the database only: they work after Temporal's retention has passed, and on the
data a `cchc demo` leaves. A broken chain or a failed replay exits with code 1.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.audit_render import (
    TaskAudit,
    print_replay_summary,
    print_states_on,
    print_timelines,
    print_verification,
    replay_document,
    verification_document,
)
from cli.errors import EXIT_FAILURE, at_the_edge
from cli.options import JsonOption, YearOption
from cli.plans import database, print_json
from cli.tasks import parse_dmy
from config import get_settings
from evidence.archive import archived_runs
from evidence.audit_log import round_ids, states_on, task_ids, timelines
from evidence.replay import replay_runs, write_histories
from evidence.verify import verify
from persistence.plans import find_plan_id
from persistence.task_tables import TaskRunRow
from services.tasks import short_id, workflow_id_of
from workflows.round_contracts import ROUND_WORKFLOW_PREFIX

app = typer.Typer(help="Kiểm tra nhật ký và phát lại lịch sử nhiệm vụ, đợt đánh giá PAR (audit).", no_args_is_help=True)

PlanOption = Annotated[
    str | None, typer.Option("--plan", help="Chỉ kế hoạch này: id hoặc số, ví dụ 10/KH-UBND (mặc định: mọi kế hoạch).")
]


@app.command("verify")
@at_the_edge
def verify_command(plan: PlanOption = None, year: YearOption = None, as_json: JsonOption = False) -> None:
    """Tính lại chuỗi băm của nhật ký, đối chiếu với lịch sử Temporal đã lưu trữ (verify).

    Gồm cả các đợt đánh giá PAR (của kế hoạch --plan nếu có). Chỉ ra chỗ đứt đầu tiên (nhiệm vụ
    hoặc đợt đánh giá, sự kiện) của từng chuỗi; có chỗ đứt thì thoát với mã 1.
    """
    with database(get_settings().effective_database_url) as sessions, sessions() as session:
        plan_id = _plan_id(session, plan, year)
        result = verify(session, task_ids(session, plan_id), round_ids(session, plan_id=plan_id))
    if as_json:
        print_json(verification_document(result))
    else:
        print_verification(Console(), result)
    if not result.intact:
        raise typer.Exit(EXIT_FAILURE)


@app.command("replay")
@at_the_edge
def replay_command(
    plan: PlanOption = None,
    year: YearOption = None,
    task: Annotated[str | None, typer.Option("--task", help="Chỉ nhiệm vụ này, ví dụ 1/I.3/2024-02 (task id).")] = None,
    round_: Annotated[
        str | None, typer.Option("--round", help="Chỉ đợt đánh giá PAR này: năm/xã, ví dụ 2024/Vĩnh Khê.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Ghi lịch sử từng lượt chạy (JSON) vào thư mục này.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Trạng thái mọi nhiệm vụ cuối ngày này, dd/mm/yyyy (state as of a day).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Phát lại mọi lịch sử Temporal đã lưu trữ trên mã nguồn hiện tại và in diễn biến từng nhiệm vụ, đợt đánh giá (replay).

    Lượt phát lại nào không đạt (mã nguồn đã đổi không tương thích) thì thoát với mã 1.
    """
    if sum(map(bool, (plan, task, round_))) > 1:
        raise typer.BadParameter("chọn một trong --plan, --task, --round", param_hint="--task")
    day = parse_dmy(at, "--at") if at else None
    one = workflow_id_of(task) if task else ROUND_WORKFLOW_PREFIX + round_.strip() if round_ else None
    with database(get_settings().effective_database_url) as sessions, sessions() as session:
        ids = [one] if one else _workflow_ids(session, _plan_id(session, plan, year))
        audits = _task_audits(session, ids)
    if one and not (audits[0].events or audits[0].runs):
        what = f"đợt đánh giá “{round_}”" if round_ else f"nhiệm vụ “{short_id(one)}”"
        typer.echo(
            f"Lỗi: không có {what} trong nhật ký (xem: cchc {'round status' if round_ else 'task list'}).", err=True
        )
        raise typer.Exit(EXIT_FAILURE)
    runs = [run for audit in audits for run in audit.runs]
    failures = asyncio.run(replay_runs(runs))
    for audit in audits:
        audit.failures = {run.run_id: failures[run.run_id] for run in audit.runs if run.run_id in failures}
    written = len(write_histories(runs, out)) if out else 0
    states = states_on({a.workflow_id: a.events for a in audits}, day) if day else {}
    _report(audits, day, states, written, out, as_json)
    if failures:
        raise typer.Exit(EXIT_FAILURE)


def _report(
    audits: list[TaskAudit], day: date | None, states: dict, written: int, out: Path | None, as_json: bool
) -> None:
    if as_json:
        print_json(replay_document(audits, at=day, states=states, out=str(out) if out else None))
        return
    console = Console()
    if day:
        print_states_on(console, audits, day, states)
    else:
        print_timelines(console, audits)
    print_replay_summary(console, audits, written, str(out) if out else None)


def _plan_id(session: Session, plan: str | None, year: int | None) -> int | None:
    return find_plan_id(session, plan, year=year) if plan else None


def _workflow_ids(session: Session, plan_id: int | None) -> list[str]:
    """The tasks of the plan (of every plan when None), then the PAR rounds that assess it."""
    return task_ids(session, plan_id) + round_ids(session, plan_id=plan_id)


def _task_audits(session: Session, workflow_ids: list[str]) -> list[TaskAudit]:
    query = select(TaskRunRow).where(TaskRunRow.workflow_id.in_(workflow_ids))
    runs = {row.workflow_id: row for row in session.scalars(query)}
    events = timelines(session, workflow_ids)
    archived = archived_runs(session, workflow_ids)
    return [
        TaskAudit(workflow_id, runs.get(workflow_id), events.get(workflow_id, []), archived.get(workflow_id, []))
        for workflow_id in workflow_ids
    ]
