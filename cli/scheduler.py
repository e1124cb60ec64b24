"""`cchc scheduler`: the digests' calendar and the outbox sender, without a worker.

For a deployment of several machines (`cchc worker` on some, `cchc web` on others): run
this on one or more of them; several on one database send every email once. `cchc up`
runs the same thing beside its worker.
"""

from __future__ import annotations

import asyncio

import typer

from cli.errors import at_the_edge
from cli.service_process import say_metrics_ready, start_service
from cli.worker import stop_on_signals
from config import Settings, get_settings
from notifications.mailer import make_mailer
from notifications.service import running_mail
from persistence.db import migrate


@at_the_edge
def scheduler_command() -> None:
    """Gửi thư: thư tổng hợp theo lịch và thư trong Hộp thư đi; Ctrl-C để dừng (digests and outbox)."""
    settings = get_settings()
    start_service(settings)
    asyncio.run(run_scheduler_until_stopped(settings))


async def run_scheduler_until_stopped(settings: Settings) -> None:
    stop = stop_on_signals()
    migrate(settings.effective_database_url)
    async with running_mail(settings):
        say_mail_ready(settings)
        say_metrics_ready(settings)
        typer.echo("Lịch gửi thư đang chạy. Nhấn Ctrl-C để dừng.")
        await stop.wait()
    typer.echo("Đã dừng lịch gửi thư.")


def say_mail_ready(settings: Settings) -> None:
    weekday = WEEKDAYS[settings.digest_weekly_day]
    typer.echo(f"Thư đi qua {make_mailer(settings).describe()}.")
    typer.echo(
        f"Tổng hợp gửi Chủ tịch lúc {settings.digest_daily_at:%H:%M} hằng ngày; "
        f"gửi các bộ phận lúc {settings.digest_weekly_at:%H:%M} {weekday} hằng tuần (giờ Việt Nam)."
    )


WEEKDAYS = {
    "mon": "thứ Hai",
    "tue": "thứ Ba",
    "wed": "thứ Tư",
    "thu": "thứ Năm",
    "fri": "thứ Sáu",
    "sat": "thứ Bảy",
    "sun": "Chủ nhật",
}
