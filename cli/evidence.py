"""`cchc evidence export|status`: the year-end evidence package of a plan, and the office's
work list before year end (tài liệu kiểm chứng). See evidence/package.py and docs/audit.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.errors import at_the_edge
from cli.evidence_render import export_document, print_export, print_status, status_document
from cli.options import JsonOption, YearOption
from cli.plans import database, print_json
from cli.tasks import parse_dmy
from config import get_settings
from evidence.location import evidence_store
from evidence.package import build_package, write_package
from evidence.work_list import plan_work_list
from persistence.plans import find_plan_id
from services.tasks import today_in_vietnam

app = typer.Typer(help="Tài liệu kiểm chứng cuối năm: xuất gói, xem việc còn thiếu (evidence).", no_args_is_help=True)

PlanOption = Annotated[str, typer.Option("--plan", help="id hoặc số kế hoạch, ví dụ 10/KH-UBND (plan id or number).")]


@app.command("export")
@at_the_edge
def export_command(
    output: Annotated[Path, typer.Argument(help="Tệp ZIP sẽ ghi, ví dụ tai-lieu-kiem-chung-2024.zip.")],
    plan: PlanOption,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Xuất gói tài liệu kiểm chứng cuối năm của một kế hoạch thành một tệp ZIP (export).

    Mỗi tiêu chí (hoặc mục, với nhiệm vụ không ghi mã tiêu chí) một thư mục chứa các sản phẩm đã
    được xác nhận hoàn thành; index.xlsx và index.html liệt kê mọi nhiệm vụ; manifest.json ghi mã SHA-256 của
    mọi tệp. Cùng dữ liệu thì ra đúng cùng một tệp, từng byte.
    """
    settings = get_settings()
    with database(settings.effective_database_url) as sessions, sessions() as session:
        package = build_package(session, evidence_store(settings.data_dir), find_plan_id(session, plan, year=year))
    write_package(package, output)
    if as_json:
        print_json(export_document(package, str(output)))
    else:
        print_export(Console(), package, str(output))


@app.command("status")
@at_the_edge
def status_command(
    plan: PlanOption,
    year: YearOption = None,
    on: Annotated[str | None, typer.Option("--on", help="Tính đến ngày này, dd/mm/yyyy (mặc định: hôm nay).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Việc còn lại trước cuối năm: tiêu chí, nhiệm vụ chưa có tài liệu kiểm chứng, nhiệm vụ trễ hạn (status)."""
    settings = get_settings()
    day = parse_dmy(on, "--on") if on else today_in_vietnam()
    store = evidence_store(settings.data_dir)
    with database(settings.effective_database_url) as sessions, sessions() as session:
        stored_plan, work = plan_work_list(session, store, find_plan_id(session, plan, year=year), on=day)
    if as_json:
        print_json(status_document(stored_plan, work))
    else:
        print_status(Console(), stored_plan, work)
