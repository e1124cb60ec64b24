"""A stored evidence file is a commune's: the migration that brings the table in hands each
commune the files its tasks already cite, and nothing of another commune's."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select

from domain.calendar import TZ
from persistence.evidence_tables import EvidenceFileRow
from persistence.task_tables import TaskEventRow, TaskRunRow
from tests.persistence.migrating import migrated_over

OURS, THEIRS = "a" * 64, "b" * 64


def test_the_migration_makes_each_file_a_task_cited_a_file_of_that_task_commune(database_url):
    def fill(connection):
        connection.execute(insert(TaskRunRow), [_run("vk/1", "Vĩnh Khê"), _run("lda/1", "Long Điền A")])
        connection.execute(
            insert(TaskEventRow),
            [
                _submitted("vk/1", 1, OURS, "lan", datetime(2024, 2, 1, 9, tzinfo=TZ)),
                _submitted("vk/1", 2, OURS, "hoa", datetime(2024, 3, 1, 9, tzinfo=TZ)),
                _submitted("lda/1", 1, THEIRS, "minh", datetime(2024, 2, 2, 9, tzinfo=TZ)),
            ],
        )

    with migrated_over(database_url, "0017", fill) as connection:
        rows = connection.execute(
            select(EvidenceFileRow.commune, EvidenceFileRow.sha256, EvidenceFileRow.uploaded_by)
        ).all()

    assert sorted(rows) == [("Long Điền A", THEIRS, "minh"), ("Vĩnh Khê", OURS, "lan")]


def _run(workflow_id: str, commune: str) -> dict:
    return {
        "workflow_id": workflow_id,
        "commune": commune,
        "plan_id": 1,
        "task_code": "I.1",
        "occurrence_key": "2024-Q1",
        "title": "Nhiệm vụ",
        "state": "evidence_submitted",
        "due_date": date(2024, 3, 29),
        "lead": ["Văn phòng"],
        "escalation_level": 0,
        "last_seq": 2,
        "updated_at": datetime(2024, 3, 1, 9, tzinfo=TZ),
    }


def _submitted(workflow_id: str, seq: int, sha256: str, actor: str, at: datetime) -> dict:
    return {
        "workflow_id": workflow_id,
        "seq": seq,
        "at": at,
        "kind": "submit_evidence",
        "state": "evidence_submitted",
        "actor": actor,
        "role": "officer",
        "detail": "",
        "payload": {"document_number": "15/QĐ-UBND", "document_date": "2024-01-10", "title": "QĐ", "sha256": sha256},
    }
