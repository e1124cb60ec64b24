"""Which commune holds which stored evidence file.

The evidence store keeps each content once, under its SHA-256 (evidence/store.py); this table
is what a commune may cite: a file is its own only once one of its people uploaded it (or a
task of the commune cited it before the table existed). A hash another commune uploaded is,
to this commune, a hash that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import AwareDateTime


class EvidenceFileRow(Base):
    """A stored file as one commune's: who of it uploaded the content first, and when."""

    __tablename__ = "evidence_files"
    __table_args__ = (UniqueConstraint("commune", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(AwareDateTime)
