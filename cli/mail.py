"""`cchc mail list`: the emails the product has sent or will send, newest first.

With no SMTP server configured (the embedded default) messages are written as .eml files
in the data directory; the list names each file. Notifications nobody could receive (no one
in the directory for that unit) are counted, with what to do about it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select

from cli.errors import at_the_edge
from cli.plans import database, print_json
from config import get_settings
from domain.formatting import dmy_hm
from domain.notifications import EmailStatus
from domain.vocabulary import label
from notifications.delivery import envelope_name
from notifications.mailer import FolderMailer, make_mailer
from notifications.outbox import UNROUTABLE
from persistence.mail_tables import EmailRow
from persistence.task_tables import NotificationRow

app = typer.Typer(help="Thư điện tử đã gửi và chờ gửi (emails).", no_args_is_help=True)


@app.command("list")
@at_the_edge
def list_command(
    status: Annotated[str | None, typer.Option("--status", help="pending, sending, sent, failed.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Loại thư, ví dụ reminder, escalation.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Số thư tối đa (mới nhất trước).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="In đúng một đối tượng JSON ra stdout.")] = False,
) -> None:
    """Danh sách thư điện tử, mới nhất trước (list emails)."""
    settings = get_settings()
    mailer = make_mailer(settings)
    with database(settings.effective_database_url) as session_factory, session_factory() as session:
        query = select(EmailRow).order_by(EmailRow.id.desc()).limit(limit)
        if status:
            query = query.where(EmailRow.status == status)
        if kind:
            query = query.where(EmailRow.kind == kind)
        emails = list(session.scalars(query))
        unroutable = session.scalar(
            select(func.count()).select_from(NotificationRow).where(NotificationRow.status == UNROUTABLE)
        )
    folder = mailer if isinstance(mailer, FolderMailer) else None
    if as_json:
        print_json(
            {
                "delivery": mailer.describe(),
                "unroutable_notifications": unroutable,
                "emails": [_document(email, folder) for email in emails],
            }
        )
        return
    console = Console()
    console.print(f"Thư đi qua: {mailer.describe()}", markup=False)
    if folder is not None:
        console.print("Mỗi thư đã gửi là một tệp <#>-<loại>.eml trong thư mục đó.", markup=False)
    if emails:
        console.print(_table(emails))
    else:
        console.print("Chưa có thư nào.", markup=False)
    if unroutable:
        console.print(
            f"{unroutable} thông báo chưa có người nhận (đơn vị chưa có ai có email): "
            "thêm người bằng cchc people import, các thông báo này sẽ được gửi lại.",
            style="yellow",
            markup=False,
        )


def _table(emails: list[EmailRow]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for header, options in (
        ("#", {"justify": "right", "no_wrap": True}),
        ("Tạo lúc", {"no_wrap": False, "min_width": 10}),
        ("Người nhận", {"ratio": 2, "overflow": "fold"}),
        ("Tiêu đề", {"ratio": 4, "overflow": "fold"}),
        ("Trạng thái", {"ratio": 1}),
    ):
        table.add_column(header, **options)
    for email in emails:
        state = label(EmailStatus(email.status))
        if email.status == EmailStatus.FAILED and email.last_error:
            state += f": {email.last_error}"
        recipients = Text()
        for recipient in email.recipients:
            recipients.append(f"{recipient['name']}\n")
            recipients.append(recipient["email"], style="dim")
        table.add_row(str(email.id), dmy_hm(email.created_at), recipients, email.subject, state)
    return table


def _document(email: EmailRow, folder: FolderMailer | None) -> dict:
    return {
        "id": email.id,
        "kind": email.kind,
        "commune": email.commune,
        "workflow_id": email.workflow_id,
        "recipients": email.recipients,
        "subject": email.subject,
        "message_id": email.message_id,
        "status": email.status,
        "attempts": email.attempts,
        "last_error": email.last_error,
        "created_at": email.created_at.isoformat(),
        "sent_at": email.sent_at.isoformat() if email.sent_at else None,
        "file": str(folder.path_of(envelope_name(email))) if folder is not None and email.status == "sent" else None,
    }
