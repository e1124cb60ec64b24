"""The SQL tables (SQLAlchemy 2.0 typed mappings). Every row belongs to one commune.

A plan's own rows (sections, tasks, their units, occurrences) hang off `plans` and are
deleted with it. `units` is the commune's directory of departments, shared by its plans;
`plan_units` and `task_units` keep each plan's spelling of a unit next to the directory id.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from persistence.types import AwareDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON that maps Python None to SQL NULL (not the JSON literal null).
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CommuneRow(Base):
    __tablename__ = "communes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(20))  # CommuneKind: xa, phuong, dac_khu
    code: Mapped[str | None] = mapped_column(String(5))  # mã đơn vị hành chính
    district: Mapped[str | None] = mapped_column(String(200))  # "huyện Vĩnh Linh", before 1/7/2025
    province: Mapped[str | None] = mapped_column(String(200))  # "tỉnh Quảng Trị"


class CommunePredecessorRow(Base):
    """A commune merged into another in a reform: its history continues under `commune`."""

    __tablename__ = "commune_predecessors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200), index=True)
    predecessor: Mapped[str] = mapped_column(String(200), unique=True)  # merged once, into one commune
    merged_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(300))  # the resolution that merged it, e.g. NQ 1656/NQ-UBTVQH15


class UnitRow(Base):
    """The commune's directory of units (departments), keyed by the normalised name."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("commune_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))

    commune: Mapped[CommuneRow] = relationship()


class PlanRow(Base):
    __tablename__ = "plans"
    # A plan is its commune's: another commune's plan with the same issuer, number and year is another plan.
    __table_args__ = (UniqueConstraint("commune_id", "issuer", "number", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    reporting_calendar: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_file: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime)

    commune: Mapped[CommuneRow] = relationship()
    units: Mapped[list[PlanUnitRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PlanUnitRow.position"
    )
    sections: Mapped[list[SectionRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SectionRow.position"
    )
    tasks: Mapped[list[TaskRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TaskRow.position"
    )


class PlanUnitRow(Base):
    """The plan's unit directory, in the plan's order and spelling."""

    __tablename__ = "plan_units"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    unit: Mapped[UnitRow] = relationship()


class SectionRow(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(50))
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    product: Mapped[str | None] = mapped_column(Text)
    period_text: Mapped[str] = mapped_column(Text)
    recurrence: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[list[str]] = mapped_column(JSON)
    budget: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)

    units: Mapped[list[TaskUnitRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="TaskUnitRow.position"
    )
    occurrences: Mapped[list[OccurrenceRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OccurrenceRow.position"
    )


class TaskUnitRow(Base):
    """A task's lead and coordinating units, in the order the plan names them."""

    __tablename__ = "task_units"
    __table_args__ = (CheckConstraint("role IN ('lead', 'coordinating')", name="role"),)

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # as the plan spells it

    unit: Mapped[UnitRow] = relationship()


class OccurrenceRow(Base):
    __tablename__ = "occurrences"
    __table_args__ = (UniqueConstraint("task_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    due_at: Mapped[datetime] = mapped_column(AwareDateTime)
    rule: Mapped[str] = mapped_column(String(20))
    source_text: Mapped[str] = mapped_column(Text)
    past_due_at_issue: Mapped[bool] = mapped_column(default=False)
