"""How the web reads an uploaded plan: the reading web.reading_apart runs in a child process."""

from __future__ import annotations

from pathlib import Path

from importers import ImportResult, PlanInputError, read_plan


def read_uploaded_plan(
    path: Path, *, year: int | None, commune: str | None, own_commune: str | None, max_bytes: int
) -> ImportResult:
    """A user of every commune (`own_commune` None) may say whose plan it is; a commune user's
    plan is read as it names its commune, and as theirs only when it names none (then checked
    by the caller)."""
    if own_commune is None:
        return read_plan(path, year=year, commune=commune, max_bytes=max_bytes)
    try:
        return read_plan(path, year=year, max_bytes=max_bytes)
    except PlanInputError:
        return read_plan(path, year=year, commune=own_commune, max_bytes=max_bytes)
