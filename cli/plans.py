"""`cchc plan ...`: import, list, show, export and start plans."""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from cli.amend_render import print_amendment
from cli.errors import at_the_edge
from cli.options import JsonOption, YearOption
from cli.render import (
    import_summary,
    plan_list_document,
    plan_totals,
    plans_table,
    print_plan,
)
from cli.task_render import print_start_report, start_report_document
from config import get_settings
from devserver import DevServerConfig, is_loopback
from domain.calendar import TZ
from domain.roles import Actor, Role
from importers import ImportResult, read_plan
from importers.canonical import write_draft, write_yaml
from importers.errors import fail
from importers.header import GivenHead
from persistence.db import make_engine, make_session_factory, migrate
from persistence.plans import find_plan_id, list_plans, load_plan
from services.amendment import AmendmentPreview
from services.plan_documents import AmendmentDocument, ImportDocument, PlanDocument
from services.plan_import import (
    DraftNotConfirmed,
    DraftWithoutLead,
    PlanFile,
    amendment_of,
    check_draft,
    confirm_amendment,
    plan_file,
    store_plan,
)
from services.plan_start import start_plan
from temporal_client import connect

app = typer.Typer(
    help="Kế hoạch CCHC: nhập, soạn bản nháp, xem danh sách, xem chi tiết, khởi động (plans).", no_args_is_help=True
)

NumberOption = Annotated[str | None, typer.Option("--number", help="Số kế hoạch, ví dụ 10/KH-UBND (plan number).")]
DateOption = Annotated[
    datetime | None,
    typer.Option("--date", formats=["%d/%m/%Y", "%Y-%m-%d"], help="Ngày ban hành dd/mm/yyyy (issue date)."),
]
IssuerOption = Annotated[
    str | None, typer.Option("--issuer", help="Cơ quan ban hành, ví dụ “UBND xã Long Điền A” (issuer).")
]
DRAFT_NEEDED = (
    "kế hoạch viết dạng văn xuôi: các nhiệm vụ chỉ là bản nháp. Hãy xem bản nháp "
    "(cchc plan draft {file} --out ke-hoach.yaml), sửa rồi nhập ke-hoach.yaml, hoặc nhập đúng như bản nháp "
    "với --accept-draft (prose plan: review its draft with `cchc plan draft`, "
    "or import it as drafted with --accept-draft)"
)
LEAD_NEEDED = (
    "nhiệm vụ {tasks} không có cơ quan chủ trì: hãy ghi trong bản nháp (cchc plan draft {file}) rồi nhập bản nháp "
    "(tasks without a lead: complete the draft first)"
)
UserOption = Annotated[str | None, typer.Option("--as", help="Người thực hiện (mặc định: người dùng hệ điều hành).")]
ROLE_HELP = "Vai trò: admin, chairman hoặc reviewer."
PlanArgument = Annotated[str, typer.Argument(help="id hoặc số kế hoạch, ví dụ 10/KH-UBND (plan id or number).")]


@app.command("import")
@at_the_edge
def import_plan(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch: .docx, .xlsx, .csv, .txt, .md, .yaml (plan file).")],
    year: YearOption = None,
    commune: Annotated[str | None, typer.Option("--commune", help="Tên xã (commune name).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ đọc và hiển thị, không lưu (store nothing).")] = False,
    as_json: JsonOption = False,
    number: NumberOption = None,
    issued: DateOption = None,
    issuer: IssuerOption = None,
    annex: Annotated[
        Path | None,
        typer.Option(
            "--annex",
            help="Bảng nhiệm vụ kèm theo (.docx, .xlsx, .csv, .txt, .md): nhiệm vụ lấy từ bảng này (annex table).",
        ),
    ] = None,
    accept_draft: Annotated[
        bool,
        typer.Option(
            "--accept-draft", help="Nhập kế hoạch văn xuôi đúng như bản nháp đã đọc (import a prose plan as drafted)."
        ),
    ] = False,
    amends: Annotated[
        str | None,
        typer.Option(
            "--amends",
            help="Tệp là kế hoạch điều chỉnh, bổ sung của kế hoạch này (id hoặc số) (an amending plan of PLAN).",
        ),
    ] = None,
    confirm: Annotated[
        bool,
        typer.Option("--confirm", help="Áp dụng điều chỉnh cho các nhiệm vụ đang chạy (apply the amendment)."),
    ] = False,
    user: UserOption = None,
    role: Annotated[Role, typer.Option("--role", help=ROLE_HELP, case_sensitive=False)] = Role.CHAIRMAN,
) -> None:
    """Đọc một kế hoạch, hiển thị nhiệm vụ và hạn, rồi lưu lại (import a plan).

    Một bản sửa của kế hoạch đã nhập (cùng số, cùng năm) hoặc một kế hoạch điều chỉnh (--amends):
    hiển thị các thay đổi; với --confirm, áp dụng cho các nhiệm vụ đang chạy.
    """
    settings = get_settings()
    result = read_with_options(file, year, commune, number, issued, issuer, annex=annex)
    imported = plan_file(file, result)
    if not dry_run:
        check_draft_accepted(imported, file, accept_draft)

    saved = None
    if amends is not None or not dry_run:  # a dry run of a new plan does not even create the database
        with database(settings.effective_database_url) as session_factory:
            with session_factory() as session:
                preview = amendment_of(session, imported, amends=amends)
            if preview is not None:
                actor = Actor(user=user or getpass.getuser(), role=role)
                outcomes = None
                if confirm and not dry_run and preview.changes:
                    outcomes = asyncio.run(_confirm(session_factory, preview, actor))
                if as_json:
                    print_json(AmendmentDocument.of(preview, outcomes))
                else:
                    print_amendment(Console(), preview, outcomes)
                return
            if not dry_run:
                with session_factory.begin() as session:
                    saved = store_plan(session, imported)

    if as_json:
        shown = PlanDocument.of(
            result.plan,
            plan_id=saved.plan_id if saved else None,
            warnings=result.warnings,
            drafted=result.drafted,
            rows=result.rows,
        )
        print_json(ImportDocument.of_import(shown, created=bool(saved and saved.created), dry_run=dry_run))
        return
    console = Console()
    print_plan(console, result.plan, warnings=result.warnings, rows=result.rows)
    console.print(import_summary(result.plan, saved), style="bold" if saved and saved.created else None, markup=False)


@app.command("draft")
@at_the_edge
def draft_command(
    file: Annotated[Path, typer.Argument(help="Kế hoạch văn xuôi: .txt, .md, .docx (prose plan file).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Ghi bản nháp YAML ra tệp này (write to file).")
    ] = None,
    year: YearOption = None,
    commune: Annotated[str | None, typer.Option("--commune", help="Tên xã (commune name).")] = None,
    number: NumberOption = None,
    issued: DateOption = None,
    issuer: IssuerOption = None,
) -> None:
    """Đọc kế hoạch thành bản nháp YAML để văn phòng kiểm tra, sửa rồi nhập (draft a plan for review).

    Mỗi nhiệm vụ kèm các dòng nguồn và cảnh báo (chú thích #); sửa xong: cchc plan import TỆP.yaml.
    """
    result = read_with_options(file, year, commune, number, issued, issuer, drafting=True)
    text = write_draft(result, file.name)
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(
        f"Đã ghi bản nháp {out}: {len(result.plan.tasks)} nhiệm vụ, {len(result.warnings)} cảnh báo. "
        f"Kiểm tra, sửa rồi nhập: cchc plan import {out}",
        err=True,
    )


@app.command("list")
@at_the_edge
def list_command(as_json: JsonOption = False) -> None:
    """Danh sách các kế hoạch đã nhập (list stored plans)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        plans = list_plans(session)
    if as_json:
        print_json(plan_list_document(plans))
    elif not plans:
        Console().print("Chưa có kế hoạch nào. Nhập một kế hoạch: cchc plan import TỆP", markup=False)
    else:
        Console().print(plans_table(plans))


@app.command("show")
@at_the_edge
def show_command(plan: PlanArgument, year: YearOption = None, as_json: JsonOption = False) -> None:
    """Chi tiết một kế hoạch đã nhập: nhiệm vụ, đơn vị, hạn (show a stored plan)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        plan_id = find_plan_id(session, plan, year=year)
        stored = load_plan(session, plan_id)
    if as_json:
        print_json(PlanDocument.of(stored, plan_id=plan_id))
        return
    console = Console()
    print_plan(console, stored)
    console.print(f"Kế hoạch id {plan_id}: {plan_totals(stored)}.", markup=False)


@app.command("export")
@at_the_edge
def export_command(
    plan: PlanArgument,
    year: YearOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp này (write to file).")] = None,
) -> None:
    """Xuất kế hoạch ra định dạng YAML chuẩn để chỉnh sửa (export as canonical YAML)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        stored = load_plan(session, plan, year=year)
    text = write_yaml(stored)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Đã ghi {output}", err=True)


@app.command("start")
@at_the_edge
def start_command(
    plan: PlanArgument,
    year: YearOption = None,
    include_past_due: Annotated[
        bool,
        typer.Option(
            "--include-past-due",
            help="Khởi động cả các nhiệm vụ đã quá hạn hôm nay; chúng được cảnh báo quá hạn ngay (start late ones too).",
        ),
    ] = False,
    user: UserOption = None,
    role: Annotated[Role, typer.Option("--role", help=ROLE_HELP, case_sensitive=False)] = Role.ADMIN,
    as_json: JsonOption = False,
) -> None:
    """Khởi động kế hoạch: mỗi kỳ thực hiện của mỗi nhiệm vụ thành một workflow Temporal (start a plan).

    Chạy lại không khởi động trùng: chỉ những nhiệm vụ chưa có workflow mới được khởi động.
    """
    settings = get_settings()
    actor = Actor(user=user or getpass.getuser(), role=role)

    async def start():
        client = await connect(settings)
        with database(settings.effective_database_url) as session_factory, session_factory.begin() as session:
            return await start_plan(
                client,
                session,
                plan,
                actor=actor,
                year=year,
                include_past_due=include_past_due,
                task_queue=settings.task_queue,
            )

    report = asyncio.run(start())
    if as_json:
        print_json(start_report_document(report))
        return
    ui_url = DevServerConfig.from_settings(settings).ui_url if is_loopback(settings.temporal_address) else None
    print_start_report(Console(), report, ui_url=ui_url)


# --- helpers ---------------------------------------------------------------------------------


def read_with_options(
    file: Path,
    year: int | None,
    commune: str | None,
    number: str | None,
    issued: datetime | None,
    issuer: str | None,
    *,
    annex: Path | None = None,
    drafting: bool = False,
) -> ImportResult:
    """The plan in `file` as the command's options complete it (`drafting`: a draft for the
    office, every row's problem a warning). The importer refuses a missing file or one over
    the limit before reading a byte."""
    return read_plan(
        file,
        year=year,
        commune=commune,
        max_bytes=get_settings().max_import_mb * 2**20,
        given=GivenHead(number=number, date=issued.date() if issued else None, issuer=issuer),
        annex=annex,
        drafting=drafting,
    )


def check_draft_accepted(imported: PlanFile, file: Path, accept_draft: bool) -> None:
    """A prose plan is stored only as the office confirmed it: through its draft, or with
    --accept-draft when every task has a lead. The refusal says which command to run."""
    try:
        check_draft(imported, confirmed=accept_draft)
    except DraftNotConfirmed:
        raise fail(file.name, DRAFT_NEEDED.format(file=file)) from None
    except DraftWithoutLead as refusal:
        raise fail(file.name, LEAD_NEEDED.format(tasks=", ".join(refusal.codes), file=file)) from None


async def _confirm(session_factory: sessionmaker[Session], preview: AmendmentPreview, actor: Actor) -> dict[str, str]:
    settings = get_settings()
    client = await connect(settings)
    return await confirm_amendment(
        client, session_factory, preview, actor, task_queue=settings.task_queue, now=datetime.now(TZ)
    )


@contextmanager
def database(url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on the migrated database at `url`; its engine is closed afterwards."""
    migrate(url)
    engine = make_engine(url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def print_json(document: dict | BaseModel) -> None:
    if isinstance(document, BaseModel):
        document = document.model_dump(mode="json")
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
