"""Every table of the product, for migrations and schema checks.

Import each table module here: Alembic's env.py and the schema tests read `metadata`,
so a table module missing from this list would look like a table to drop.
"""

from persistence import (  # noqa: F401  (imported for their tables)
    amendment_tables,
    archive_tables,
    assessment_tables,
    catalogue_tables,
    evidence_tables,
    mail_tables,
    people_tables,
    round_tables,
    scheduler_tables,
    tables,
    task_tables,
    user_tables,
)
from persistence.tables import Base

metadata = Base.metadata
