"""What every request uses, built once by the application's lifespan (never at import time)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from evidence.store import EvidenceStore
from observability.metrics import Metrics
from web.reading_apart import Limits
from web.temporal_access import TemporalAccess

EVIDENCE_FOLDER = "evidence"
IMPORTS_FOLDER = "imports"  # plan files between their preview and their confirmation


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    sessions: sessionmaker[Session]
    temporal: TemporalAccess
    evidence: EvidenceStore
    metrics: Metrics = field(default_factory=Metrics.none)  # the process's (observability/metrics.py)

    @property
    def max_evidence_bytes(self) -> int:
        return self.settings.max_evidence_mb * 2**20

    @property
    def max_import_bytes(self) -> int:
        return self.settings.max_import_mb * 2**20

    @property
    def import_limits(self) -> Limits:
        return Limits(memory_bytes=self.settings.import_memory_mb * 2**20, seconds=self.settings.import_seconds)


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
