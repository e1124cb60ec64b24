"""The commune's self-assessment (tự đánh giá, chấm điểm) against a criteria catalogue.

`assessment_entries` holds what an officer decided for one scored item of a commune's year:
a score entered by hand (with its reason) and/or a written explanation (giải trình) for an
item without evidence. `office_evidence` holds the documents the office adds for an item
beyond the tracked tasks' approved evidence (a decision issued outside the plan, a report
from another system), with the page relied on. `criteria_mappings` keeps each change the
office made to which sub-criteria a plan's task counts for (`tasks.criteria`), written once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class AssessmentEntryRow(Base):
    __tablename__ = "assessment_entries"
    __table_args__ = (UniqueConstraint("commune", "year", "catalogue_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("criteria_catalogues.id"))
    code: Mapped[str] = mapped_column(String(50))
    points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # None: only an explanation
    reason: Mapped[str] = mapped_column(Text)  # why these points ("" without points)
    explanation: Mapped[str | None] = mapped_column(Text)  # giải trình, for an item without evidence
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(AwareDateTime)


class OfficeEvidenceRow(Base):
    __tablename__ = "office_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("criteria_catalogues.id"))
    code: Mapped[str] = mapped_column(String(50))
    document_number: Mapped[str] = mapped_column(String(100))  # "15/QĐ-UBND"
    document_date: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)  # trích yếu
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the file, when one is kept
    page: Mapped[str | None] = mapped_column(String(50))  # the page relied on: "3", "2-4"
    signed: Mapped[bool] = mapped_column(Boolean)  # digitally signed (ký số)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(AwareDateTime)


class CriteriaMappingRow(Base):
    __tablename__ = "criteria_mappings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    task_code: Mapped[str] = mapped_column(String(50))
    before: Mapped[list[Any]] = mapped_column(JSON)  # the codes it counted for
    after: Mapped[list[Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(AwareDateTime)
