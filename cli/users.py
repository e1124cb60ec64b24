"""`cchc user ...`: accounts of the web application (add, list).

The password is asked twice at the terminal, or read from the first line of stdin with
`--password-stdin` (for scripts); it is stored only as an argon2id hash.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from cli.errors import EXIT_BAD_INPUT, EXIT_FAILURE, at_the_edge
from cli.plans import database, print_json
from config import get_settings
from domain.calendar import TZ
from domain.formatting import dmy
from domain.roles import Role
from domain.vocabulary import label
from persistence.users import (
    NewUser,
    User,
    add_user,
    find_user,
    list_users,
    normal_name,
    normal_username,
    reset_password,
)
from services.passwords import hash_password, password_problem
from services.security_log import OPERATOR, SecurityEvent, SecurityRecord, log_security, open_security_log

app = typer.Typer(
    help="Tài khoản đăng nhập trang web: thêm, xem danh sách, đặt lại mật khẩu (users).", no_args_is_help=True
)


@app.command("add")
@at_the_edge
def add_command(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập, ví dụ chu-tich (username).")],
    role: Annotated[
        Role,
        typer.Option(
            "--role",
            help="chairman, vice_chairman, reviewer, officer, auditor, appraiser, supervisor hoặc admin.",
            case_sensitive=False,
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            help="Đơn vị của công chức; đơn vị Phó Chủ tịch phụ trách; đơn vị của Văn phòng (ghi nhiều lần nếu nhiều).",
        ),
    ] = None,
    commune: Annotated[
        str | None, typer.Option("--commune", help="Xã của người dùng; bỏ trống: mọi xã (auditor, admin).")
    ] = None,
    supervises: Annotated[
        list[str] | None,
        typer.Option("--supervises", help="Xã được thẩm định/giám sát (appraiser, supervisor; ghi nhiều lần)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Họ tên hiển thị.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Địa chỉ email.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ dòng đầu của stdin.")
    ] = False,
) -> None:
    """Thêm một tài khoản; mật khẩu được hỏi hai lần (add a user)."""
    new = NewUser(
        username=normal_username(username),
        role=role,
        commune=normal_name(commune),
        display_name=normal_name(name) or "",
        email=(email or "").strip() or None,
        units=tuple(filter(None, (normal_name(u) for u in unit or ()))),
        supervises=tuple(filter(None, (normal_name(c) for c in supervises or ()))),
    )
    _refuse(new.problems())
    password = _read_password(password_stdin)
    _refuse([p for p in [password_problem(password)] if p])
    with database(get_settings().effective_database_url) as session_factory, session_factory.begin() as session:
        user = add_user(session, new, hash_password(password), datetime.now(TZ))
    _log(SecurityRecord(event=SecurityEvent.ACCOUNT_ADDED, account=user.username, actor=OPERATOR, role=user.role))
    typer.echo(f"Đã thêm tài khoản {user.username} ({label(user.role)}).")


@app.command("password")
@at_the_edge
def password_command(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập (username).")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Đọc mật khẩu từ dòng đầu của stdin.")
    ] = False,
) -> None:
    """Đặt lại mật khẩu cho một tài khoản; mọi phiên đăng nhập của nó kết thúc (reset a password)."""
    password = _read_password(password_stdin)
    _refuse([p for p in [password_problem(password)] if p])
    with database(get_settings().effective_database_url) as session_factory, session_factory.begin() as session:
        user = find_user(session, username)
        if user is None:
            typer.echo(f"Lỗi: không có tài khoản “{normal_username(username)}” (xem: cchc user list).", err=True)
            raise typer.Exit(EXIT_FAILURE)
        reset_password(session, user, hash_password(password))
    _log(SecurityRecord(event=SecurityEvent.PASSWORD_RESET, account=user.username, actor=OPERATOR))
    typer.echo(f"Đã đặt lại mật khẩu cho {user.username}; mọi phiên đăng nhập cũ đã kết thúc.")


@app.command("list")
@at_the_edge
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="In đúng một đối tượng JSON ra stdout.")] = False,
) -> None:
    """Danh sách tài khoản (list users)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        users = list_users(session)
    if as_json:
        print_json({"users": [user_document(user) for user in users]})
    elif not users:
        Console().print("Chưa có tài khoản nào. Thêm: cchc user add TÊN --role admin", markup=False)
    else:
        Console().print(users_table(users))


def user_document(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "commune": user.commune,
        "units": list(user.units),
        "supervises": list(user.supervises),
        "email": user.email,
        "active": user.active,
        "created_at": user.created_at.isoformat(),
    }


def users_table(users: list[User]) -> Table:
    table = Table(title="Tài khoản", box=box.SIMPLE_HEAD)
    for header, options in (
        ("Tên đăng nhập", {"no_wrap": True}),
        ("Họ tên", {"ratio": 2}),
        ("Vai trò", {"ratio": 2}),
        ("Xã", {"ratio": 1}),
        ("Đơn vị", {"ratio": 2}),
        ("", {"no_wrap": True}),
        ("Tạo ngày", {"no_wrap": True}),
    ):
        table.add_column(header, **options)
    for user in users:
        table.add_row(
            user.username,
            user.display_name,
            label(user.role),
            user.commune or "(mọi xã)",
            ", ".join(user.units),
            "" if user.active else "đã khóa",
            dmy(user.created_at.date()),
        )
    return table


def _log(record: SecurityRecord) -> None:
    open_security_log(get_settings().security_log)
    log_security(record)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


def _refuse(problems: list[str]) -> None:
    for problem in problems:
        typer.echo(f"Lỗi: {problem}", err=True)
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)
