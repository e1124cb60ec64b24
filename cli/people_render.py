"""How the people directory looks to people (rich, Vietnamese) and to programs (one JSON document)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.people import Person, ordered_roles
from domain.units import unit_key
from domain.vocabulary import label
from persistence.people import DirectoryChange


def person_document(person: Person) -> dict:
    return {
        "commune": person.commune,
        "name": person.name,
        "email": person.email,
        "unit": person.unit,
        "roles": [role.value for role in ordered_roles(person.roles)],
        "language": person.language,
        "in_charge": list(person.in_charge),
    }


def import_document(commune: str, change: DirectoryChange, lead_units: list[str], without_email: list[str]) -> dict:
    return {
        "commune": commune,
        "added": change.added,
        "changed": change.changed,
        "removed": change.removed,
        "plan_lead_units": lead_units,
        "units_without_email": without_email,
    }


def print_import(
    console: Console, commune: str, change: DirectoryChange, lead_units: list[str], without_email: list[str]
) -> None:
    """The counts, then whether the lead units of the commune's plans have somebody to email."""
    counts = f"thêm {len(change.added)}, thay đổi {len(change.changed)}, thôi nhận email {len(change.removed)}"
    console.print(f"Đã nhập danh bạ xã {commune}: {counts}.", style="bold", markup=False)
    if not lead_units:
        console.print(f"Xã {commune} chưa có kế hoạch nào đã nhập (cchc plan import TỆP).", markup=False)
    elif without_email:
        units = ", ".join(without_email)
        console.print(
            Text(f"Chưa có ai nhận email của bộ phận chủ trì: {units}. Hãy bổ sung vào danh bạ.", style="yellow")
        )
    else:
        console.print("Mọi bộ phận chủ trì trong các kế hoạch của xã đều có người nhận email.", markup=False)


def people_table(people: Iterable[Person]) -> Table:
    """By commune, then unit (the chairman first: no unit), then name."""
    table = Table(title="Danh bạ nhận email")
    for header, options in (
        ("Xã", {"no_wrap": True}),
        ("Đơn vị", {"ratio": 1}),
        ("Họ tên", {"ratio": 1}),
        ("Email", {"overflow": "fold"}),
        ("Vai trò", {"ratio": 1}),
        ("Phụ trách", {"ratio": 1}),
        ("Ngôn ngữ", {"no_wrap": True}),
    ):
        table.add_column(header, **options)
    for person in sorted(people, key=lambda p: (p.commune, unit_key(p.unit or ""), p.name, p.email)):
        table.add_row(
            Text(person.commune),
            Text(person.unit or ""),
            Text(person.name),
            Text(person.email),
            Text(", ".join(label(role) for role in ordered_roles(person.roles))),
            Text(", ".join(person.in_charge)),
            Text(label(person.language)),
        )
    return table
