"""Amendments of started plans: which document changed what, who confirmed it, and the plan
as it stood before (the stored plan itself becomes the amended version).

One row per amending document and plan, written when the amendment is confirmed; applying
it to the running workflows fills `outcomes`, and a re-run (after a crash half-way) applies
the same recorded changes again, each change idempotent on its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class AmendmentRow(Base):
    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("plan_id", "source_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    document_number: Mapped[str] = mapped_column(String(100))
    document_date: Mapped[date] = mapped_column(Date)
    document_title: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64))
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_role: Mapped[str] = mapped_column(String(20))
    confirmed_at: Mapped[datetime] = mapped_column(AwareDateTime)
    previous: Mapped[dict[str, Any]] = mapped_column(JSON)  # the plan before, as domain.models.Plan JSON
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # domain.plan_changes.Change, as JSON
    outcomes: Mapped[dict[str, str]] = mapped_column(JSON)  # change id -> what applying it did
