"""The CLI's way to a round: one Temporal client per command, the steps and reads of
services/rounds.py, and the one line that says where a round stands after a step."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

import typer

from config import get_settings
from domain.vocabulary import label
from services.rounds import RoundNotFound, act_on_round, round_snapshot
from temporal_client import connect
from workflows.round_contracts import PublicationDecision, RoundRequest, RoundSnapshot

DecisionOption = Annotated[
    str | None, typer.Option("--decision", help="Số quyết định công bố kết quả của tỉnh, ví dụ 125/QĐ-UBND.")
]
DecisionDateOption = Annotated[
    datetime | None, typer.Option("--decision-date", formats=["%d/%m/%Y"], help="Ngày ban hành quyết định dd/mm/yyyy.")
]
SignerOption = Annotated[str | None, typer.Option("--signer", help="Người ký quyết định (họ tên, chức vụ).")]


def decision_of(number: str | None, day: datetime | None, signer: str | None) -> PublicationDecision | None:
    """The publishing decision the options name; None when they name none."""
    if number is None and day is None and signer is None:
        return None
    if number is None or day is None or signer is None:
        raise typer.BadParameter("quyết định công bố: ghi đủ --decision, --decision-date và --signer")
    return PublicationDecision(number=number, issued=day.date(), signer=signer)


def published_line(snapshot: RoundSnapshot) -> str | None:
    """ "Kết quả công bố: 85/100 điểm, xếp loại Khá; Quyết định số ... ngày ..., người ký: ..." """
    published = snapshot.published
    return None if published is None else f"Kết quả công bố: {published.summary}; {published.decision.reference}."


def take_step(commune: str, year: int, request: RoundRequest) -> RoundSnapshot:
    """Take `request`'s step and say where the round stands after it."""

    async def step() -> RoundSnapshot:
        return await act_on_round(await connect(get_settings()), commune, year, request)

    snapshot = asyncio.run(step())
    typer.echo(f"Đã ghi. Đợt đánh giá năm {year} của {commune}: {label(snapshot.state)}.")
    if line := published_line(snapshot):
        typer.echo(line)
    return snapshot


def current(commune: str, year: int) -> RoundSnapshot:
    async def read() -> RoundSnapshot | None:
        return await round_snapshot(await connect(get_settings()), commune, year)

    snapshot = asyncio.run(read())
    if snapshot is None:
        raise RoundNotFound(commune, year)
    return snapshot
