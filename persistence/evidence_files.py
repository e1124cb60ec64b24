"""A commune's own evidence files (persistence/evidence_tables.py). The caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from persistence.evidence_tables import EvidenceFileRow
from persistence.inserts import insert_if_missing


def claim_evidence(session: Session, commune: str, sha256: str, uploaded_by: str, now: datetime) -> bool:
    """Make the file with this digest one of `commune`'s; True if it was not one already."""
    row = {"commune": commune, "sha256": sha256, "uploaded_by": uploaded_by, "uploaded_at": now}
    return insert_if_missing(session, EvidenceFileRow, row, key=("commune", "sha256"))


def holds_evidence(session: Session, commune: str, sha256: str) -> bool:
    """Whether someone of `commune` uploaded (or a task of it cited) the file with this digest."""
    query = select(EvidenceFileRow.id).where(EvidenceFileRow.commune == commune, EvidenceFileRow.sha256 == sha256)
    return session.scalar(query) is not None
