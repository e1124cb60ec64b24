"""`cchc round`: the year-end PAR round of a commune, as a durable workflow: opened by the
supervising authority with its dates, then moved step by step by the people of each role."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import typer
from rich.console import Console

from cli.assess import PlanCompletionOption, parse_points
from cli.errors import at_the_edge
from cli.options import JsonOption, YearOption
from cli.plans import database, print_json
from cli.round_client import (
    DecisionDateOption,
    DecisionOption,
    SignerOption,
    current,
    decision_of,
    published_line,
    take_step,
)
from config import get_settings
from domain.assessment_round import RoundEntryKind, RoundEvent, RoundRole
from domain.calendar import TZ
from domain.scoring import number
from domain.vocabulary import label
from persistence.plans import find_plan_id
from services.assessment import plan_scope
from services.rounds import BadOpening, check_opening, open_round
from temporal_client import connect
from workflows.round_contracts import RoundInput, RoundRequest

app = typer.Typer(
    help="Đợt đánh giá Chỉ số CCHC của xã: mở, phê duyệt, gửi, thẩm định, công bố (PAR round).", no_args_is_help=True
)

CommuneOption = Annotated[str, typer.Option("--commune", help="Tên xã, như trong kế hoạch (commune).")]
RoundYear = Annotated[int, typer.Option("--year", help="Năm được đánh giá (year).")]


@app.command("open")
@at_the_edge
def open_command(
    plan: Annotated[str, typer.Option("--plan", help="id hoặc số kế hoạch CCHC của năm được đánh giá.")],
    catalogue: Annotated[int, typer.Option("--catalogue", help="id của bộ tiêu chí (xem: cchc catalogue list).")],
    submission_due: Annotated[
        datetime, typer.Option("--submission-due", formats=["%d/%m/%Y"], help="Hạn gửi hồ sơ tự đánh giá dd/mm/yyyy.")
    ],
    explanation_due: Annotated[
        datetime, typer.Option("--explanation-due", formats=["%d/%m/%Y"], help="Hạn giải trình dd/mm/yyyy.")
    ],
    opens: Annotated[
        datetime | None,
        typer.Option("--opens", formats=["%d/%m/%Y"], help="Ngày mở tự đánh giá dd/mm/yyyy (mặc định hôm nay)."),
    ] = None,
    plan_completion: PlanCompletionOption = None,
    year: YearOption = None,
) -> None:
    """Mở đợt đánh giá cho xã của kế hoạch, với các hạn của đợt (open a round)."""
    with database(get_settings().effective_database_url) as session_factory, session_factory() as session:
        plan_id = find_plan_id(session, plan, year=year)
        commune, assessed_year = plan_scope(session, plan_id)
        round_input = RoundInput(
            commune=commune, year=assessed_year, plan_id=plan_id, catalogue_id=catalogue,
            plan_completion_codes=tuple(plan_completion or ()), opens=(opens or datetime.now(TZ)).date(),
            submission_due=submission_due.date(), explanation_due=explanation_due.date(),
        )  # fmt: skip
        try:
            check_opening(session, round_input)
        except BadOpening as exc:
            raise typer.BadParameter(str(exc)) from None
    opened = asyncio.run(_open(round_input))
    verb = "Đã mở" if opened else "Đã mở từ trước"
    typer.echo(
        f"{verb} đợt đánh giá Chỉ số CCHC năm {assessed_year} của {commune}; "
        f"hạn gửi hồ sơ {round_input.submission_due:%d/%m/%Y}."
    )


@app.command("act")
@at_the_edge
def act_command(
    step: Annotated[
        RoundEvent, typer.Argument(help="approve, reopen, submit, appraise, request_explanation, answer, publish.")
    ],
    commune: CommuneOption,
    round_year: RoundYear,
    user: Annotated[str, typer.Option("--as", help="Người thực hiện (user).")],
    role: Annotated[RoundRole, typer.Option("--role", help="chairman, office hoặc appraiser.")],
    code: Annotated[
        list[str] | None,
        typer.Option("--code", help="Mã tiêu chí (appraise: một; request_explanation: một hoặc nhiều)."),
    ] = None,
    points: Annotated[str | None, typer.Option("--points", help="Điểm thẩm định, ví dụ 1,5.")] = None,
    note: Annotated[str, typer.Option("--note", help="Ghi chú, nội dung giải trình hoặc yêu cầu.")] = "",
    decision: DecisionOption = None,
    decision_date: DecisionDateOption = None,
    signer: SignerOption = None,
) -> None:
    """Một bước của đợt đánh giá, theo vai trò (one step of the round); công bố ghi quyết định của tỉnh."""
    request = RoundRequest(
        event=step,
        user=user,
        role=role,
        note=note,
        codes=tuple(code or ()),
        points=parse_points(points) if points is not None else None,
        decision=decision_of(decision, decision_date, signer),
    )
    take_step(commune, round_year, request)


@app.command("status")
@at_the_edge
def status_command(commune: CommuneOption, round_year: RoundYear, as_json: JsonOption = False) -> None:
    """Đợt đánh giá đang ở bước nào, hạn nào, điểm tự chấm và điểm thẩm định (round status)."""
    snapshot = current(commune, round_year)
    if as_json:
        print_json(snapshot.model_dump(mode="json"))
        return
    console = Console()
    console.print(f"Đợt đánh giá năm {round_year} của {commune}: {label(snapshot.state)}", markup=False)
    if snapshot.deadline:
        console.print(f"Hạn đang tính: {snapshot.deadline:%d/%m/%Y}", markup=False)
    if snapshot.self_score is not None:
        console.print(f"Điểm tự chấm đã gửi: {number(snapshot.self_score)}", markup=False)
    for code, given in snapshot.appraised.items():
        console.print(f"Thẩm định tiêu chí {code}: {number(Decimal(given))}", markup=False)
    if line := published_line(snapshot):
        console.print(line, markup=False)
    for entry in snapshot.timeline:
        what = label(RoundEntryKind(entry.kind))
        console.print(f"{entry.at:%d/%m/%Y %H:%M}  {what}  {entry.actor}  {entry.detail}", markup=False)


async def _open(round_input: RoundInput) -> bool:
    return await open_round(await connect(get_settings()), round_input, task_queue=get_settings().task_queue)
