"""How plans look to people (rich tables, Vietnamese) and to programs (one JSON document)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.formatting import dmy
from domain.models import Finding, Occurrence, Plan
from importers.rows import RowAccount, fate_summary, must_see
from persistence.plans import PlanSummary, SaveResult


def occurrence_count(plan: Plan) -> int:
    return sum(len(task.occurrences) for task in plan.tasks)


# --- JSON ------------------------------------------------------------------------------------


def plan_list_document(plans: Iterable[PlanSummary]) -> dict:
    return {
        "plans": [
            {
                "id": p.id,
                "number": p.number,
                "date": p.date.isoformat(),
                "issuer": p.issuer,
                "commune": p.commune,
                "year": p.year,
                "title": p.title,
                "tasks": p.task_count,
                "source_file": p.source_file,
                "imported_at": p.imported_at.isoformat(),
            }
            for p in plans
        ]
    }


# --- people ----------------------------------------------------------------------------------


def print_plan(
    console: Console, plan: Plan, *, warnings: Iterable[Finding] = (), rows: Sequence[RowAccount] = ()
) -> None:
    """The task table, the warnings (yellow) with their row and column, then what became of
    the file's rows and every skipped row that names a unit or holds a time."""
    console.print(tasks_table(plan))
    for warning in warnings:
        where = warning.where()
        console.print(Text(f"Cảnh báo: {where + ': ' if where else ''}{warning.message}", style="yellow"))
    if rows:
        console.print(Text(f"Các hàng, dòng của tệp: {fate_summary(rows)}."))
    for account in must_see(rows):
        console.print(Text(f"Bỏ qua {account.where()}: {account.reason} — “{account.text}”", style="yellow"))


def tasks_table(plan: Plan) -> Table:
    table = Table(
        title=Text(f"Kế hoạch số {plan.number} ngày {dmy(plan.date)} của {plan.issuer}\n{plan.title}"),
    )
    for header, options in (
        ("STT", {"no_wrap": True}),
        ("Nhiệm vụ", {"ratio": 4, "overflow": "fold"}),
        ("Chủ trì", {"ratio": 1, "overflow": "fold"}),
        ("Phối hợp", {"ratio": 1, "overflow": "fold"}),
        ("Thời gian", {"ratio": 1, "overflow": "fold"}),
        ("Hạn", {"no_wrap": True}),
    ):
        table.add_column(header, **options)

    titles = {section.code: section.title for section in plan.sections}
    current_section = None
    for task in plan.tasks:
        if task.section != current_section:
            current_section = task.section
            table.add_row(Text(task.section, style="bold"), Text(titles.get(task.section, ""), style="bold"))
        table.add_row(
            Text(task.code),
            Text(task.title),
            Text(", ".join(task.lead)),
            Text(", ".join(task.coordinating)),
            Text(task.period_text),
            due_dates(task.occurrences),
        )
    return table


def due_dates(occurrences: Iterable[Occurrence]) -> Text:
    """dd/mm/yyyy, one per line; a date already past on the plan's own date is marked (quá hạn)."""
    text = Text()
    for i, occurrence in enumerate(occurrences):
        if i:
            text.append("\n")
        if occurrence.past_due_at_issue:
            text.append(f"{dmy(occurrence.due_date)}\n(quá hạn)", style="yellow")
        else:
            text.append(dmy(occurrence.due_date))
    return text


def plan_totals(plan: Plan) -> str:
    return f"{len(plan.tasks)} nhiệm vụ, {len(plan.sections)} mục, {occurrence_count(plan)} kỳ thực hiện"


def import_summary(plan: Plan, saved: SaveResult | None) -> str:
    if saved is None:
        return f"Chạy thử (--dry-run): kế hoạch {plan.number} ngày {dmy(plan.date)}: {plan_totals(plan)}; chưa lưu gì."
    if not saved.created:
        return f"Kế hoạch này đã được nhập trước đó (id {saved.plan_id}): không có gì thay đổi."
    return f"Đã nhập kế hoạch {plan.number} ngày {dmy(plan.date)}: {plan_totals(plan)} (id {saved.plan_id})."


def plans_table(plans: Iterable[PlanSummary]) -> Table:
    table = Table(title="Các kế hoạch đã nhập")
    for header, options in (
        ("ID", {"justify": "right"}),
        ("Số", {"no_wrap": True}),
        ("Ngày", {"no_wrap": True}),
        ("Đơn vị ban hành", {}),
        ("Năm", {"justify": "right"}),
        ("Số nhiệm vụ", {"justify": "right"}),
    ):
        table.add_column(header, **options)
    for p in plans:
        table.add_row(str(p.id), Text(p.number), dmy(p.date), Text(p.issuer), str(p.year), str(p.task_count))
    return table
