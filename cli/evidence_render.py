"""How `cchc evidence` looks to the office (Vietnamese, rich) and to programs (JSON)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from domain.formatting import dmy
from domain.models import Plan
from evidence.index_table import outcome
from evidence.package import Package
from evidence.work_list import WorkList, late_words
from evidence.year_end import OccurrenceRecord
from services.tasks import short_id


def _occurrence(record: OccurrenceRecord) -> dict:
    return {
        "id": record.workflow_id,
        "task_code": record.task_code,
        "occurrence_key": record.occurrence_key,
        "title": record.title,
        "lead": list(record.lead),
        "due": record.due.isoformat(),
        "state": record.state.value if record.state else None,
    }


# --- export ----------------------------------------------------------------------------------


def export_document(package: Package, target: str) -> dict:
    return {
        "file": target,
        "plan": {"number": package.plan.number, "issuer": package.plan.issuer, "year": package.plan.year},
        "occurrences": len(package.records),
        "evidence_files": package.evidence_files,
        "files": len(package.entries),
        "head": package.head,
        "missing_evidence": [
            {**_occurrence(m.record), "document_number": m.document.number, "sha256": m.document.sha256}
            for m in package.missing
        ],
    }


def print_export(console: Console, package: Package, target: str) -> None:
    plan = package.plan
    console.print(
        f"Đã ghi gói tài liệu kiểm chứng của kế hoạch {plan.number} ({plan.issuer}, năm {plan.year}): {target}",
        style="bold",
        markup=False,
    )
    console.print(
        f"{len(package.records)} kỳ thực hiện, {package.evidence_files} tệp tài liệu kiểm chứng, "
        f"{len(package.entries)} tệp trong gói (mã SHA-256 của từng tệp trong manifest.json).",
        markup=False,
    )
    console.print(f"Mã đầu chuỗi nhật ký (SHA-256): {package.head}", markup=False)
    for missing in package.missing:
        console.print(
            f"Thiếu tệp trong kho tài liệu: {missing.document.number} của nhiệm vụ "
            f"{short_id(missing.record.workflow_id)} (sha256 {missing.document.sha256[:12]}…)",
            style="yellow",
            markup=False,
        )


# --- status ----------------------------------------------------------------------------------


def status_document(plan: Plan, work: WorkList) -> dict:
    return {
        "plan": {"number": plan.number, "issuer": plan.issuer, "year": plan.year},
        "on": work.on.isoformat(),
        "year_end": work.year_end.isoformat(),
        "groups_lacking_evidence": [
            {"group": gap.group.label, "to_do": gap.to_do, "approved": gap.approved, "lacking": gap.lacking}
            for gap in work.gaps
        ],
        "without_evidence": [_occurrence(record) for record in work.without_evidence],
        "late": [{**_occurrence(record), "days_late": days} for record, days in work.late],
        "still_due": [_occurrence(record) for record in work.still_due],
        "missing_files": [
            {**_occurrence(record), "document_number": d.number, "sha256": d.sha256} for record, d in work.missing_files
        ],
    }


def print_status(console: Console, plan: Plan, work: WorkList) -> None:
    console.print(
        f"Tài liệu kiểm chứng của kế hoạch {plan.number} ({plan.issuer}, năm {plan.year}), ngày {dmy(work.on)}",
        style="bold",
        markup=False,
    )
    gaps = _table(
        "Tiêu chí / mục còn thiếu tài liệu kiểm chứng", ("Tiêu chí / Mục", "Kỳ phải làm", "Đã hoàn thành", "Còn thiếu")
    )
    for gap in work.gaps:
        gaps.add_row(gap.group.label, str(gap.to_do), str(gap.approved), str(gap.lacking))
    _print(console, gaps, work.gaps, "Mọi tiêu chí, mục đều đã có sản phẩm được xác nhận hoàn thành.")

    missing = _occurrence_table("Nhiệm vụ chưa có sản phẩm được xác nhận hoàn thành")
    for record in work.without_evidence:
        _add_occurrence(missing, record, outcome(record))
    _print(console, missing, work.without_evidence, "Mọi nhiệm vụ đều đã có sản phẩm được xác nhận hoàn thành.")

    late = _occurrence_table("Nhiệm vụ trễ hạn")
    for record, days in work.late:
        _add_occurrence(late, record, late_words(record, days))
    _print(console, late, work.late, "Không nhiệm vụ nào trễ hạn.")

    due = _occurrence_table(f"Còn đến hạn từ nay đến {dmy(work.year_end)}")
    for record in work.still_due:
        _add_occurrence(due, record, outcome(record))
    _print(console, due, work.still_due, f"Không còn nhiệm vụ nào đến hạn từ nay đến {dmy(work.year_end)}.")

    for record, document in work.missing_files:
        console.print(
            f"Thiếu tệp trong kho tài liệu: {document.number} của nhiệm vụ {short_id(record.workflow_id)}.",
            style="yellow",
            markup=False,
        )


def _table(title: str, headers: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _occurrence_table(title: str) -> Table:
    return _table(title, ("Nhiệm vụ", "Nội dung", "Chủ trì", "Hạn", "Tình trạng"))


def _add_occurrence(table: Table, record: OccurrenceRecord, status: str) -> None:
    occurrence = f"{record.task_code} ({record.occurrence_key})"
    table.add_row(occurrence, record.title, ", ".join(record.lead), dmy(record.due), status)


def _print(console: Console, table: Table, rows: list, empty: str) -> None:
    if rows:
        console.print(table)
    else:
        console.print(f"{table.title}: không có. {empty}", markup=False)
