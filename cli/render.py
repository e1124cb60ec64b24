"""How plans look to people (rich tables, Vietnamese) and to programs (one JSON document)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.models import Finding, Occurrence, Plan, Task
from importers.drafts import DraftedTask
from importers.rows import RowAccount, fate_summary, must_see
from persistence.plans import PlanSummary, SaveResult

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def dmy_hm(moment: datetime) -> str:
    """An instant as people in Viet Nam read it: 24/01/2024 08:00."""
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def occurrence_count(plan: Plan) -> int:
    return sum(len(task.occurrences) for task in plan.tasks)


# --- JSON ------------------------------------------------------------------------------------


def plan_document(
    plan: Plan,
    *,
    plan_id: int | None = None,
    warnings: Iterable[Finding] = (),
    drafted: Mapping[str, DraftedTask] | None = None,
    rows: Iterable[RowAccount] = (),
) -> dict:
    """The plan as one JSON-ready dict: used by `plan import --json` and `plan show --json`.
    A drafted (prose) plan's tasks also carry their `source` lines, the `officers` named for
    them and whether their period is the plan's default; an import says what became of each
    source row or line (`rows`)."""
    head = {
        "number": plan.number,
        "date": plan.date.isoformat(),
        "issuer": plan.issuer,
        "commune": plan.commune,
        "year": plan.year,
        "title": plan.title,
        "reporting_calendar": [d.model_dump(mode="json") for d in plan.reporting_calendar.deadlines],
    }
    if plan_id is not None:
        head = {"id": plan_id, **head}
    return {
        "plan": head,
        "tasks": [_task_document(task) | _draft_document(task, drafted) for task in plan.tasks],
        "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in warnings],
    } | ({"rows": [account.model_dump(mode="json", exclude={"text", "notable"}) for account in rows]} if rows else {})


def _task_document(task: Task) -> dict:
    return {
        "code": task.code,
        "section": task.section,
        "number": task.number,
        "title": task.title,
        "product": task.product,
        "lead": list(task.lead),
        "coordinating": list(task.coordinating),
        "period_text": task.period_text,
        "recurrence": task.recurrence.value,
        "criteria": list(task.criteria),
        "budget": task.budget,
        "notes": task.notes,
        "occurrences": [_occurrence_document(o) for o in task.occurrences],
    }


def _draft_document(task: Task, drafted: Mapping[str, DraftedTask] | None) -> dict:
    if drafted is None:
        return {}
    draft = drafted.get(task.code, DraftedTask())
    source = task.source
    return {
        "source": {"line_start": source.line_start, "line_end": source.line_end} if source else None,
        "officers": list(draft.officers),
        "period_default": draft.period_default,
    }


def _occurrence_document(occurrence: Occurrence) -> dict:
    return {
        "key": occurrence.key,
        "due": occurrence.due.astimezone(LOCAL_TZ).isoformat(),
        "due_date": occurrence.due_date.isoformat(),
        "period": {
            "start": occurrence.period.start.isoformat(),
            "end": occurrence.period.end.isoformat(),
            "label": occurrence.period.label,
        },
        "rule": occurrence.rule.value,
        "past_due_at_issue": occurrence.past_due_at_issue,
    }


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
    return f"{len(plan.tasks)} nhiệm vụ, {len(plan.sections)} mục, {occurrence_count(plan)} lần đến hạn"


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
