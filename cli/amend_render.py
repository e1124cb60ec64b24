"""What `cchc plan import` shows of an amendment: each change, and what applying it did."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.vocabulary import label
from services.amendment import AmendmentPreview


def print_amendment(console: Console, preview: AmendmentPreview, outcomes: dict[str, str] | None) -> None:
    ref = preview.document.ref
    source = f"văn bản {ref.number} ngày {ref.issued:%d/%m/%Y}"
    plan = f"kế hoạch {preview.plan_number} (id {preview.plan_id})"
    if not preview.changes:
        console.print(f"{source} không thay đổi gì {plan}.", markup=False)
        return
    console.print(f"Điều chỉnh {plan} theo {source}:", style="bold", markup=False)
    table = Table()
    for header in ("Nhiệm vụ", "Thay đổi", "Trước", "Sau", "Kết quả" if outcomes is not None else "Ghi chú"):
        table.add_column(header)
    for change in preview.changes:
        note = (outcomes or {}).get(change.id) or change.kept_because or ""
        table.add_row(
            Text(f"{change.task_code} · {change.occurrence_key}"),
            label(change.kind),
            Text(change.old or ""),
            Text(change.new or ""),
            Text(note, style="yellow" if change.kept_because else ""),
        )
    console.print(table)
    if outcomes is None:
        console.print(
            "Chưa áp dụng. Để áp dụng cho các nhiệm vụ đang chạy, chạy lại lệnh với --confirm "
            "(not applied yet: add --confirm).",
            markup=False,
        )
    else:
        console.print(f"Đã áp dụng điều chỉnh cho {plan}.", style="bold", markup=False)
