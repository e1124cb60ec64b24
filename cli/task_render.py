"""How tasks look to people (rich tables, Vietnamese, dd/mm/yyyy) and to programs (JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.calendar import TZ
from domain.formatting import dmy
from domain.lifecycle import TaskEntryKind, TaskState
from domain.roles import Role
from domain.vocabulary import label
from services.plan_start import OccurrenceRef, StartReport
from services.task_documents import summary_document
from services.tasks import TaskDetail, TaskSummary, short_id
from workflows.search import plan_query


def state_label(state: TaskState | str) -> str:
    return label(TaskState(state))


def event_label(kind: TaskEntryKind | str) -> str:
    return label(TaskEntryKind(kind))


# --- task list -------------------------------------------------------------------------------


UNREACHABLE = "⚠"


def task_list_document(tasks: Iterable[TaskSummary], today: date, *, without_directory: Iterable[str] = ()) -> dict:
    return {
        "today": today.isoformat(),
        "tasks": [summary_document(task) for task in tasks],
        "communes_without_directory": list(without_directory),
    }


def tasks_table(
    tasks: list[TaskSummary], today: date, *, overdue: bool, without_directory: Iterable[str] = ()
) -> Table:
    """Due date first (the order of the list); each task's id under its title, to copy into
    `cchc task show`. Readable at 80 columns: only the title and the unit wrap. A lead unit
    with nobody to email is marked ⚠, and a commune with no people directory is named once."""
    title = f"Nhiệm vụ quá hạn tính đến {dmy(today)}" if overdue else f"Nhiệm vụ (ngày {dmy(today)})"
    table = Table(title=title, caption=_list_caption(tasks, without_directory), box=box.SIMPLE_HEAD)
    for header, options in (
        ("Hạn", {"no_wrap": True}),
        ("Nhiệm vụ", {"ratio": 3, "overflow": "fold"}),
        ("Chủ trì", {"ratio": 1, "min_width": 10}),
        ("Trạng thái", {"no_wrap": True}),
        ("Trễ", {"justify": "right", "no_wrap": True}),
        ("Mức", {"justify": "right", "no_wrap": True}),
    ):
        table.add_column(header, **options)
    for task in tasks:
        name = Text(task.title)
        name.append(f"\n{short_id(task.workflow_id)}", style="dim")
        table.add_row(
            Text(dmy(task.due), style="red" if task.overdue else ""),
            name,
            _lead_text(task),
            Text(state_label(task.state)),
            Text(str(task.days_late), style="red") if task.overdue else Text(""),
            Text(str(task.escalation_level) if task.escalation_level else ""),
        )
    return table


def _lead_text(task: TaskSummary) -> Text:
    text = Text(", ".join(task.lead))
    if task.unreachable:
        text.append(f" {UNREACHABLE}", style="yellow")
    return text


def _list_caption(tasks: list[TaskSummary], without_directory: Iterable[str]) -> str:
    lines = ["Trễ: số ngày quá hạn. Mức: số lần cảnh báo quá hạn."]
    if any(task.unreachable for task in tasks):
        lines.append(f"{UNREACHABLE}: chưa có ai nhận email — cchc people import")
    lines.extend(f"Xã {commune} chưa có danh bạ: không ai nhận email về nhiệm vụ nào." for commune in without_directory)
    return "\n".join(lines)


def empty_list_message(overdue: bool) -> str:
    if overdue:
        return "Không có nhiệm vụ nào quá hạn."
    return "Chưa có nhiệm vụ nào. Khởi động một kế hoạch: cchc plan start KẾ_HOẠCH (cần `cchc up` đang chạy)."


# --- one task --------------------------------------------------------------------------------


def detail_document(detail: TaskDetail) -> dict:
    summary = detail.summary
    return {
        "id": detail.workflow_id,
        "source": detail.source,
        "note": detail.note,
        "commune": summary.commune if summary else None,
        "plan_id": summary.plan_id if summary else None,
        "task_code": summary.task_code if summary else None,
        "occurrence_key": summary.occurrence_key if summary else None,
        "title": summary.title if summary else None,
        "state": detail.state.value,
        "due_date": detail.due.isoformat(),
        "lead": list(detail.lead),
        "officer": detail.officer,
        "progress": detail.progress,
        "days_late": detail.days_late,
        "escalation_level": detail.escalation_level,
        "evidence": detail.evidence,
        "timeline": detail.timeline,
    }


def print_detail(console: Console, detail: TaskDetail, names: Mapping[str, str]) -> None:
    """The task for people; `names` shows each username as a person (services.people.shown_names)."""
    summary = detail.summary
    head = Text()
    head.append(f"Nhiệm vụ {short_id(detail.workflow_id)}", style="bold")
    if summary:
        head.append(f": {summary.title}\nXã {summary.commune}, kế hoạch id {summary.plan_id}")
    console.print(head)
    lines = [
        f"Trạng thái: {state_label(detail.state)}",
        f"Hạn: {dmy(detail.due)}" + (f" (trễ {detail.days_late} ngày)" if detail.days_late else ""),
        f"Chủ trì: {', '.join(detail.lead)}" + (f"; công chức: {detail.officer}" if detail.officer else ""),
    ]
    if detail.progress is not None:
        lines.append(f"Tiến độ: {detail.progress}%")
    if detail.escalation_level:
        lines.append(f"Cảnh báo quá hạn: lần {detail.escalation_level}")
    for evidence in detail.evidence:
        lines.append(
            f"Sản phẩm: {evidence.get('document_number')} ngày {_dmy_text(evidence.get('document_date'))}: "
            f"{evidence.get('title')} (sha256 {str(evidence.get('sha256'))[:12]}…)"
        )
    for line in lines:
        console.print(line, markup=False)
    if detail.note:
        console.print(Text(detail.note, style="yellow"))
    shown = [
        {**entry, "actor": names.get(entry["actor"], entry["actor"]), "role": label(Role(entry["role"]))}
        for entry in detail.timeline
    ]
    console.print(timeline_table(shown))


def timeline_table(
    timeline: list[dict], *, kinds: Callable[[str], str] = event_label, states: Callable[[str], str] = state_label
) -> Table:
    """A task's timeline, or with a PAR round's `kinds` and `states` labels a round's."""
    table = Table(title="Diễn biến")
    for header, options in (
        ("#", {"justify": "right"}),
        ("Lúc", {"no_wrap": True}),
        ("Sự việc", {"no_wrap": True}),
        ("Trạng thái sau", {"no_wrap": True}),
        ("Người thực hiện", {"overflow": "fold"}),
        ("Chi tiết", {"ratio": 3, "overflow": "fold"}),
    ):
        table.add_column(header, **options)
    for entry in timeline:
        at = datetime.fromisoformat(entry["at"]).astimezone(TZ)
        table.add_row(
            str(entry["seq"]),
            at.strftime("%d/%m/%Y %H:%M"),
            Text(kinds(entry["kind"])),
            Text(states(entry["state"])),
            Text(f"{entry['actor']} ({entry['role']})"),
            Text(entry.get("detail") or ""),
        )
    return table


def _dmy_text(iso: str | None) -> str:
    return dmy(date.fromisoformat(iso)) if iso else ""


# --- plan start ------------------------------------------------------------------------------


def start_report_document(report: StartReport) -> dict:
    def refs(items: list[OccurrenceRef]) -> list[dict]:
        return [
            {
                "id": ref.workflow_id,
                "task_code": ref.task_code,
                "occurrence_key": ref.occurrence_key,
                "period": ref.period,
                "due_date": ref.due.isoformat(),
            }
            for ref in items
        ]

    return {
        "plan_id": report.plan_id,
        "plan_number": report.plan_number,
        "commune": report.commune,
        "today": report.today.isoformat(),
        "query": plan_query(report.plan_id),
        "started": refs(report.started),
        "started_past_due": refs(report.started_past_due),
        "already_running": refs(report.already_running),
        "already_closed": refs(report.already_closed),
        "skipped_past_due": refs(report.skipped_past_due),
        "units_without_email": report.units_without_email,
    }


def print_start_report(console: Console, report: StartReport, *, ui_url: str | None) -> None:
    plan = f"kế hoạch {report.plan_number} (id {report.plan_id})"
    if report.started:
        console.print(f"Đã khởi động {len(report.started)} nhiệm vụ của {plan}.", style="bold", markup=False)
    else:
        console.print(f"Không khởi động thêm nhiệm vụ nào của {plan}.", markup=False)
    if report.already_running:
        console.print(f"{len(report.already_running)} nhiệm vụ đã đang chạy từ trước: giữ nguyên.", markup=False)
    if report.already_closed:
        console.print(f"{len(report.already_closed)} nhiệm vụ đã kết thúc: không khởi động lại.", markup=False)
    if report.started_past_due:
        console.print(
            Text(
                f"{len(report.started_past_due)} nhiệm vụ đã quá hạn khi khởi động "
                "(cảnh báo quá hạn ngay):\n" + _ref_lines(report.started_past_due),
                style="yellow",
            )
        )
    if report.skipped_past_due:
        console.print(
            Text(
                f"{len(report.skipped_past_due)} nhiệm vụ đã quá hạn tính đến {dmy(report.today)}, CHƯA khởi động:\n"
                + _ref_lines(report.skipped_past_due)
                + "\nĐể khởi động cả các nhiệm vụ này (cảnh báo quá hạn ngay): "
                f"cchc plan start {report.plan_id} --include-past-due",
                style="yellow",
            )
        )
    if report.units_without_email:
        console.print(Text(_nobody_to_email(report), style="yellow"))
    console.print(f"Xem trên Temporal: temporal workflow list --query '{plan_query(report.plan_id)}'", markup=False)
    if ui_url:
        console.print(f"Giao diện Temporal: {ui_url}", markup=False)


def _nobody_to_email(report: StartReport) -> str:
    units = ", ".join(report.units_without_email)
    return (
        f"Cảnh báo: chưa có ai nhận email của bộ phận {units} (xã {report.commune}): "
        "nhiệm vụ của các bộ phận này sẽ không được báo qua email. Nhập danh bạ: cchc people import TỆP"
    )


def _ref_lines(refs: list[OccurrenceRef], limit: int = 20) -> str:
    lines = [f"  {ref.task_code} · {ref.period}: hạn {dmy(ref.due)}" for ref in refs[:limit]]
    if len(refs) > limit:
        lines.append(f"  … và {len(refs) - limit} nhiệm vụ khác")
    return "\n".join(lines)
