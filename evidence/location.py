"""Where a data directory keeps its evidence store, and how a stored file is referred to."""

from __future__ import annotations

from pathlib import Path

from evidence.store import EvidenceStore

EVIDENCE_FOLDER = "evidence"  # <data dir>/evidence


def evidence_store(data_dir: Path) -> EvidenceStore:
    return EvidenceStore(Path(data_dir) / EVIDENCE_FOLDER)


def file_ref(sha256: str) -> str:
    """The `file_ref` an evidence submission carries for a file of the store."""
    return f"{EVIDENCE_FOLDER}/{sha256}"
