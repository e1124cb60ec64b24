"""APScheduler's job store table, owned by our migrations.

`SQLAlchemyJobStore` would create it on first start; declaring it here (the same columns as
APScheduler 3.x declares) keeps every table of the database under Alembic, so a migration
check never sees a stranger and never proposes to drop it.
"""

from __future__ import annotations

from sqlalchemy import Float, LargeBinary, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base

JOBS_TABLE = "apscheduler_jobs"


class SchedulerJobRow(Base):
    __tablename__ = JOBS_TABLE

    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)
