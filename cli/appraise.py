"""`cchc appraise ...`: the supervising authority's side of the PAR round: score a commune's
sub-criterion, ask for an explanation, publish; and the communes side by side, ranked."""

from __future__ import annotations

import getpass
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from cli.assess import parse_points
from cli.errors import at_the_edge
from cli.options import JsonOption
from cli.plans import UserOption, database, print_json
from cli.round_client import DecisionDateOption, DecisionOption, SignerOption, decision_of, take_step
from config import get_settings
from domain.assessment_round import RoundEvent, RoundRole
from domain.calendar import TZ
from domain.formatting import rate
from domain.scoring import number
from domain.vocabulary import label
from persistence.tables import CommuneRow
from services.supervision import CommuneRound, overview_document, round_overview
from workflows.round_contracts import PublicationDecision, RoundRequest

app = typer.Typer(
    help="Thẩm định Chỉ số CCHC của các xã: chấm điểm, yêu cầu giải trình, công bố, xếp hạng (appraise).",
    no_args_is_help=True,
)

CommuneOption = Annotated[str, typer.Option("--commune", help="Tên xã được thẩm định (commune).")]
RoundYear = Annotated[int, typer.Option("--year", help="Năm được đánh giá (year).")]
NoteOption = Annotated[str, typer.Option("--note", help="Nhận xét của Tổ thẩm định (comment).")]


@app.command("score")
@at_the_edge
def score_command(
    code: Annotated[str, typer.Argument(help="Mã tiêu chí thành phần, ví dụ 1.1.2.")],
    given: Annotated[str, typer.Argument(metavar="POINTS", help="Điểm thẩm định, ví dụ 1,5.")],
    commune: CommuneOption,
    year: RoundYear,
    user: UserOption = None,
    note: NoteOption = "",
) -> None:
    """Chấm điểm thẩm định một tiêu chí, có nhận xét (score one sub-criterion)."""
    _step(commune, year, RoundEvent.APPRAISE, user, note, codes=(code,), points=parse_points(given))


@app.command("ask")
@at_the_edge
def ask_command(
    codes: Annotated[list[str], typer.Argument(help="Mã các tiêu chí cần giải trình.")],
    commune: CommuneOption,
    year: RoundYear,
    user: UserOption = None,
    note: NoteOption = "",
) -> None:
    """Yêu cầu xã giải trình các tiêu chí (ask for an explanation)."""
    _step(commune, year, RoundEvent.REQUEST_EXPLANATION, user, note, codes=tuple(codes))


@app.command("publish")
@at_the_edge
def publish_command(
    commune: CommuneOption,
    year: RoundYear,
    decision: DecisionOption = None,
    decision_date: DecisionDateOption = None,
    signer: SignerOption = None,
    user: UserOption = None,
    note: NoteOption = "",
) -> None:
    """Công bố kết quả thẩm định của xã theo quyết định của tỉnh, kèm xếp loại (publish)."""
    _step(commune, year, RoundEvent.PUBLISH, user, note, decision=decision_of(decision, decision_date, signer))


@app.command("list")
@at_the_edge
def list_command(
    year: Annotated[int, typer.Argument(help="Năm được đánh giá.")],
    commune: Annotated[list[str] | None, typer.Option("--commune", help="Chỉ các xã này (mặc định: mọi xã).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Các xã cạnh nhau: đã gửi chưa, điểm tự chấm, điểm thẩm định, xếp hạng (ranking)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        communes = commune or list(session.scalars(select(CommuneRow.name).order_by(CommuneRow.name)))
        rows = round_overview(session, year, communes, datetime.now(TZ))
    if as_json:
        print_json({"year": year, "communes": [overview_document(row) for row in rows]})
    else:
        Console().print(overview_table(year, rows))


def _step(
    commune: str,
    year: int,
    event: RoundEvent,
    user: str | None,
    note: str,
    *,
    codes: tuple[str, ...] = (),
    points: Decimal | None = None,
    decision: PublicationDecision | None = None,
) -> None:
    request = RoundRequest(
        event=event,
        user=user or getpass.getuser(),
        role=RoundRole.APPRAISER,
        note=note,
        codes=codes,
        points=points,
        decision=decision,
    )
    take_step(commune, year, request)


def overview_table(year: int, rows: list[CommuneRound]) -> Table:
    table = Table(title=f"Chỉ số CCHC năm {year}: các xã và xếp hạng")
    table.add_column("Hạng")
    table.add_column("Xã", no_wrap=True)  # a commune's name is read whole, the other columns wrap
    headers = (
        "Bước",
        "Tự chấm",
        "Thẩm định",
        "Xếp loại",
        "Thiếu tài liệu kiểm chứng",
        "Quá hạn",
        "Đúng hạn",
        "Theo chỉ đạo",
    )
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(
            str(row.rank or "—"),
            row.commune,
            label(row.state) if row.state else "chưa mở",
            _points(row.self_score, row.max_points),
            _points(row.appraised_score, row.max_points),
            row.published.classification if row.published else "—",
            str(len(row.missing_evidence)),
            str(row.overdue_tasks),
            _rate(row.on_time_rate),
            _rate(row.on_time_rate_directed),
        )
    return table


def _rate(share: float | None) -> str:
    return "—" if share is None else rate(share)


def _points(value: Decimal | None, top: Decimal | None) -> str:
    return "—" if value is None else f"{number(value)}/{number(top)}" if top is not None else number(value)
