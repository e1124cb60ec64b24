"""`cchc catalogue ...`: import, show and list the provinces' PAR criteria sets (bộ tiêu chí)."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from cli.errors import EXIT_BAD_INPUT, at_the_edge
from cli.options import JsonOption
from cli.plans import UserOption, database, print_json
from config import get_settings
from domain.calendar import TZ
from domain.criteria import Catalogue, Criterion, ScoredBy
from domain.formatting import dmy, dmy_hm
from domain.scoring import TASK_DEADLINE, Bonus, Fixed, Penalty, Rule, Threshold, number, percent, plain
from domain.vocabulary import label
from importers.catalogue import read_catalogue
from importers.digest import sha256_of
from importers.errors import fail
from services.catalogues import (
    CatalogueConflict,
    CatalogueImport,
    CatalogueNotFound,
    CatalogueSummary,
    find_catalogue,
    import_catalogue,
    list_catalogues,
    load_catalogue,
)

app = typer.Typer(
    help="Bộ tiêu chí xác định Chỉ số CCHC: nhập, xem, danh sách (criteria catalogues).", no_args_is_help=True
)

ProvinceOption = Annotated[str | None, typer.Option("--province", help="Tỉnh, ví dụ “Thành phố Huế” (province).")]
YearOption = Annotated[int | None, typer.Option("--year", help="Năm của bộ tiêu chí (catalogue year).")]
SAMPLE_LABEL = "MẪU"


@app.command("import")
@at_the_edge
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp bộ tiêu chí: .yaml, .xlsx, .docx (criteria file).")],
    province: ProvinceOption = None,
    year: YearOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ đọc và hiển thị, không lưu (store nothing).")] = False,
    as_json: JsonOption = False,
    user: UserOption = None,
) -> None:
    """Đọc một bộ tiêu chí, hiển thị tóm tắt rồi lưu lại (import a criteria catalogue).

    Bộ tiêu chí của một quyết định không thay đổi: nhập lại đúng bộ đó không làm gì; bộ tiêu chí
    sửa đổi phải theo một quyết định mới.
    """
    catalogue = read_catalogue(file, province=province, year=year)
    stored = None if dry_run else _store(catalogue, file, user or getpass.getuser())
    if as_json:
        print_json(
            {
                "id": stored.catalogue_id if stored else None,
                "created": bool(stored and stored.created),
                "dry_run": dry_run,
                "fingerprint": catalogue.fingerprint(),
                "catalogue": summary_document(catalogue),
            }
        )
        return
    console = Console()
    for line in summary_lines(catalogue):
        console.print(line, markup=False)
    console.print(outcome_line(stored), style="bold" if stored and stored.created else None, markup=False)


def _store(catalogue: Catalogue, file: Path, actor: str) -> CatalogueImport:
    with database(get_settings().effective_database_url) as session_factory:
        try:
            with session_factory.begin() as session:
                return import_catalogue(
                    session,
                    catalogue,
                    source_file=file.name,
                    source_sha256=sha256_of(file),
                    actor=actor,
                    now=datetime.now(TZ),
                )
        except CatalogueConflict as exc:
            raise fail(file.name, str(exc)) from None


@app.command("show")
@at_the_edge
def show_command(
    catalogue_id: Annotated[int | None, typer.Argument(metavar="ID", help="id của bộ tiêu chí (catalogue id).")] = None,
    province: ProvinceOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Cây tiêu chí: lĩnh vực → tiêu chí → tiêu chí thành phần, điểm và cách chấm (show a catalogue)."""
    if catalogue_id is None and (province is None or year is None):
        refuse("hãy ghi id của bộ tiêu chí, hoặc cả --province và --year (xem: cchc catalogue list).", EXIT_BAD_INPUT)
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        found = _resolve(session, catalogue_id, province, year)
        catalogue = load_catalogue(session, found)
    if as_json:
        print_json({"id": found, "fingerprint": catalogue.fingerprint(), **catalogue.model_dump(mode="json")})
        return
    console = Console()
    console.print(catalogue_table(catalogue))
    console.print(f"Bộ tiêu chí id {found}: {totals_line(catalogue)}.", markup=False)


def _resolve(session: Session, catalogue_id: int | None, province: str | None, year: int | None) -> int:
    if catalogue_id is not None:
        return catalogue_id
    assert province is not None and year is not None  # checked by the command
    found = find_catalogue(session, province, year)
    if found is None:
        raise CatalogueNotFound(f"của {province} năm {year}")
    return found


@app.command("list")
@at_the_edge
def list_command(as_json: JsonOption = False) -> None:
    """Danh sách các bộ tiêu chí đã nhập (list stored catalogues)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        catalogues = list_catalogues(session)
    if as_json:
        print_json({"catalogues": [list_document(each) for each in catalogues]})
    elif not catalogues:
        Console().print("Chưa có bộ tiêu chí nào. Nhập một bộ tiêu chí: cchc catalogue import TỆP", markup=False)
    else:
        Console().print(catalogues_table(catalogues))


def refuse(message: str, exit_code: int) -> NoReturn:
    """A refusal the edge does not know: one Vietnamese line on stderr, and the exit code."""
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(exit_code)


# --------------------------------------------------------------------------- rendering


def rule_label(rule: Rule) -> str:
    """The rule's kind as officers say it: "tỷ lệ, ngưỡng 90 %", "điểm trừ, 0,5 điểm/lần"."""
    kind = label(rule.kind)
    if isinstance(rule, Threshold):
        return f"{kind}, ngưỡng {percent(rule.floor)}"
    if isinstance(rule, Bonus | Penalty) and rule.per_item is not None:
        return f"{kind}, {number(rule.per_item)} điểm/lần"
    if isinstance(rule, Fixed) and isinstance(rule.deadline, date):
        return f"{kind}, hạn {dmy(rule.deadline)}"
    if isinstance(rule, Fixed) and rule.deadline == TASK_DEADLINE:
        return f"{kind}, hạn của nhiệm vụ"
    return kind


def caps(catalogue: Catalogue) -> tuple[Decimal, Decimal]:
    """The most bonus points and the most penalty points the catalogue allows."""
    bonus = sum((each.cap for each in catalogue.adjustments if isinstance(each.rule, Bonus)), Decimal(0))
    penalty = sum((each.cap for each in catalogue.adjustments if isinstance(each.rule, Penalty)), Decimal(0))
    return bonus, penalty


def title(catalogue: Catalogue) -> str:
    return f"[{SAMPLE_LABEL}] {catalogue.name}" if catalogue.sample else catalogue.name


def totals_line(catalogue: Catalogue) -> str:
    bonus, penalty = caps(catalogue)
    return (
        f"{len(catalogue.areas)} lĩnh vực, {len(list(catalogue.leaves()))} tiêu chí chấm điểm, "
        f"tổng {number(catalogue.max_points)} điểm; điểm thưởng tối đa {number(bonus)}, "
        f"điểm trừ tối đa {number(penalty)}"
    )


def summary_lines(catalogue: Catalogue) -> list[str]:
    decision = catalogue.decision
    lines = [
        title(catalogue),
        f"{catalogue.province}, năm {catalogue.year}: Quyết định số {decision.number} "
        f"ngày {dmy(decision.issued)} của {decision.issuer}",
        f"{totals_line(catalogue)}.",
        "Xếp loại: " + ", ".join(f"{band.name} từ {number(band.min_percent)} %" for band in catalogue.bands) + ".",
    ]
    if catalogue.sample:
        lines.append(f"{SAMPLE_LABEL}: bộ tiêu chí dựng để demo, không phải bộ tiêu chí của tỉnh nào.")
    return lines


def outcome_line(stored: CatalogueImport | None) -> str:
    if stored is None:
        return "Chạy thử (--dry-run): chưa lưu gì."
    if not stored.created:
        return f"Bộ tiêu chí này đã có (id {stored.catalogue_id}): không có gì thay đổi."
    return f"Đã lưu bộ tiêu chí (id {stored.catalogue_id})."


def catalogue_table(catalogue: Catalogue) -> Table:
    decision = catalogue.decision
    caption = f"{catalogue.province}, năm {catalogue.year}: Quyết định số {decision.number} ngày {dmy(decision.issued)}"
    table = Table(title=Text(title(catalogue)), caption=Text(caption))
    table.add_column("Mã", no_wrap=True)
    table.add_column("Nội dung")
    table.add_column("Điểm tối đa", justify="right")
    table.add_column("Cách chấm", no_wrap=True)
    for area in catalogue.areas:
        table.add_row(area.code, Text(area.name, style="bold"), number(area.max_points), "", style="bold")
        for criterion in area.criteria:
            _criterion_rows(table, criterion, depth=1)
    if catalogue.adjustments:
        table.add_section()
        for adjustment in catalogue.adjustments:
            table.add_row(adjustment.code, Text(adjustment.name), number(adjustment.cap), rule_label(adjustment.rule))
    return table


def _criterion_rows(table: Table, criterion: Criterion, depth: int) -> None:
    rule = "" if criterion.rule is None else rule_label(criterion.rule)
    if criterion.scored_by is ScoredBy.PROVINCE:
        rule = f"{rule}; tỉnh chấm".lstrip("; ")
    table.add_row(criterion.code, Text("  " * depth + criterion.name), number(criterion.max_points), rule)
    for child in criterion.subcriteria:
        _criterion_rows(table, child, depth + 1)


def catalogues_table(catalogues: list[CatalogueSummary]) -> Table:
    table = Table(title="Các bộ tiêu chí đã nhập")
    for header, options in (
        ("ID", {"justify": "right"}),
        ("Tỉnh", {}),
        ("Năm", {"justify": "right"}),
        ("Quyết định", {"no_wrap": True}),
        ("Ngày", {"no_wrap": True}),
        ("Tên", {}),
        ("Nhập lúc", {"no_wrap": True}),
    ):
        table.add_column(header, **options)
    for each in catalogues:
        name = f"[{SAMPLE_LABEL}] {each.name}" if each.sample else each.name
        table.add_row(
            str(each.id),
            Text(each.province),
            str(each.year),
            Text(each.decision_number),
            dmy(each.decision_issued),
            Text(name),
            dmy_hm(each.imported_at),
        )
    return table


# --------------------------------------------------------------------------- JSON


def points(value: Decimal) -> str:
    """Points in JSON as the catalogue's own JSON writes them: "100", "0.5"."""
    return str(plain(value))


def summary_document(catalogue: Catalogue) -> dict[str, Any]:
    bonus, penalty = caps(catalogue)
    return {
        "name": catalogue.name,
        "province": catalogue.province,
        "year": catalogue.year,
        "sample": catalogue.sample,
        "decision": catalogue.decision.model_dump(mode="json"),
        "areas": len(catalogue.areas),
        "scored_items": len(list(catalogue.leaves())),
        "max_points": points(catalogue.max_points),
        "bonus_cap": points(bonus),
        "penalty_cap": points(penalty),
    }


def list_document(summary: CatalogueSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "province": summary.province,
        "year": summary.year,
        "decision_number": summary.decision_number,
        "decision_issued": summary.decision_issued.isoformat(),
        "name": summary.name,
        "sample": summary.sample,
        "fingerprint": summary.fingerprint,
        "source_file": summary.source_file,
        "imported_by": summary.imported_by,
        "imported_at": summary.imported_at.isoformat(),
    }
