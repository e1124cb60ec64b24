"""The demo's year-end PAR round: two communes of one district (huyện Vĩnh Linh) assessed on
the sample catalogue, through the real round workflows on the time-skipping server.

The second commune is a sample too: Vĩnh Thủy, with the Vĩnh Khê plan's tasks issued under its
own name (`neighbour_plan`), and its year run by the same scripted officers. What differs is
the round:

- 01/12: the supervising authority opens both rounds (submission due 15/01, explanations 27/02);
- 05/01: Vĩnh Khê's office scores report quality (1.2.2) at 1, explains the items without
  evidence, the chairman approves and the office submits;
- 13/01: Vĩnh Thủy does the same, scoring 0,5, after two reminders (06/01 and 12/01);
- 20/01: the appraiser lowers Vĩnh Khê's 1.2.2 to 0,75 and asks Vĩnh Thủy to explain 1.1.2;
- 23/01: Vĩnh Thủy answers; 02/02: the appraiser publishes both, by one decision of the province,
  each with its classification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

import importers.samples
from demo.clock import TaskClock
from domain.assessment_round import RoundEvent, RoundRole
from domain.calendar import TZ
from domain.communes import CommuneProfile, level_above, supervising_authority
from domain.models import Plan
from evidence.archive import archive_closed
from importers.catalogue import read_catalogue
from persistence.communes import update_commune
from services.assessment import assessment_sheet, enter_score, explain
from services.catalogues import import_catalogue
from services.criteria_map import map_task
from services.rounds import act_on_round, open_round
from services.supervision import CommuneRound, round_overview
from worker import build_worker
from workflows.contracts import TASK_QUEUE
from workflows.round_contracts import PublicationDecision, RoundInput, RoundRequest, round_workflow_id

SECOND_COMMUNE = "Vĩnh Thủy"
DISTRICT = "huyện Vĩnh Linh"  # the two sample communes' district, until districts were abolished on 1/7/2025
PROVINCE = "tỉnh Quảng Trị"
NEIGHBOUR_NUMBER = "11/KH-UBND"  # its own number, so that "10/KH-UBND" names one plan
CATALOGUE = Path(importers.samples.__file__).parent / "sample-criteria-2025.yaml"
DEMO_USERS = {RoundRole.CHAIRMAN: "chu-tich", RoundRole.OFFICE: "van-phong", RoundRole.APPRAISER: "so-noi-vu"}
WHOLE_PLAN = ("1.1.2",)  # plan completion, counted over every task of the plan
# The sample plan has no "Mã số TCTP" column: the office maps its tasks to the sample
# catalogue's items by hand (cchc assess map), as communes do.
OFFICE_MAPPING = {
    "I.1": ("1.1.1",),
    "I.2": ("1.4.1",),
    "I.3": ("1.3.1",),
    "I.4": ("1.2.1",),
    "VIII.1": ("1.3.2",),
    "II.2": ("2.2.1",),
    "III.2": ("3.1.1",),
    "III.3": ("3.4.2",),
    "V.1": ("5.4",),
    "V.3": ("5.3",),
    "VI.2": ("6.1.2",),
    "VII.1": ("7.4.1",),
    "VII.2": ("7.1.2",),
}
QUALITY = "1.2.2"  # report quality: scored by hand
STEP_HOUR = time(9, 0)


@dataclass(frozen=True)
class Commune:
    name: str
    plan_id: int
    quality: Decimal  # what its office scores 1.2.2
    submits_on: tuple[int, int]  # (day, month) of the year after


def neighbour_plan(plan: Plan) -> Plan:
    """`plan` as the second sample commune issued it: same tasks, its own name and number."""
    return plan.model_copy(
        update={
            "number": NEIGHBOUR_NUMBER,
            "commune": SECOND_COMMUNE,
            "issuer": plan.issuer.replace(plan.commune, SECOND_COMMUNE),
            "title": plan.title.replace(plan.commune, SECOND_COMMUNE),
        }
    )


def sample_catalogue(session: Session, year: int, now: datetime) -> int:
    """The sample catalogue, for the plan's year; its id."""
    catalogue = read_catalogue(CATALOGUE)
    dated = catalogue.model_copy(update={"year": year})
    return import_catalogue(
        session, dated, source_file=CATALOGUE.name, source_sha256="0" * 64, actor="demo", now=now
    ).catalogue_id


async def run_rounds(
    sessions: sessionmaker[Session], env: WorkflowEnvironment, clock: TaskClock, plans: list[tuple[str, int]], year: int
) -> list[CommuneRound]:
    """The two communes' rounds (name and plan id of each), from opening to publication; the
    communes side by side, ranked."""
    communes = [
        Commune(name, plan_id, quality, submits)
        for (name, plan_id), (quality, submits) in zip(
            plans, ((Decimal(1), (5, 1)), (Decimal("0.5"), (13, 1))), strict=True
        )
    ]
    opens = datetime(year, 12, 1, 8, 0, tzinfo=TZ)
    with sessions.begin() as session:
        catalogue_id = sample_catalogue(session, year, opens)
        for commune in communes:
            update_commune(session, CommuneProfile(name=commune.name, district=DISTRICT, province=PROVINCE))
    await clock.advance_to(opens)
    async with build_worker(env.client, sessions, task_queue=TASK_QUEUE):
        for commune in communes:
            await open_round(env.client, _opening(commune, year, catalogue_id, clock.offset), task_queue=TASK_QUEUE)
        for commune in communes:
            await clock.advance_to(_on(year, *commune.submits_on))
            _self_assess(sessions, commune, catalogue_id, _on(year, *commune.submits_on))
            await _step(env, commune.name, year, RoundEvent.APPROVE, RoundRole.CHAIRMAN)
            await _step(env, commune.name, year, RoundEvent.SUBMIT, RoundRole.OFFICE)
        first_commune, second_commune = (commune.name for commune in communes)
        await clock.advance_to(_on(year, 20, 1))
        await _step(
            env,
            first_commune,
            year,
            RoundEvent.APPRAISE,
            RoundRole.APPRAISER,
            codes=(QUALITY,),
            points=Decimal("0.75"),
            note="báo cáo thiếu số liệu quý IV",
        )
        await _step(
            env,
            second_commune,
            year,
            RoundEvent.REQUEST_EXPLANATION,
            RoundRole.APPRAISER,
            codes=WHOLE_PLAN,
            note="đề nghị giải trình các nhiệm vụ chậm hạn",
        )
        await clock.advance_to(_on(year, 23, 1))
        await _step(
            env,
            second_commune,
            year,
            RoundEvent.ANSWER,
            RoundRole.OFFICE,
            note=f"các nhiệm vụ chậm hạn chờ văn bản của {level_above(_on(year, 23, 1).date())}",
        )
        await clock.advance_to(_on(year, 2, 2))
        published = PublicationDecision(
            number=f"{year + 1}/QĐ-UBND (mẫu)", issued=_on(year, 2, 2).date(), signer="Phó Chủ tịch UBND Tỉnh mẫu"
        )
        for commune in communes:
            await _step(env, commune.name, year, RoundEvent.PUBLISH, RoundRole.APPRAISER, decision=published)
        rounds = [round_workflow_id(commune.name, year) for commune in communes]
        for workflow_id in rounds:
            await env.client.get_workflow_handle(workflow_id).result()
        await archive_closed(env.client, sessions, workflow_ids=rounds)
    with sessions() as session:
        return round_overview(session, year, [commune.name for commune in communes], _on(year, 2, 2))


def supervisor(year: int) -> str:
    """Who appraises the round of `year`: the supervising authority on its appraisal day (20/01
    of the year after), the district's Phòng Nội vụ for a round before 2025."""
    return supervising_authority(_on(year, 20, 1).date(), district=DISTRICT, province=PROVINCE)


def _opening(commune: Commune, year: int, catalogue_id: int, offset) -> RoundInput:
    return RoundInput(
        commune=commune.name,
        year=year,
        plan_id=commune.plan_id,
        catalogue_id=catalogue_id,
        plan_completion_codes=WHOLE_PLAN,
        opens=date(year, 12, 1),
        submission_due=date(year + 1, 1, 15),
        explanation_due=date(year + 1, 2, 27),
        clock_offset=offset,
    )


def _self_assess(sessions: sessionmaker[Session], commune: Commune, catalogue_id: int, now: datetime) -> None:
    """The office's part: the plan's tasks mapped to items, report quality scored by hand, every
    item without evidence explained."""
    with sessions.begin() as session:
        for task, codes in OFFICE_MAPPING.items():
            map_task(
                session,
                plan_id=commune.plan_id,
                catalogue_id=catalogue_id,
                task_code=task,
                codes=codes,
                actor="van-phong",
                now=now,
            )
        enter_score(
            session,
            plan_id=commune.plan_id,
            catalogue_id=catalogue_id,
            code=QUALITY,
            points=commune.quality,
            reason="tự chấm theo đề cương báo cáo",
            actor="van-phong",
            now=now,
        )
        sheet = assessment_sheet(
            session, plan_id=commune.plan_id, catalogue_id=catalogue_id, plan_completion_codes=WHOLE_PLAN, now=now
        )
        for code in sheet.blocking:
            explain(
                session,
                plan_id=commune.plan_id,
                catalogue_id=catalogue_id,
                code=code,
                text="Không phát sinh trong năm (dữ liệu mẫu)",
                actor="van-phong",
                now=now,
            )


async def _step(
    env: WorkflowEnvironment, commune: str, year: int, event: RoundEvent, role: RoundRole, **fields
) -> None:
    request = RoundRequest(event=event, user=DEMO_USERS[role], role=role, **fields)
    await act_on_round(env.client, commune, year, request)


def _on(year: int, day: int, month: int) -> datetime:
    """A day of the year after `year`, at the hour the demo's people work."""
    return datetime.combine(date(year + 1, month, day), STEP_HOUR, tzinfo=TZ)
