"""Dates, moments and rates as people in Viet Nam read them: 24/01/2024, 24/01/2024 08:00, 85,7%."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import TZ


def dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def dmy_hm(moment: datetime) -> str:
    """An instant in Viet Nam's time: 24/01/2024 08:00."""
    return f"{moment.astimezone(TZ):%d/%m/%Y %H:%M}"


def rate(share: float) -> str:
    """A share as a percentage with one decimal, after a decimal comma: 85,7%."""
    return f"{share:.1%}".replace(".", ",")
