"""`cchc people ...`: the directory of who receives a commune's emails (import, list).

A directory file (.yaml or .csv, see importers/people.py) is the whole directory of its
commune: importing it again adds, changes and retires people (who are never deleted).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.errors import at_the_edge
from cli.options import JsonOption
from cli.people_render import import_document, people_table, person_document, print_import
from cli.plans import database, print_json
from config import get_settings
from domain.calendar import TZ
from domain.people import in_unit
from importers.people import read_people
from notifications.outbox import requeue_unroutable
from persistence.people import all_communes, commune_people, replace_directory
from services.people import stored_lead_units, units_without_email

app = typer.Typer(help="Danh bạ nhận email của xã: nhập, xem danh sách (people directory).", no_args_is_help=True)


@app.command("import")
@at_the_edge
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp danh bạ: .yaml, .csv hoặc .xlsx (directory file).")],
    commune: Annotated[
        str | None, typer.Option("--commune", help="Tên xã, khi tệp không ghi hoặc ghi nhiều xã (commune name).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Nhập danh bạ một xã: ai không còn trong tệp thì thôi nhận email (import a commune's directory)."""
    settings = get_settings()
    people = read_people(file, commune=commune, max_bytes=settings.max_import_mb * 2**20)
    name = people[0].commune
    with database(settings.effective_database_url) as session_factory, session_factory.begin() as session:
        change = replace_directory(session, name, people, datetime.now(TZ))
        lead_units = stored_lead_units(session, name)
        without_email = units_without_email(session, name, lead_units)
        requeued = requeue_unroutable(session, name)
    if as_json:
        print_json(import_document(name, change, lead_units, without_email) | {"requeued_notifications": requeued})
        return
    console = Console()
    print_import(console, name, change, lead_units, without_email)
    if requeued:
        console.print(f"{requeued} thông báo trước đây chưa có người nhận sẽ được gửi lại.", markup=False)


@app.command("list")
@at_the_edge
def list_command(
    commune: Annotated[str | None, typer.Option("--commune", help="Chỉ xã này (commune).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Chỉ người của đơn vị này (unit).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Danh bạ nhận email: ai, đơn vị nào, vai trò gì (list the directory)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        communes = [commune] if commune is not None else all_communes(session)
        directories = [commune_people(session, name) for name in communes]
    if unit is not None:  # matched within each commune, as notifications are
        directories = [in_unit(directory, unit) for directory in directories]
    people = [person for directory in directories for person in directory]
    if as_json:
        print_json({"people": [person_document(person) for person in people]})
    elif not people:
        Console().print("Chưa có ai trong danh bạ. Nhập danh bạ: cchc people import TỆP", markup=False)
    else:
        Console().print(people_table(people))
