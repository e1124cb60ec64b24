"""The people directory: who of a commune receives which emails (see domain/people.py).

A person is never deleted: sent emails name them. Someone no longer in the commune's
directory file is kept inactive, and comes back active when the file names them again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("commune", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    unit: Mapped[str | None] = mapped_column(String(200))  # as the directory file spells it
    unit_key: Mapped[str | None] = mapped_column(String(200), index=True)  # domain.units.unit_key(unit)
    roles: Mapped[list[str]] = mapped_column(JSON)  # officer, head, chairman, vice_chairman, reviewer
    in_charge: Mapped[list[str]] = mapped_column(JSON, default=list)  # a vice chairman's units
    language: Mapped[str] = mapped_column(String(5))  # vi, en
    active: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime)
