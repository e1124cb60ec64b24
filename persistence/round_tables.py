"""The PAR rounds' events in SQL, as their workflows record them: one row per event, in each
round's own sequence, written once (a retried activity writes nothing new)."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.task_tables import WORKFLOW_ID, TimelineColumns


class RoundEventRow(TimelineColumns, Base):
    __tablename__ = "round_events"
    __table_args__ = (UniqueConstraint("workflow_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_id: Mapped[str] = mapped_column(WORKFLOW_ID, index=True)
    commune: Mapped[str] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # the audit chain's link, as task_events.chain_hash (evidence/audit_log.py)
    chain_hash: Mapped[str | None] = mapped_column(String(64))
