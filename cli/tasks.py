"""`cchc task ...`: list and show tasks, and act on one: every action works without a web UI.

Who acts is what `--as USER --role ROLE [--unit U]` says. Until the web part adds accounts
and sign-in, the CLI is the operator's tool on the server itself: it trusts these options
as given, and the workflow checks what that role may do (an officer only on their units'
tasks). A task id is its workflow id, with or without the `cchc-task/` prefix:
`1/I.3/2024-02` is plan 1, task I.3, occurrence 2024-02.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from sqlalchemy import select

from cli.errors import at_the_edge
from cli.options import JsonOption
from cli.plans import database, print_json
from cli.task_render import (
    detail_document,
    empty_list_message,
    print_detail,
    state_label,
    task_list_document,
    tasks_table,
)
from config import Settings, get_settings
from domain.calendar import TZ
from domain.formatting import dmy
from domain.roles import Actor, Role
from evidence.location import evidence_store, file_ref
from evidence.store import SNIFF_BYTES, NotAccepted, sniff_type
from persistence.evidence_files import claim_evidence
from persistence.plans import find_plan_id
from persistence.task_tables import TaskRunRow
from services.people import shown_names
from services.tasks import (
    TaskNotFound,
    communes_without_directory,
    detail_from_read_model,
    detail_from_snapshot,
    execute_update,
    get_task,
    list_tasks,
    query_snapshot,
    short_id,
    today_in_vietnam,
    workflow_id_of,
)
from temporal_client import TemporalUnreachable, connect
from workflows.contracts import (
    Acknowledge,
    DeadlineExtension,
    EvidenceSubmission,
    ProgressReport,
    Reassignment,
    ReviewDecision,
    TaskSnapshot,
    Waiver,
    stop_document,
)
from workflows.task import TaskWorkflow

MB = 1024 * 1024
CHUNK_BYTES = MB

app = typer.Typer(help="Nhiệm vụ: danh sách, chi tiết, và từng thao tác (tasks).", no_args_is_help=True)

TaskArgument = Annotated[str, typer.Argument(help="Mã nhiệm vụ, ví dụ 1/I.3/2024-02 (task id).")]
UserOption = Annotated[str, typer.Option("--as", help="Người thực hiện (user).")]
RoleOption = Annotated[Role, typer.Option("--role", help="Vai trò (role).", case_sensitive=False)]
UnitOption = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        help="Đơn vị của công chức (officer), đơn vị Phó Chủ tịch phụ trách (vice_chairman), đơn vị của Văn phòng (unit).",
    ),
]


# --- reading ---------------------------------------------------------------------------------


@app.command("list")
@at_the_edge
def list_command(
    overdue: Annotated[bool, typer.Option("--overdue", help="Chỉ các nhiệm vụ quá hạn (overdue only).")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="Chỉ nhiệm vụ do đơn vị này chủ trì.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Chỉ nhiệm vụ của kế hoạch này (id hoặc số).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Danh sách nhiệm vụ theo hạn, từ cơ sở dữ liệu (list tasks)."""
    today = today_in_vietnam()
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        plan_id = find_plan_id(session, plan) if plan is not None else None
        tasks = list_tasks(session, today=today, overdue=overdue, unit=unit, plan_id=plan_id)
        without_directory = communes_without_directory(session, tasks)
    if as_json:
        print_json(task_list_document(tasks, today, without_directory=without_directory))
    elif not tasks:
        Console().print(empty_list_message(overdue), markup=False)
    else:
        Console().print(tasks_table(tasks, today, overdue=overdue, without_directory=without_directory))


@app.command("show")
@at_the_edge
def show_command(task_id: TaskArgument, as_json: JsonOption = False) -> None:
    """Chi tiết một nhiệm vụ và diễn biến của nó (show a task and its timeline)."""
    settings = get_settings()
    workflow_id = workflow_id_of(task_id)
    today = today_in_vietnam()
    snapshot, note = asyncio.run(_live_snapshot(settings, workflow_id))
    with database(settings.effective_database_url) as session_factory, session_factory() as session:
        summary = get_task(session, workflow_id, today=today)
        if snapshot is not None:
            detail = detail_from_snapshot(workflow_id, snapshot, summary, today)
        elif summary is not None:
            detail = detail_from_read_model(session, summary, note)
        else:
            raise TaskNotFound(workflow_id)
        names = shown_names(session, summary.commune) if summary else {}
    if as_json:
        print_json(detail_document(detail))
    else:
        print_detail(Console(), detail, names)


async def _live_snapshot(settings: Settings, workflow_id: str) -> tuple[TaskSnapshot | None, str]:
    """The workflow's state, or None and why not (then the read model answers)."""
    try:
        client = await connect(settings, timeout=5)
    except TemporalUnreachable:
        return None, f"Không kết nối được Temporal tại {settings.temporal_address}: hiển thị theo cơ sở dữ liệu."
    snapshot = await query_snapshot(client, workflow_id)
    if snapshot is None:
        return None, "Không có worker trả lời (cchc up / cchc worker chưa chạy?): hiển thị theo cơ sở dữ liệu."
    return snapshot, ""


# --- acting ----------------------------------------------------------------------------------


@app.command("acknowledge")
@at_the_edge
def acknowledge_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    unit: UnitOption = None,
    note: Annotated[str, typer.Option("--note", help="Ghi chú.")] = "",
) -> None:
    """Nhận nhiệm vụ (acknowledge)."""
    request = Acknowledge(actor=actor_of(user, role, unit), note=note)
    _apply(task_id, TaskWorkflow.acknowledge, request, "Đã nhận nhiệm vụ")


@app.command("progress")
@at_the_edge
def progress_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    percent: Annotated[int, typer.Option("--percent", min=0, max=100, help="Phần trăm hoàn thành (0–100).")],
    unit: UnitOption = None,
    note: Annotated[str, typer.Option("--note", help="Ghi chú tiến độ.")] = "",
) -> None:
    """Báo cáo tiến độ (report progress)."""
    request = ProgressReport(actor=actor_of(user, role, unit), percent=percent, note=note)
    _apply(task_id, TaskWorkflow.report_progress, request, f"Đã báo cáo tiến độ {percent}%")


@app.command("evidence")
@at_the_edge
def evidence_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    number: Annotated[str, typer.Option("--number", help="Số văn bản, ví dụ 15/QĐ-UBND.")],
    document_date: Annotated[str, typer.Option("--date", help="Ngày văn bản, dd/mm/yyyy.")],
    title: Annotated[str, typer.Option("--title", help="Trích yếu văn bản.")],
    file: Annotated[Path, typer.Option("--file", help="Tệp sản phẩm (văn bản đã ban hành).")],
    unit: UnitOption = None,
    issuer: Annotated[str, typer.Option("--issuer", help="Cơ quan ban hành, nếu không phải UBND xã (issuer).")] = "",
) -> None:
    """Nộp sản phẩm: văn bản có số, ngày, trích yếu và tệp (submit evidence)."""
    actor = actor_of(user, role, unit)
    day = parse_dmy(document_date, "--date")
    digest = store_evidence(file, get_settings())
    _claim_for_task(workflow_id_of(task_id), digest, actor.user)
    request = EvidenceSubmission(
        actor=actor,
        document_number=number,
        document_date=day,
        title=title,
        file_ref=file_ref(digest),
        sha256=digest,
        issuer=issuer.strip(),
    )
    _apply(task_id, TaskWorkflow.submit_evidence, request, f"Đã nộp sản phẩm {number} (sha256 {digest[:12]}…)")


@app.command("review")
@at_the_edge
def review_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    approve: Annotated[
        bool | None, typer.Option("--approve/--return", help="Xác nhận hoàn thành, hoặc trả lại để làm lại.")
    ] = None,
    comment: Annotated[str, typer.Option("--comment", help="Ý kiến kiểm tra (bắt buộc khi trả lại).")] = "",
    unit: UnitOption = None,
) -> None:
    """Kiểm tra sản phẩm: xác nhận hoàn thành hoặc trả lại (review evidence)."""
    if approve is None:
        raise typer.BadParameter(
            "chọn --approve (xác nhận hoàn thành) hoặc --return (trả lại)", param_hint="--approve/--return"
        )
    request = ReviewDecision(actor=actor_of(user, role, unit), approve=approve, comment=comment)
    _apply(task_id, TaskWorkflow.review, request, "Đã xác nhận hoàn thành" if approve else "Đã trả lại")


@app.command("extend")
@at_the_edge
def extend_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    due: Annotated[str, typer.Option("--due", help="Hạn mới, dd/mm/yyyy.")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do gia hạn.")],
    unit: UnitOption = None,
) -> None:
    """Gia hạn nhiệm vụ (extend the deadline)."""
    request = DeadlineExtension(actor=actor_of(user, role, unit), new_due=parse_dmy(due, "--due"), reason=reason)
    _apply(task_id, TaskWorkflow.extend_deadline, request, "Đã gia hạn")


@app.command("reassign")
@at_the_edge
def reassign_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    lead: Annotated[list[str], typer.Option("--lead", help="Đơn vị chủ trì mới (có thể ghi nhiều lần).")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do giao lại.")],
    officer: Annotated[str | None, typer.Option("--officer", help="Công chức được giao (nếu có).")] = None,
    unit: UnitOption = None,
) -> None:
    """Giao lại nhiệm vụ cho đơn vị khác (reassign)."""
    request = Reassignment(actor=actor_of(user, role, unit), lead=tuple(lead), officer=officer, reason=reason)
    _apply(task_id, TaskWorkflow.reassign, request, f"Đã giao lại cho {', '.join(lead)}")


@app.command("waive")
@at_the_edge
def waive_command(
    task_id: TaskArgument,
    user: UserOption,
    role: RoleOption,
    reason: Annotated[str, typer.Option("--reason", help="Lý do dừng thực hiện.")],
    document_number: Annotated[
        str, typer.Option("--document-number", help="Số văn bản điều chỉnh kế hoạch (nếu có), ví dụ 25/KH-UBND.")
    ] = "",
    document_date: Annotated[
        str, typer.Option("--document-date", help="Ngày ban hành văn bản điều chỉnh, dd/mm/yyyy.")
    ] = "",
    unit: UnitOption = None,
) -> None:
    """Dừng thực hiện nhiệm vụ (waive). Có văn bản điều chỉnh: không tính vào tỷ lệ đúng hạn;
    không có: tính là chưa hoàn thành."""
    day = parse_dmy(document_date, "--document-date") if document_date.strip() else None
    try:
        amendment = stop_document(document_number, day)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--document-number/--document-date") from None
    request = Waiver(actor=actor_of(user, role, unit), reason=reason, amendment=amendment)
    _apply(task_id, TaskWorkflow.waive, request, "Đã dừng thực hiện")


# --- helpers ---------------------------------------------------------------------------------


def actor_of(user: str, role: Role, units: list[str] | None) -> Actor:
    if role is Role.SYSTEM:
        raise typer.BadParameter("vai trò system dành cho chính hệ thống", param_hint="--role")
    if role is Role.OFFICER and not units:
        raise typer.BadParameter("công chức (officer) phải ghi đơn vị của mình: --unit ĐƠN_VỊ", param_hint="--unit")
    if role is Role.VICE_CHAIRMAN and not units:
        raise typer.BadParameter(
            "Phó Chủ tịch (vice_chairman) phải ghi đơn vị phụ trách: --unit ĐƠN_VỊ", param_hint="--unit"
        )
    return Actor(user=user, role=role, units=tuple(units or ()))


def parse_dmy(text: str, option: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise typer.BadParameter(f"“{text}” không phải ngày dạng dd/mm/yyyy", param_hint=option) from None


def store_evidence(file: Path, settings: Settings) -> str:
    """Keep `file` in the evidence store, unless it is not a type a commune may submit or is
    larger than `max_evidence_mb`; its SHA-256."""
    store = evidence_store(settings.data_dir)
    with file.open("rb") as source:
        head = source.read(SNIFF_BYTES)
        if sniff_type(head, file.name) is None:
            raise NotAccepted(str(file))
        rest = iter(functools.partial(source.read, CHUNK_BYTES), b"")
        stored = store.put(itertools.chain([head], rest), max_bytes=settings.max_evidence_mb * MB)
    return stored.sha256


def _claim_for_task(workflow_id: str, digest: str, uploader: str) -> None:
    """Make the stored file one of the task's commune's, so its people may download it."""
    with database(get_settings().effective_database_url) as session_factory, session_factory.begin() as session:
        commune = session.scalar(select(TaskRunRow.commune).where(TaskRunRow.workflow_id == workflow_id))
        if commune is not None:
            claim_evidence(session, commune, digest, uploader, datetime.now(TZ))


def _apply(task_id: str, update: Any, request: BaseModel, done: str) -> None:
    workflow_id = workflow_id_of(task_id)
    snapshot = asyncio.run(_execute_update(get_settings(), workflow_id, update, request))
    line = f"{done}: {short_id(workflow_id)}. Trạng thái: {state_label(snapshot.state)}, hạn {dmy(snapshot.due)}."
    Console().print(line, markup=False)


async def _execute_update(settings: Settings, workflow_id: str, update: Any, request: BaseModel) -> TaskSnapshot:
    return await execute_update(await connect(settings), workflow_id, update, request)
