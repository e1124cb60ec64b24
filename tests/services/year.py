"""A commune's 2025 year for the self-assessment tests: a small plan stored with its tasks
mapped to the sample catalogue's codes, and what became of each occurrence, recorded through
the record activity as the workflows record it (with the evidence submitted before approval)."""

from __future__ import annotations

import asyncio
import enum
import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import ActivityEnvironment

from activities.events import TaskActivities
from domain.calendar import TZ
from domain.criteria import Catalogue
from domain.lifecycle import TaskState
from domain.models import DueRule, Plan, Recurrence, ReportingCalendar, Section, Task, Unit
from domain.roles import Role
from domain.units import unit_key
from importers.catalogue import read_catalogue
from persistence.plans import save_plan
from services.assessment import assessment_sheet, explain
from services.catalogues import import_catalogue
from tests.conftest import occurrence
from workflows.contracts import RecordedEvent, TimelineEntry, task_workflow_id
from workflows.round_contracts import PublicationDecision

SAMPLE = Path(__file__).resolve().parents[2] / "importers" / "samples" / "sample-criteria-2025.yaml"
OFFICE = "Văn phòng"
AFTER_THE_YEAR = datetime(2026, 1, 15, 9, tzinfo=TZ)
MONTHS = range(1, 11)  # the ten monthly occurrences of task I.1
# The province's decision publishing the year's results.
DECISION = PublicationDecision(
    number="125/QĐ-UBND", issued=date(2026, 2, 10), signer="Phó Chủ tịch UBND tỉnh Nguyễn Văn Bình"
)


class Fate(enum.Enum):
    ON_TIME = "on time"  # approved on its due date
    LATE = "late"  # approved five days after it
    OPEN = "open"  # never approved
    WAIVED = "waived"  # stopped by the chairman, no amending document cited
    AMENDED_OUT = "amended out"  # stopped citing the amending plan that took it out
    EXTENDED = "extended"  # a leader extended it by ten days; approved five days after its first due date
    AMENDED = "amended"  # as EXTENDED, the extension citing an amending plan


# What the leader wrote when moving or stopping a task.
NOTES = {"extend_deadline": "Chờ số liệu của các bộ phận", "waive": "Nội dung đã lồng ghép vào nhiệm vụ khác"}


# Who issued a product other than the commune's UBND (its events' "issuer", empty otherwise).
ISSUERS = {Fate.AMENDED: "Ban Chỉ đạo CCHC xã"}


def month_end(month: int) -> date:
    return (date(2025, month + 1, 1) if month < 12 else date(2026, 1, 1)) - timedelta(days=1)


COMMUNE = "Xã Mẫu"


def sample_plan(commune: str = COMMUNE) -> Plan:
    """Task I.1 ten times (January to October) for 1.1.2; task I.2 once, in January, for 1.1.1."""
    monthly = tuple(
        occurrence(
            f"2025-{m:02}",
            date(2025, m, 1),
            month_end(m),
            f"Tháng {m}/2025",
            month_end(m),
            DueRule.PERIOD_END,
            f"Tháng {m}/2025",
        )
        for m in MONTHS
    )
    issued = occurrence(
        "2025-01",
        date(2025, 1, 1),
        date(2025, 1, 31),
        "Tháng 1/2025",
        date(2025, 1, 31),
        DueRule.PERIOD_END,
        "Tháng 1/2025",
    )
    return Plan(
        number="12/KH-UBND",
        date=date(2025, 1, 6),
        issuer=f"UBND {commune}",
        commune=commune,
        year=2025,
        title="Kế hoạch CCHC năm 2025",
        reporting_calendar=ReportingCalendar(deadlines=(), source_text=""),
        sections=(Section(code="I", title="CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC"),),
        units=(Unit(key=unit_key(OFFICE), name=OFFICE),),
        tasks=(
            Task(
                code="I.1",
                section="I",
                number="1",
                title="Thực hiện nhiệm vụ CCHC hằng tháng",
                lead=(OFFICE,),
                period_text="Hằng tháng",
                recurrence=Recurrence.PERIODIC,
                criteria=("1.1.2",),
                occurrences=monthly,
            ),
            Task(
                code="I.2",
                section="I",
                number="2",
                title="Ban hành Kế hoạch CCHC năm 2025",
                lead=(OFFICE,),
                period_text="Tháng 1/2025",
                recurrence=Recurrence.ONCE,
                criteria=("1.1.1",),
                occurrences=(issued,),
            ),
        ),
    )


def store(session_factory, commune: str = COMMUNE, catalogue: Catalogue | None = None) -> tuple[int, int]:
    """The commune's sample plan and the catalogue (the sample's by default) stored: (plan id, catalogue id)."""
    with session_factory.begin() as session:
        plan_id = save_plan(session, sample_plan(commune), source_file="ke-hoach.txt", source_sha256="ab" * 32).plan_id
        catalogue_id = import_catalogue(
            session,
            catalogue or read_catalogue(SAMPLE),
            source_file=SAMPLE.name,
            source_sha256="cd" * 32,
            actor="lan",
            now=AFTER_THE_YEAR,
        ).catalogue_id
    return plan_id, catalogue_id


def sample_with(changes: dict[str, dict[str, Any]], **top: Any) -> Catalogue:
    """The sample catalogue with some items' fields changed (`{"1.1.1": {"rule": ...}}`) and
    its own top-level fields (`bands=...`); under another decision number, as a revised set is."""
    data = read_catalogue(SAMPLE).model_dump(mode="json")

    def change(items: list[dict[str, Any]]) -> None:
        for item in items:
            item.update(changes.get(item["code"], {}))
            change(item.get("subcriteria", []) + item.get("criteria", []))

    change(data["areas"])
    data["decision"]["number"] = "0001/QĐ-UBND (mẫu, sửa đổi)"
    return Catalogue.model_validate({**data, **top})


def monthly(*fates: Fate) -> dict[tuple[str, str], Fate]:
    """The fates of I.1's occurrences, January first."""
    return {("I.1", f"2025-{m:02}"): fate for m, fate in zip(MONTHS, fates, strict=True)}


def document_number(code: str, key: str) -> str:
    return f"{code}-{key}/BC-UBND"


def live(session_factory, plan_id: int, fates: dict[tuple[str, str], Fate], commune: str = COMMUNE) -> None:
    """Record what became of each occurrence in `fates` (the others never started)."""

    async def record_all() -> None:
        activity = TaskActivities(session_factory).record_event
        for (code, key), fate in fates.items():
            for event in _events(plan_id, code, key, fate, commune):
                assert await ActivityEnvironment().run(activity, event)

    asyncio.run(record_all())


def _events(plan_id: int, code: str, key: str, fate: Fate, commune: str) -> list[RecordedEvent]:
    due = month_end(int(key[-2:]))
    day = due + timedelta(days=5) if fate in (Fate.LATE, Fate.EXTENDED, Fate.AMENDED) else due
    number = document_number(code, key)
    submitted = {
        "document_number": number,
        "document_date": day.isoformat(),
        "title": f"Báo cáo {code} {key}",
        "sha256": hashlib.sha256(number.encode()).hexdigest(),
        "issuer": ISSUERS.get(fate, ""),
    }
    steps: list[tuple[str, TaskState, dict[str, Any]]] = [("acknowledge", TaskState.IN_PROGRESS, {})]
    if fate in (Fate.EXTENDED, Fate.AMENDED):
        extended: dict[str, Any] = {"old_due": due.isoformat(), "new_due": (due + timedelta(days=10)).isoformat()}
        if fate is Fate.AMENDED:
            extended["amendment"] = {"number": "20/KH-UBND", "issued": due.isoformat()}
        steps.append(("extend_deadline", TaskState.IN_PROGRESS, extended))
    if fate is Fate.WAIVED:
        steps.append(("waive", TaskState.WAIVED, {}))
    elif fate is Fate.AMENDED_OUT:
        steps.append(("waive", TaskState.WAIVED, {"amendment": {"number": "30/KH-UBND", "issued": "2025-06-02"}}))
    elif fate is not Fate.OPEN:
        steps += [("submit_evidence", TaskState.EVIDENCE_SUBMITTED, submitted), ("approve", TaskState.APPROVED, {})]
    return [
        RecordedEvent(
            workflow_id=task_workflow_id(plan_id, code, key),
            commune=commune,
            plan_id=plan_id,
            task_code=code,
            occurrence_key=key,
            entry=TimelineEntry(
                seq=seq,
                at=datetime.combine(day, time(8 + seq), tzinfo=TZ),
                kind=kind,
                state=state,
                actor="lan",
                role=Role.REVIEWER,
                detail=NOTES.get(kind, ""),
                data=data,
            ),
            due=due,
            lead=(OFFICE,),
        )
        for seq, (kind, state, data) in enumerate(steps, start=1)
    ]


def explain_what_blocks(
    session_factory, plan_id: int, catalogue_id: int, now: datetime, text: str = "Không phát sinh trong năm"
) -> list[str]:
    """Explain every item that keeps the sheet from being submitted; their codes."""
    with session_factory.begin() as session:
        sheet = assessment_sheet(
            session, plan_id=plan_id, catalogue_id=catalogue_id, plan_completion_codes=("1.1.2",), now=now
        )
        for code in sheet.blocking:
            explain(session, plan_id=plan_id, catalogue_id=catalogue_id, code=code, text=text, actor="lan", now=now)
    return sheet.blocking
