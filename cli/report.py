"""`cchc report`: the periodic CCHC reports (báo cáo CCHC định kỳ) drafted from a plan's work."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import at_the_edge
from cli.options import CopiesOption, FinalOption, YearOption
from cli.plans import database
from config import get_settings
from domain.calendar import TZ
from domain.report_periods import ReportPeriod
from persistence.plans import find_plan_id
from services.period_report import drafted_report

app = typer.Typer(help="Báo cáo CCHC định kỳ (periodic reports).", no_args_is_help=True)


@app.command("draft")
@at_the_edge
def draft_command(
    plan: Annotated[str, typer.Option("--plan", help="id hoặc số kế hoạch, ví dụ 10/KH-UBND (plan).")],
    period: Annotated[
        ReportPeriod, typer.Option("--period", help="Kỳ báo cáo: Q1, Q2, Q3, Q4, 6M, 9M, YEAR (period).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi báo cáo (.docx).")] = Path("."),
    issued: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%d/%m/%Y"], help="Ngày báo cáo dd/mm/yyyy (mặc định hôm nay)."),
    ] = None,
    year: YearOption = None,
    final: FinalOption = False,
    copies: CopiesOption = None,
) -> None:
    """Dự thảo báo cáo CCHC của kỳ (.docx) theo thể thức Nghị định 30/2020: nhiệm vụ đã hoàn thành kèm sản
    phẩm, nhiệm vụ chậm và nguyên nhân, nhiệm vụ dừng hoặc điều chỉnh, tỷ lệ đúng hạn theo lĩnh vực; cùng số
    liệu và ngày thì cùng từng byte (draft the periodic report)."""
    day = issued.date() if issued else datetime.now(TZ).date()
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        name, content = drafted_report(
            session,
            plan_id=find_plan_id(session, plan, year=year),
            period=period,
            issued=day,
            final=final,
            copies=tuple(copies or ()),
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(content)
    typer.echo(f"Đã ghi {out / name}.")
