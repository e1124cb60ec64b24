"""Criteria catalogues: each version of a province's PAR criteria set, as imported.

A version is decided by one provincial decision for a year and never changes: a revised
set comes with a new decision, so a new row. `content` is the catalogue itself
(`domain.criteria.Catalogue` as JSON); the other columns describe it and find it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class CatalogueRow(Base):
    __tablename__ = "criteria_catalogues"
    __table_args__ = (UniqueConstraint("province", "year", "decision_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    decision_number: Mapped[str] = mapped_column(String(100))
    decision_issued: Mapped[date] = mapped_column(Date)
    decision_issuer: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)
    sample: Mapped[bool] = mapped_column(Boolean)
    fingerprint: Mapped[str] = mapped_column(String(64))  # Catalogue.fingerprint() of `content`
    content: Mapped[dict[str, Any]] = mapped_column(JSON)  # domain.criteria.Catalogue, as JSON
    source_file: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime)
