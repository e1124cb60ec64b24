"""`cchc assess ...`: the commune's self-assessment sheet (tự đánh giá, chấm điểm) of a plan's
year against a criteria catalogue; scores entered by hand, explanations, the office's evidence."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from cli.catalogue import points, refuse, title
from cli.errors import EXIT_BAD_INPUT, at_the_edge
from cli.options import CopiesOption, FinalOption, JsonOption, YearOption
from cli.plans import UserOption, database, print_json
from cli.round_client import take_step
from cli.tasks import store_evidence
from config import get_settings
from domain.assessment_round import RoundEvent, RoundRole
from domain.calendar import TZ
from domain.scoring import number, read_points
from evidence.assessment_report import assessment_package
from evidence.document_layout import Release
from evidence.location import evidence_store
from persistence.plans import find_plan_id
from services.assessment import (
    Sheet,
    SheetItem,
    add_office_evidence,
    assessment_sheet,
    check_office_evidence,
    enter_score,
    explain,
    plan_scope,
)
from services.criteria_map import map_task
from services.people import chairman_signature
from workflows.round_contracts import RoundRequest

app = typer.Typer(
    help="Tự đánh giá, chấm điểm Chỉ số CCHC của xã theo bộ tiêu chí (self-assessment).", no_args_is_help=True
)
evidence_app = typer.Typer(
    help="Tài liệu kiểm chứng do Văn phòng bổ sung cho một tiêu chí (office evidence).", no_args_is_help=True
)
app.add_typer(evidence_app, name="evidence")

PlanOption = Annotated[str, typer.Option("--plan", help="id hoặc số kế hoạch, ví dụ 10/KH-UBND (plan).")]
CatalogueOption = Annotated[int, typer.Option("--catalogue", help="id của bộ tiêu chí (xem: cchc catalogue list).")]
NoteOption = Annotated[str, typer.Option("--note", help="Ghi chú (note).")]
CodeArgument = Annotated[str, typer.Argument(help="Mã tiêu chí chấm điểm, ví dụ 1.1.2 (item code).")]
PlanCompletionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--plan-completion",
        metavar="CODE",
        help="Tiêu chí tỷ lệ chấm trên toàn bộ nhiệm vụ của kế hoạch, ví dụ 1.1.2 (lặp lại được).",
    ),
]
MISSING_LABEL = "THIẾU TÀI LIỆU KIỂM CHỨNG"
Result = TypeVar("Result")


@app.command("show")
@at_the_edge
def show_command(
    plan: PlanOption,
    catalogue: CatalogueOption,
    plan_completion: PlanCompletionOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Bảng tự chấm điểm: điểm từng tiêu chí, cách tính, tài liệu kiểm chứng, tổng điểm (show the sheet)."""
    sheet = _sheet(plan, catalogue, plan_completion, year)
    if as_json:
        print_json(sheet_document(sheet))
        return
    console = Console()
    console.print(sheet_table(sheet))
    for line in closing_lines(sheet):
        console.print(line, markup=False)


@app.command("export")
@at_the_edge
def export_command(
    plan: PlanOption,
    catalogue: CatalogueOption,
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi hồ sơ (.zip).")],
    approved_by: Annotated[
        str | None,
        typer.Option(
            "--approved-by",
            help="Họ tên Chủ tịch UBND xã ký (mặc định: Chủ tịch trong danh sách cán bộ) (signing chairman).",
        ),
    ] = None,
    issued: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%d/%m/%Y"], help="Ngày báo cáo dd/mm/yyyy (mặc định hôm nay)."),
    ] = None,
    plan_completion: PlanCompletionOption = None,
    year: YearOption = None,
    final: FinalOption = False,
    copies: CopiesOption = None,
) -> None:
    """Hồ sơ tự đánh giá (.zip): báo cáo, bảng tổng hợp điểm, đề nghị thẩm định và tài liệu kiểm chứng
    theo mã tiêu chí; cùng nội dung thì cùng từng byte (export the submission package)."""
    sheet = _sheet(plan, catalogue, plan_completion, year)
    signature = _in_session(plan, year, lambda session, _: chairman_signature(session, sheet.commune, approved_by))
    release = Release(signature=signature, final=final, copies=tuple(copies or ()))
    day = issued.date() if issued else datetime.now(TZ).date()
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"ho-so-tu-danh-gia-cchc-{sheet.year}.zip"
    store = evidence_store(get_settings().data_dir)
    package.write_bytes(assessment_package(sheet, store, release=release, issued=day))
    typer.echo(f"Đã ghi {package}: {number(sheet.self_score)}/{number(sheet.max_points)} điểm.")
    if sheet.blocking:
        typer.echo(
            f"Lưu ý: chưa gửi được, còn tiêu chí thiếu tài liệu kiểm chứng chưa giải trình: {', '.join(sheet.blocking)}."
        )


@app.command("approve")
@at_the_edge
def approve_command(plan: PlanOption, year: YearOption = None, user: UserOption = None, note: NoteOption = "") -> None:
    """Chủ tịch phê duyệt hồ sơ tự đánh giá của đợt đánh giá (the chairman approves)."""
    _round_step(plan, year, RoundEvent.APPROVE, RoundRole.CHAIRMAN, user, note)


@app.command("submit")
@at_the_edge
def submit_command(plan: PlanOption, year: YearOption = None, user: UserOption = None, note: NoteOption = "") -> None:
    """Văn phòng gửi hồ sơ đã phê duyệt; bị từ chối khi còn tiêu chí thiếu tài liệu kiểm chứng và giải trình (submit)."""
    _round_step(plan, year, RoundEvent.SUBMIT, RoundRole.OFFICE, user, note)


def _round_step(plan: str, year: int | None, event: RoundEvent, role: RoundRole, user: str | None, note: str) -> None:
    commune, assessed_year = _in_session(plan, year, lambda session, plan_id: plan_scope(session, plan_id))
    take_step(commune, assessed_year, RoundRequest(event=event, user=user or getpass.getuser(), role=role, note=note))


def _sheet(plan: str, catalogue: int, plan_completion: list[str] | None, year: int | None) -> Sheet:
    return _in_session(
        plan,
        year,
        lambda session, plan_id: assessment_sheet(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue,
            plan_completion_codes=plan_completion or (),
            now=datetime.now(TZ),
        ),
    )


@app.command("score")
@at_the_edge
def score_command(
    code: CodeArgument,
    given: Annotated[str, typer.Argument(metavar="POINTS", help="Số điểm, ví dụ 0,5; điểm trừ ghi số dương.")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do chấm điểm này (reason).")],
    plan: PlanOption,
    catalogue: CatalogueOption,
    year: YearOption = None,
    user: UserOption = None,
) -> None:
    """Chấm điểm thủ công một tiêu chí, có lý do (enter a score by hand)."""
    value = parse_points(given)
    _in_session(
        plan,
        year,
        lambda session, plan_id: enter_score(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue,
            code=code,
            points=value,
            reason=reason,
            actor=user or getpass.getuser(),
            now=datetime.now(TZ),
        ),
        write=True,
    )
    typer.echo(f"Đã ghi điểm {number(value)} cho tiêu chí {code}.")


@app.command("explain")
@at_the_edge
def explain_command(
    code: CodeArgument,
    text: Annotated[str, typer.Argument(help="Nội dung giải trình (explanation).")],
    plan: PlanOption,
    catalogue: CatalogueOption,
    year: YearOption = None,
    user: UserOption = None,
) -> None:
    """Giải trình cho một tiêu chí không có tài liệu kiểm chứng (explain an item without evidence)."""
    _in_session(
        plan,
        year,
        lambda session, plan_id: explain(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue,
            code=code,
            text=text,
            actor=user or getpass.getuser(),
            now=datetime.now(TZ),
        ),
        write=True,
    )
    typer.echo(f"Đã ghi giải trình cho tiêu chí {code}.")


@app.command("map")
@at_the_edge
def map_command(
    task: Annotated[str, typer.Argument(help="Mã nhiệm vụ trong kế hoạch, ví dụ I.3 (task code).")],
    plan: PlanOption,
    catalogue: CatalogueOption,
    codes: Annotated[list[str] | None, typer.Argument(help="Các mã tiêu chí chấm điểm, ví dụ 1.3.1 1.3.2.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Bỏ gắn mọi tiêu chí của nhiệm vụ.")] = False,
    year: YearOption = None,
    user: UserOption = None,
) -> None:
    """Gắn nhiệm vụ của kế hoạch với các tiêu chí thành phần nó được tính cho (map a task to sub-criteria)."""
    if not codes and not clear:
        raise typer.BadParameter("ghi ít nhất một mã tiêu chí, hoặc --clear để bỏ gắn", param_hint="CODES")
    mapped = _in_session(
        plan,
        year,
        lambda session, plan_id: map_task(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue,
            task_code=task,
            codes=codes or (),
            actor=user or getpass.getuser(),
            now=datetime.now(TZ),
        ),
        write=True,
    )
    what = f"các tiêu chí {', '.join(mapped)}" if mapped else "không tiêu chí nào"
    typer.echo(f"Nhiệm vụ {task} nay được tính cho {what}.")


@evidence_app.command("add")
@at_the_edge
def evidence_add_command(
    code: CodeArgument,
    document_number: Annotated[str, typer.Option("--number", help="Số văn bản, ví dụ 45/BC-UBND.")],
    day: Annotated[datetime, typer.Option("--date", formats=["%d/%m/%Y"], help="Ngày văn bản dd/mm/yyyy.")],
    issuer: Annotated[str, typer.Option("--issuer", help="Cơ quan ban hành, ví dụ “UBND xã Vĩnh Khê”.")],
    summary: Annotated[str, typer.Option("--summary", help="Trích yếu văn bản (summary).")],
    plan: PlanOption,
    catalogue: CatalogueOption,
    file: Annotated[
        Path | None, typer.Option("--file", help="Tệp văn bản: lưu vào kho tài liệu, đưa vào hồ sơ gửi thẩm định.")
    ] = None,
    page: Annotated[
        str | None, typer.Option("--page", help="Trang dùng làm tài liệu kiểm chứng, ví dụ 3 hoặc 2-4.")
    ] = None,
    signed: Annotated[bool, typer.Option("--signed", help="Văn bản đã ký số (digitally signed).")] = False,
    year: YearOption = None,
    user: UserOption = None,
) -> None:
    """Thêm một văn bản làm tài liệu kiểm chứng cho tiêu chí (add office evidence)."""

    def add(session: Session, plan_id: int) -> int:
        check_office_evidence(
            session, catalogue_id=catalogue, code=code, number=document_number, issuer=issuer, summary=summary
        )
        digest = None if file is None else store_evidence(file, get_settings())
        return add_office_evidence(
            session,
            plan_id=plan_id,
            catalogue_id=catalogue,
            code=code,
            number=document_number,
            day=day.date(),
            issuer=issuer,
            summary=summary,
            sha256=digest,
            page=page,
            signed=signed,
            actor=user or getpass.getuser(),
            now=datetime.now(TZ),
        )

    added = _in_session(plan, year, add, write=True)
    typer.echo(f"Đã thêm tài liệu kiểm chứng số {document_number} cho tiêu chí {code} (id {added}).")


def parse_points(text: str) -> Decimal:
    """Points as officers type them: "0,5" or "0.5"."""
    try:
        return read_points(text)
    except ValueError as exc:
        refuse(f"{exc}.", EXIT_BAD_INPUT)


def _in_session(
    plan: str, year: int | None, action: Callable[[Session, int], Result], *, write: bool = False
) -> Result:
    """`action` on the plan `plan` names, in one transaction when it writes."""
    with database(get_settings().effective_database_url) as session_factory:
        with session_factory.begin() if write else session_factory() as session:
            return action(session, find_plan_id(session, plan, year=year))


# --------------------------------------------------------------------------- rendering


def points_cell(item: SheetItem) -> str:
    return "—" if item.score.points is None else number(item.score.points)


def sheet_table(sheet: Sheet) -> Table:
    caption = f"{sheet.commune}, năm {sheet.year}: kế hoạch id {sheet.plan_id}, bộ tiêu chí id {sheet.catalogue_id}"
    table = Table(title=Text(f"Tự đánh giá — {title(sheet.catalogue)}"), caption=Text(caption))
    for header, options in (
        ("Mã", {"no_wrap": True}),
        ("Tiêu chí", {}),
        ("Tối đa", {"justify": "right"}),
        ("Điểm", {"justify": "right"}),
        ("Cách tính", {}),
        ("Tài liệu kiểm chứng", {"justify": "right"}),
    ):
        table.add_column(header, **options)
    areas = {area.code: area for area in sheet.totals.areas}
    current = None
    for item in sheet.items:
        if item.leaf.area != current:
            current = item.leaf.area
            table.add_section()
            if current is not None:
                area = areas[current]
                table.add_row(
                    area.code, Text(area.name), number(area.max_points), number(area.points), "", "", style="bold"
                )
            else:
                table.add_row("", Text("Điểm thưởng, điểm trừ"), "", "", "", "", style="bold")
        table.add_row(
            item.leaf.code,
            Text(item.leaf.name),
            number(item.leaf.max_points),
            points_cell(item),
            Text(item.score.explanation),
            evidence_cell(item),
        )
    return table


def evidence_cell(item: SheetItem) -> Text:
    if not item.missing_evidence:
        return Text(str(len(item.evidence)))
    if item.explanation:
        return Text("0 (đã giải trình)")
    return Text(MISSING_LABEL, style="bold red")


def closing_lines(sheet: Sheet) -> list[str]:
    totals = sheet.totals
    lines = [
        f"Tổng điểm tự chấm: {number(sheet.self_score)}/{number(sheet.max_points)} "
        f"(điểm thưởng {number(totals.bonus)}, điểm trừ {number(totals.penalty)}).",
    ]
    if totals.unscored:
        lines.append(f"Chưa có điểm ({len(totals.unscored)} tiêu chí, tính là 0): {', '.join(totals.unscored)}.")
    if sheet.blocking:
        lines.append(
            f"Chưa thể nộp: {len(sheet.blocking)} tiêu chí thiếu tài liệu kiểm chứng và chưa giải trình: "
            f"{', '.join(sheet.blocking)}."
        )
    else:
        lines.append("Mọi tiêu chí đều có tài liệu kiểm chứng hoặc giải trình.")
    return lines


# --------------------------------------------------------------------------- JSON


def optional_points(value: Decimal | None) -> str | None:
    return None if value is None else points(value)


def sheet_document(sheet: Sheet) -> dict[str, Any]:
    totals = sheet.totals
    return {
        "plan_id": sheet.plan_id,
        "commune": sheet.commune,
        "year": sheet.year,
        "catalogue_id": sheet.catalogue_id,
        "self_score": points(sheet.self_score),
        "max": points(sheet.max_points),
        "bonus": points(totals.bonus),
        "penalty": points(totals.penalty),
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "points": points(area.points),
                "max": points(area.max_points),
                "unscored": list(area.unscored),
            }
            for area in totals.areas
        ],
        "items": [item_document(item) for item in sheet.items],
        "missing_evidence": sheet.missing_evidence,
        "blocking": sheet.blocking,
    }


def item_document(item: SheetItem) -> dict[str, Any]:
    return {
        "code": item.leaf.code,
        "name": item.leaf.name,
        "area": item.leaf.area,
        "max": points(item.leaf.max_points),
        "scored_by": item.leaf.scored_by.value,
        "points": optional_points(item.score.points),
        "computed": item.score.computed,
        "how_computed": item.score.explanation,
        "inputs": list(item.score.inputs),
        "evidence": [
            {
                "source": each.source,
                "number": each.number,
                "date": each.day.isoformat(),
                "summary": each.summary,
                "issuer": each.issuer,
                "page": each.page,
                "signed": each.signed,
                "sha256": each.sha256,
                "task_code": each.task_code,
                "workflow_id": each.workflow_id,
            }
            for each in item.evidence
        ],
        "missing_evidence": item.missing_evidence,
        "explanation": item.explanation,  # giải trình
    }
