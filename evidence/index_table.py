"""The year-end package's index, one row per approved document (one per occurrence without
any): the same columns in index.xlsx and index.html."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.vocabulary import label
from evidence.year_end import Document, OccurrenceRecord

HEADERS = (
    "STT",
    "Tiêu chí / Mục",
    "Mã nhiệm vụ",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Kỳ",
    "Hạn",
    "Ngày hoàn thành",
    "Kết quả",
    "Số văn bản",
    "Ngày văn bản",
    "Trích yếu",
    "Tệp trong gói",
    "SHA-256",
)
FILES_COLUMN = HEADERS.index("Tệp trong gói")
MISSING_FILE = "THIẾU TỆP trong kho tài liệu"


@dataclass(frozen=True)
class IndexRow:
    number: int  # the occurrence's place in the plan, from 1
    record: OccurrenceRecord
    document: Document | None
    files: tuple[str, ...]  # where the document is in the package; () when the store lacks it

    def cells(self) -> list[str]:
        record, document = self.record, self.document
        return [
            str(self.number),
            ", ".join(group.label for group in record.groups),
            record.task_code,
            record.title,
            ", ".join(record.lead),
            record.period,
            f"{record.due:%d/%m/%Y}",
            f"{record.approved_at:%d/%m/%Y}" if record.approved_at else "",
            outcome(record),
            document.number if document else "",
            f"{document.day:%d/%m/%Y}" if document else "",
            document.title if document else "",
            "\n".join(self.files) if self.files or not document else MISSING_FILE,
            document.sha256 if document else "",
        ]


def index_rows(records: Iterable[OccurrenceRecord], files: Mapping[tuple[str, str], tuple[str, ...]]) -> list[IndexRow]:
    """The rows for `records`; `files` maps (workflow id, sha256) to the document's paths."""
    rows = []
    for number, record in enumerate(records, start=1):
        documents = record.evidence or (None,)
        for document in documents:
            paths = files.get((record.workflow_id, document.sha256), ()) if document else ()
            rows.append(IndexRow(number, record, document, paths))
    return rows


def outcome(record: OccurrenceRecord) -> str:
    """On time, late by N days, stopped ...: how the occurrence ended, for people."""
    if record.state is None:
        return "Chưa khởi động"
    if record.days_late is not None:
        return "Hoàn thành đúng hạn" if record.days_late == 0 else f"Hoàn thành trễ hạn {record.days_late} ngày"
    words = label(record.state)
    return f"Chưa hoàn thành ({words})" if record.open else words.capitalize()
