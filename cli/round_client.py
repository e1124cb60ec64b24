"""The CLI's way to a round: one Temporal client per command, the steps and reads of
services/rounds.py, and the one line that says where a round stands after a step."""

from __future__ import annotations

import asyncio

import typer

from config import get_settings
from domain.vocabulary import label
from services.rounds import RoundNotFound, act_on_round, round_snapshot
from temporal_client import connect
from workflows.round_contracts import RoundRequest, RoundSnapshot


def take_step(commune: str, year: int, request: RoundRequest) -> RoundSnapshot:
    """Take `request`'s step and say where the round stands after it."""

    async def step() -> RoundSnapshot:
        return await act_on_round(await connect(get_settings()), commune, year, request)

    snapshot = asyncio.run(step())
    typer.echo(f"Đã ghi. Đợt đánh giá năm {year} của {commune}: {label(snapshot.state)}.")
    return snapshot


def current(commune: str, year: int) -> RoundSnapshot:
    async def read() -> RoundSnapshot | None:
        return await round_snapshot(await connect(get_settings()), commune, year)

    snapshot = asyncio.run(read())
    if snapshot is None:
        raise RoundNotFound(commune, year)
    return snapshot
