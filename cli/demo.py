"""`cchc demo`: a plan's whole year in well under two minutes, with scripted officers.

A progress bar goes to stderr; the summary (Vietnamese tables) or, with `--json`, exactly one
JSON object goes to stdout. The results stay in the data directory (see `demo/run.py`).
"""

from __future__ import annotations

import asyncio
import json
import shlex
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import make_url

from cli.appraise import overview_table
from cli.errors import at_the_edge
from cli.options import JsonOption
from config import Settings, get_settings
from demo.accounts import DemoAccount
from demo.mail import DemoMail
from demo.run import DemoRun, run_demo
from domain.calendar import TZ
from domain.notifications import NotificationKind
from domain.vocabulary import label
from services.outcomes import Tally
from services.supervision import overview_document


@at_the_edge
def demo_command(
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="Tệp kế hoạch (mặc định: kế hoạch mẫu của xã Vĩnh Khê năm 2024)."),
    ] = None,
    commune: Annotated[
        str | None,
        typer.Option("--commune", help="Tên xã, thay cho xã ghi trong kế hoạch (commune name)."),
    ] = None,
    smtp: Annotated[
        str | None,
        typer.Option(
            "--smtp", help="Gửi thư đến máy chủ SMTP này (HOST:PORT), thay vì ghi tệp .eml vào thư mục dữ liệu."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Chạy thử cả năm của kế hoạch với cán bộ giả lập, rồi tóm tắt kết quả (demo).

    Nhập kế hoạch vào thư mục dữ liệu, chạy mọi nhiệm vụ trên máy chủ Temporal thử nghiệm có
    tua nhanh thời gian: nhắc việc, cảnh báo quá hạn, kiểm tra và xác nhận hoàn thành, gia hạn,
    dừng thực hiện.
    Kết quả được giữ lại để xem bằng các lệnh khác.
    """
    settings = get_settings()
    errors = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as bar:
        bar_task = bar.add_task("Nhập kế hoạch, khởi động máy chủ Temporal thử nghiệm…", total=1.0)

        def progress(done: float, at: datetime) -> None:
            bar.update(bar_task, completed=done, description=f"Mô phỏng đến ngày {at.astimezone(TZ):%d/%m/%Y}")

        run = asyncio.run(run_demo(settings, plan, commune=commune, smtp=smtp, progress=progress))

    web = web_command(settings)
    if as_json:
        document = demo_document(run, database=_database(settings.effective_database_url))
        document["web"] = web
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    for finding in run.warnings:
        errors.print(f"Lưu ý khi nhập kế hoạch: {finding.message}", markup=False)
    for reason in run.refused:
        errors.print(f"Bước bị từ chối: {reason}", markup=False)
    console = Console()
    print_summary(console, run, database=_database(settings.effective_database_url))
    print_accounts(console, run.accounts, settings.demo_accounts)
    console.print(f"Mở trang web trên dữ liệu mô phỏng: {web}", style="bold", markup=False, soft_wrap=True)


def web_command(settings: Settings) -> str:
    """The one command that serves the web on the demo's data: the data directory (and the
    database, when not the directory's own) the demo used."""
    url = settings.database_url
    database = f" CCHC_DATABASE_URL={shlex.quote(url)}" if url else ""
    return f"CCHC_DATA_DIR={shlex.quote(str(settings.data_dir.resolve()))}{database} cchc web"


# --- JSON ------------------------------------------------------------------------------------


def demo_document(run: DemoRun, *, database: str) -> dict:
    summary, total = run.summary, run.summary.total
    plan = run.plan
    return {
        "plan": {
            "id": run.plan_id,
            "number": plan.number,
            "issuer": plan.issuer,
            "commune": plan.commune,
            "year": plan.year,
            "title": plan.title,
            "created": run.plan_created,
        },
        "tasks": summary.tasks,
        "occurrences": total.occurrences,
        "reminders": summary.reminders,
        "escalations": summary.escalations,
        **_tally_document(total),
        "by_unit": {unit: _tally_document(tally) for unit, tally in summary.by_unit.items()},
        "returned": summary.returned,
        "extended": summary.extended,
        "extensions": [
            {"workflow_id": workflow, "from": old, "to": new} for workflow, (old, new) in summary.due_moves.items()
        ],
        "events": summary.events,
        "notifications": summary.notifications,
        "emails": {
            "delivery": run.mail.delivery,
            "directory": run.mail.directory,
            "sent_by_kind": run.mail.by_kind,
            "not_sent": run.mail.not_sent,
            "unroutable": run.mail.unroutable,
        },
        "simulated": {"from": run.script.start.isoformat(), "to": run.script.end.isoformat()},
        "refused": run.refused,
        "assessment": {row.commune: overview_document(row) for row in run.assessment},
        "supervising_authority": run.supervising_authority,
        "accounts": [
            {"username": account.username, "role": account.role.value, "password": account.password}
            for account in run.accounts
        ],
        "database": database,
        "elapsed_seconds": round(run.elapsed_seconds, 1),
    }


def _tally_document(tally: Tally) -> dict:
    """The counts: on time, late, overdue and not done by the plan (what the province counts),
    and the same `_directed`, counting the leaders' extensions."""
    plan, directed = tally.plan, tally.directed
    return {
        "occurrences": tally.occurrences,
        "approved": tally.approved,
        "waived": tally.waived,
        "on_time": plan.on_time,
        "late": plan.late,
        "overdue": plan.overdue,
        "not_done": plan.not_done,
        "on_time_rate": tally.on_time_rate,
        "on_time_directed": directed.on_time,
        "late_directed": directed.late,
        "overdue_directed": directed.overdue,
        "on_time_rate_directed": tally.on_time_rate_directed,
    }


# --- people ----------------------------------------------------------------------------------


def print_summary(console: Console, run: DemoRun, *, database: str) -> None:
    summary, total, plan, script = run.summary, run.summary.total, run.plan, run.script
    console.print(f"Mô phỏng kế hoạch {plan.number} của {plan.issuer}, năm {plan.year}", style="bold", markup=False)
    console.print(
        f"Thời gian mô phỏng: {script.start:%d/%m/%Y %H:%M} → {script.end:%d/%m/%Y %H:%M} (giờ Việt Nam), "
        f"chạy trong {run.elapsed_seconds:.0f} giây.",
        markup=False,
    )
    moves = "; ".join(
        f"{workflow.split('/', 2)[-1]}: {_dmy(old)} → {_dmy(new)}" for workflow, (old, new) in summary.due_moves.items()
    )
    totals = Table(show_header=False, box=None, padding=(0, 2))
    totals.add_column(justify="left")
    totals.add_column(justify="right")
    totals.add_column(justify="left", style="dim")
    for name, value, note in (
        ("Nhiệm vụ", summary.tasks, ""),
        ("Kỳ thực hiện", total.occurrences, ""),
        ("Nhắc việc đã gửi", summary.reminders, ""),
        ("Cảnh báo quá hạn", summary.escalations, ""),
        (
            "Đã hoàn thành",
            total.approved,
            f"đúng hạn {total.plan.on_time}, hoàn thành trễ hạn {total.plan.late} (theo kế hoạch)",
        ),
        ("Bị trả lại để làm lại", summary.returned, ""),
        ("Được gia hạn", summary.extended, moves),
        ("Dừng thực hiện", total.waived, f"không có văn bản điều chỉnh: {total.plan.not_done}"),
        ("Quá hạn, chưa hoàn thành", total.directed.overdue, ""),
    ):
        totals.add_row(name, str(value), note)
    console.print(totals)

    units = Table(
        title="Theo đơn vị chủ trì", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False
    )
    units.add_column("Đơn vị", no_wrap=True)
    headers = ("Kỳ", "Hoàn thành", "Đúng hạn", "Trễ hạn", "Quá hạn", "Dừng", "% đúng hạn", "% theo chỉ đạo")
    for header in headers:
        units.add_column(header, justify="right")
    for unit, t in [*summary.by_unit.items(), ("Cả kế hoạch", total)]:
        units.add_row(
            unit,
            *(str(n) for n in (t.occurrences, t.approved, t.plan.on_time, t.plan.late, t.plan.overdue, t.waived)),
            _percent(t.on_time_rate),
            _percent(t.on_time_rate_directed),
            style="bold" if t is total else None,
        )
    console.print(units)
    if run.assessment:
        console.print(overview_table(plan.year, run.assessment))
        console.print(f"Cơ quan thẩm định: {run.supervising_authority}.", markup=False)
    print_mail(console, run.mail)
    console.print(
        f"Kết quả ({summary.events} sự kiện, {summary.notifications} thông báo) đã lưu trong {database}.", markup=False
    )
    console.print(
        f"Xem tiếp: cchc plan show {run.plan_id} · cchc task list --plan {run.plan_id} --overdue", markup=False
    )
    if run.plan_created is False:
        console.print(
            f"Kế hoạch {plan.number} đã có sẵn trong cơ sở dữ liệu (id {run.plan_id}); bản mô phỏng dùng bản đã lưu.",
            style="dim",
            markup=False,
        )


def print_accounts(console: Console, accounts: list[DemoAccount], kept_in: Path) -> None:
    table = Table(
        title="Tài khoản đăng nhập trang web (mật khẩu tạm, chỉ hiện một lần; đổi ở lần đăng nhập đầu)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for header in ("Tên đăng nhập", "Vai trò", "Mật khẩu"):
        table.add_column(header)
    for account in accounts:
        table.add_row(account.username, label(account.role), account.password)
    console.print(table)
    console.print(f"Danh sách này được lưu trong {kept_in} (chỉ chủ tệp đọc được).", markup=False, soft_wrap=True)


def print_mail(console: Console, mail: DemoMail) -> None:
    emails = Table(
        title="Thư điện tử đã gửi", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False
    )
    emails.add_column("Loại thư")
    emails.add_column("Số thư", justify="right")
    for kind, count in sorted(mail.by_kind.items(), key=lambda item: -item[1]):
        emails.add_row(label(NotificationKind(kind)), str(count))
    emails.add_row("Tổng", str(sum(mail.by_kind.values())), style="bold")
    console.print(emails)
    directory = {"sample": "danh bạ mẫu của xã", "made up": "danh bạ giả lập", "existing": "danh bạ đã có"}
    console.print(f"Người nhận: {directory[mail.directory]}. Thư đi qua {mail.delivery}.", markup=False)
    if mail.not_sent:
        console.print(f"{mail.not_sent} thư chưa gửi được (xem: cchc mail list --status pending).", style="yellow")
    if mail.unroutable:
        console.print(f"{mail.unroutable} thông báo không có người nhận (xem: cchc people list).", style="yellow")


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%".replace(".", ",")


def _dmy(iso_day: str) -> str:
    return datetime.fromisoformat(iso_day).strftime("%d/%m/%Y")


def _database(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
