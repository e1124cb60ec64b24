"""`cchc evidence export`: a plan's year-end evidence package (tài liệu kiểm chứng), one ZIP.

    tieu-chi-<code>/<document number>.<ext>   approved evidence per PAR sub-criterion
    muc-<section>/<document number>.<ext>     ... per plan section, for tasks without a code
    index.xlsx, index.html                   every occurrence: due, done, on time or late, evidence, SHA-256
    nhat-ky/<plan>/<task>/<occurrence>.json  the task's audit log: canonical events and chain hashes
    lich-su/<plan>/<task>/<occurrence>/<run id>.json   its archived Temporal histories
    manifest.json                            the SHA-256 of every other file, the chains' head

A document number's "/" becomes "-" ("15/QĐ-UBND" → 15-QĐ-UBND.docx), the extension is the
type its content shows. A file is in the folder of each sub-criterion of its task, once per
folder however many occurrences approved it. Byte for byte reproducible: entries in path
order, written the fixed way (`evidence.fixed_zip`), no timestamp anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from domain.models import Plan
from evidence.archive import archived_runs
from evidence.audit_log import events_by_task, head_of
from evidence.chain import document_of
from evidence.fixed_zip import write_zip
from evidence.index_page import index_page
from evidence.index_sheet import index_workbook
from evidence.index_table import index_rows
from evidence.paths import safe_name, task_folder
from evidence.replay import history_path
from evidence.store import DOC, DOCX, JPEG, ODS, ODT, PDF, PNG, SNIFF_BYTES, XLS, XLSX, EvidenceStore, sniff_type
from evidence.year_end import Document, OccurrenceRecord, year_records
from persistence.archive_tables import ArchivedHistoryRow
from persistence.task_tables import TaskEventRow

FORMAT = "cchc-evidence-package/1"
PLAN_FIELDS = {"number", "date", "issuer", "commune", "year", "title"}
MANIFEST = "manifest.json"
AUDIT_LOG = "nhat-ky"
HISTORIES = "lich-su"
EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    DOC: "doc",
    XLS: "xls",
    ODT: "odt",
    ODS: "ods",
    JPEG: "jpg",
    PNG: "png",
}


@dataclass(frozen=True)
class Entry:
    """A file of the package: bytes made here, or a file of the evidence store."""

    content: bytes | Path
    sha256: str

    @classmethod
    def made(cls, content: bytes) -> Entry:
        return cls(content, hashlib.sha256(content).hexdigest())


@dataclass(frozen=True)
class Missing:
    """Approved evidence whose file the store does not hold (or holds altered)."""

    record: OccurrenceRecord
    document: Document


@dataclass(frozen=True)
class Package:
    plan: Plan
    head: str
    records: list[OccurrenceRecord]
    entries: dict[str, Entry]  # path in the ZIP -> content, manifest.json included
    missing: list[Missing]

    @property
    def evidence_files(self) -> int:
        return sum(1 for path in self.entries if path.startswith(("tieu-chi-", "muc-")))


def build_package(session: Session, store: EvidenceStore, plan_id: int) -> Package:
    plan, records = year_records(session, plan_id)
    ids = [record.workflow_id for record in records]
    events = events_by_task(session, ids, TaskEventRow)
    head = head_of(events)
    entries, where, missing = place_evidence(records, store)
    entries |= audit_log_entries(events)
    entries |= history_entries(run for runs in archived_runs(session, ids).values() for run in runs)
    rows = index_rows(records, where)
    entries["index.xlsx"] = Entry.made(index_workbook(plan, rows, head))
    entries["index.html"] = Entry.made(index_page(plan, rows, head))
    entries[MANIFEST] = Entry.made(manifest(plan, plan_id, head, entries, missing))
    return Package(plan, head, records, entries, missing)


def write_package(package: Package, target: Path) -> None:
    """Write the ZIP to `target` at once: a reader never sees half a package."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".zip.part")
    try:
        with os.fdopen(handle, "wb") as file:
            write_zip(file, ((path, package.entries[path].content) for path in sorted(package.entries)))
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


# --- the parts -------------------------------------------------------------------------------


def place_evidence(
    records: list[OccurrenceRecord], store: EvidenceStore
) -> tuple[dict[str, Entry], dict[tuple[str, str], tuple[str, ...]], list[Missing]]:
    """The evidence files by path; where each (workflow id, sha256) went; what the store lacks."""
    entries: dict[str, Entry] = {}
    placed: dict[tuple[str, str], str] = {}  # (folder, sha256) -> path
    where: dict[tuple[str, str], tuple[str, ...]] = {}
    missing = []
    for record in records:
        for document in record.evidence:
            extension = stored_extension(store, document.sha256)
            if extension is None:
                missing.append(Missing(record, document))
                continue
            paths = []
            for group in record.groups:
                key = (group.folder, document.sha256)
                if key not in placed:
                    placed[key] = free_path(entries, group.folder, document, extension)
                    entries[placed[key]] = Entry(store.path_of(document.sha256), document.sha256)
                paths.append(placed[key])
            where[record.workflow_id, document.sha256] = tuple(paths)
    return entries, where, missing


def stored_extension(store: EvidenceStore, sha256: str) -> str | None:
    """The extension of the stored file's type; None when the store lacks it or its content is
    not what its digest says."""
    if not store.exists(sha256):
        return None
    digest = hashlib.sha256()
    with store.open(sha256) as file:
        head = file.read(SNIFF_BYTES)
        digest.update(head)
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        return None
    kind = sniff_type(head, "")
    return EXTENSIONS.get(kind, "bin") if kind is not None else "bin"


def free_path(entries: Mapping[str, Any], folder: str, document: Document | Any, extension: str) -> str:
    """A path in `folder` named after the document's number, not yet among `entries`."""
    path = f"{folder}/{safe_name(document.number)}.{extension}"
    if path in entries:  # another document with the same number in this folder
        path = f"{folder}/{safe_name(document.number)}-{document.sha256[:8]}.{extension}"
    return path


def audit_log_entries(events: Mapping[str, list[TaskEventRow]]) -> dict[str, Entry]:
    return {
        f"{AUDIT_LOG}/{task_folder(workflow_id)}.json": Entry.made(
            pretty_json(
                {
                    "workflow_id": workflow_id,
                    "events": [{"event": document_of(row), "chain_hash": row.chain_hash} for row in rows],
                }
            )
        )
        for workflow_id, rows in events.items()
    }


def history_entries(runs: Iterable[ArchivedHistoryRow]) -> dict[str, Entry]:
    return {f"{HISTORIES}/{history_path(run)}": Entry.made(run.history.encode()) for run in runs}


def manifest(plan: Plan, plan_id: int, head: str, entries: Mapping[str, Entry], missing: list[Missing]) -> bytes:
    return pretty_json(
        {
            "format": FORMAT,
            "plan": {"id": plan_id, **plan.model_dump(mode="json", include=PLAN_FIELDS)},
            "chain_head": head,
            "files": {path: entry.sha256 for path, entry in entries.items()},
            "missing_evidence": [
                {"workflow_id": m.record.workflow_id, "document_number": m.document.number, "sha256": m.document.sha256}
                for m in missing
            ],
        }
    )


def pretty_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
