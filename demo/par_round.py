"""The demo's year-end PAR round: two communes of one district (huyện Vĩnh Linh) assessed on
the sample catalogue, through the real round workflows on the time-skipping server.

The second commune is a sample too: Vĩnh Thủy, with the Vĩnh Khê plan's tasks issued under its
own name (`neighbour_plan`), and its year run by the same scripted officers. What differs is
the round:

- 01/12: the supervising authority opens both rounds (submission due 15/01, explanations 27/02);
- 05/01: Vĩnh Khê's office maps the plan's tasks to the sub-criteria they serve, adds the
  documents the commune keeps for the other items and scores them, scores report quality
  (1.2.2) at 1, explains the items still without evidence (the year's honest gaps: `GAPS`);
  the chairman approves and the office submits;
- 13/01: Vĩnh Thủy does the same, scoring 0,5, after two reminders (06/01 and 12/01); its
  office takes the approved sheet back once, the chairman approves it again;
- 20/01: the appraiser scores both communes' people's satisfaction (8.1, from the province's
  survey), lowers Vĩnh Khê's 1.2.2 to 0,75 and asks Vĩnh Thủy to explain 1.1.2;
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
from demo.script import CHAIRMAN, REVIEWER_USER
from domain.assessment_round import RoundEvent, RoundRole
from domain.calendar import TZ
from domain.communes import CommuneProfile, level_above, supervising_authority
from domain.models import Plan
from evidence.archive import archive_closed
from importers.catalogue import read_catalogue
from persistence.communes import update_commune
from services.assessment import add_office_evidence, assessment_sheet, enter_score, explain
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
DEMO_USERS = {RoundRole.CHAIRMAN: CHAIRMAN.user, RoundRole.OFFICE: REVIEWER_USER, RoundRole.APPRAISER: "so-noi-vu"}
WHOLE_PLAN = ("1.1.2",)  # plan completion, counted over every task of the plan
# The sample plan has no "Mã số TCTP" column: the office maps its tasks to the sample
# catalogue's items by hand (cchc assess map), as communes do.
OFFICE_MAPPING = {
    "I.1": ("1.1.1",),
    "I.2": ("1.4.1", "1.4.2"),
    "I.3": ("1.3.1",),
    "I.4": ("1.2.1", "1.2.2"),
    "VIII.1": ("1.3.2",),
    "II.1": ("2.1.1", "2.1.2"),
    "II.2": ("2.2.1",),
    "II.3": ("2.3",),
    "III.2": ("3.1.1", "3.1.2"),
    "III.3": ("3.4.2",),
    "IV.1": ("3.2.1",),
    "IV.2": ("4.1.1",),
    "V.1": ("5.4",),
    "V.2": ("5.2.2",),
    "V.3": ("5.3",),
    "VI.1": ("6.2",),
    "VI.2": ("6.1.2",),
    "VI.3": ("6.3.1",),
    "VII.1": ("7.4.1", "7.4.2"),
    "VII.2": ("7.1.2",),
    "VII.3": ("7.3.1",),
}
QUALITY = "1.2.2"  # report quality: scored by hand
SURVEY = "8.1"  # people's satisfaction: the appraiser scores it from the province's survey
SATISFACTION = (Decimal("8.5"), Decimal(8))  # each commune's, in the order of the communes
REOPENED = "Văn phòng xin rút lại để soát lại tài liệu kiểm chứng trước khi gửi"


@dataclass(frozen=True)
class Judged:
    """An item the office scores by hand from the tasks mapped to it: points and why."""

    code: str
    points: Decimal
    reason: str


# Items scored by hand whose evidence is the mapped tasks' documents.
JUDGED = (Judged("2.3", Decimal("1.75"), "theo dõi thi hành pháp luật đủ các lĩnh vực, còn chậm báo cáo quý I"),)


@dataclass(frozen=True)
class Kept:
    """A document the commune keeps for an item no task of the plan serves, and the score the
    office gives the item by it."""

    code: str
    symbol: str  # "QĐ-UBND": numbered in the order of the list
    issued: tuple[int, int]  # (day, month) of the plan's year
    summary: str
    points: Decimal
    reason: str


KEPT = (
    Kept("2.2.2", "BC-UBND", (15, 11), "Báo cáo kết quả rà soát văn bản QPPL năm", Decimal(1), "rà soát đủ"),
    Kept("2.2.3", "BC-UBND", (20, 11), "Báo cáo kết quả xử lý văn bản sau rà soát", Decimal(1), "đã xử lý hết"),
    Kept("3.1.3", "BC-UBND", (5, 12), "Báo cáo công khai tiến độ giải quyết hồ sơ", Decimal(1), "công khai đủ"),
    Kept(
        "3.2.2", "BC-UBND", (5, 12), "Báo cáo tiếp nhận hồ sơ trực tuyến và trực tiếp", Decimal(1), "đủ hai hình thức"
    ),
    Kept("3.2.3", "BC-UBND", (5, 12), "Báo cáo số hóa hồ sơ, kết quả giải quyết TTHC", Decimal("0.75"), "số hóa 86%"),
    Kept("3.3.1", "BC-UBND", (10, 12), "Báo cáo kết quả giải quyết TTHC năm", Decimal("2.75"), "đúng hạn 97%"),
    Kept(
        "3.3.3", "BC-UBND", (10, 12), "Báo cáo thu phí, lệ phí trực tuyến", Decimal("0.5"), "thanh toán trực tuyến 84%"
    ),
    Kept("3.4.1", "TB-UBND", (15, 1), "Thông báo địa chỉ tiếp nhận phản ánh, kiến nghị", Decimal(1), "đã niêm yết"),
    Kept("4.1.2", "QĐ-UBND", (10, 1), "Quyết định ban hành Quy chế làm việc của UBND xã", Decimal(1), "đã ban hành"),
    Kept("4.2", "QĐ-UBND", (3, 4), "Quyết định ủy quyền ký chứng thực", Decimal("1.5"), "ủy quyền một lĩnh vực"),
    Kept("4.3", "BC-UBND", (30, 6), "Báo cáo số lượng cán bộ, công chức xã", Decimal(2), "trong số lượng giao"),
    Kept("5.1", "QĐ-UBND", (15, 3), "Quyết định phê duyệt vị trí việc làm", Decimal(2), "đã phê duyệt"),
    Kept("5.5.1", "BC-UBND", (10, 12), "Báo cáo công tác thi đua, kỷ luật", Decimal(1), "không có ai bị kỷ luật"),
    Kept("5.5.2", "KH-UBND", (20, 2), "Kế hoạch thực hiện văn hóa công vụ", Decimal(1), "đã thực hiện"),
    Kept("6.1.1", "QĐ-UBND", (10, 1), "Quyết định công bố công khai dự toán ngân sách", Decimal("1.5"), "đúng hạn"),
    Kept("7.1.1", "BC-UBND", (10, 12), "Báo cáo sử dụng hệ thống quản lý văn bản", Decimal(1), "dùng hằng ngày"),
    Kept("7.1.3", "KH-UBND", (5, 3), "Kế hoạch bảo đảm an toàn thông tin mạng", Decimal("0.75"), "chưa diễn tập"),
    Kept("7.2.1", "BC-UBND", (10, 12), "Báo cáo gửi, nhận văn bản điện tử", Decimal("1.75"), "điện tử 92%"),
    Kept("7.2.2", "QĐ-UBND", (12, 1), "Quyết định kiện toàn Ban biên tập trang thông tin", Decimal(1), "duy trì đủ"),
    Kept("7.3.2", "BC-UBND", (10, 12), "Báo cáo khai thác dữ liệu dân cư", Decimal("1.5"), "khai thác ở 3 lĩnh vực"),
    Kept("8.2.1", "BC-UBND", (15, 12), "Báo cáo tình hình kinh tế - xã hội năm", Decimal("4.25"), "đạt 17/20 chỉ tiêu"),
    Kept("8.2.2", "BC-UBND", (15, 12), "Báo cáo thu ngân sách năm", Decimal(5), "thu vượt dự toán"),
    Kept(
        "8.3.1", "BC-UBND", (15, 12), "Báo cáo lấy ý kiến người dân về thái độ phục vụ", Decimal("3.5"), "hài lòng 88%"
    ),
    Kept("8.3.2", "BC-UBND", (10, 12), "Báo cáo công tác thanh tra công vụ", Decimal(4), "không có vi phạm"),
)
# What the office explains for the items left without evidence: the year's honest gaps.
GAPS = {
    "1.1.2": "Tính trên mọi nhiệm vụ của kế hoạch: tài liệu kiểm chứng là sản phẩm của từng nhiệm vụ.",
    "4.1.1": "Nhiệm vụ IV.2 đã dừng thực hiện theo quyết định của Chủ tịch UBND xã.",
    "1.5": "Năm nay xã chưa có sáng kiến, giải pháp CCHC được công nhận.",
    "3.3.2": "Không có hồ sơ quá hạn nên không phát sinh văn bản xin lỗi.",
    "5.2.1": "Năm nay xã không tuyển dụng công chức.",
    "6.3.2": "Năm nay xã không có cuộc thanh tra, kiểm toán nào.",
}
NO_EVIDENCE = "Chưa có tài liệu kiểm chứng trong năm."
STEP_HOUR = time(9, 0)


@dataclass(frozen=True)
class Commune:
    name: str
    plan_id: int
    quality: Decimal  # what its office scores 1.2.2
    submits_on: tuple[int, int]  # (day, month) of the year after
    reopens: bool  # the office takes the approved sheet back once before submitting it


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
        Commune(name, plan_id, quality, submits, reopens)
        for (name, plan_id), (quality, submits, reopens) in zip(
            plans, ((Decimal(1), (5, 1), False), (Decimal("0.5"), (13, 1), True)), strict=True
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
            if commune.reopens:
                await _step(env, commune.name, year, RoundEvent.REOPEN, RoundRole.OFFICE, note=REOPENED)
                await _step(env, commune.name, year, RoundEvent.APPROVE, RoundRole.CHAIRMAN)
            await _step(env, commune.name, year, RoundEvent.SUBMIT, RoundRole.OFFICE)
        first_commune, second_commune = (commune.name for commune in communes)
        await clock.advance_to(_on(year, 20, 1))
        for commune, points in zip(communes, SATISFACTION, strict=True):
            await _step(
                env,
                commune.name,
                year,
                RoundEvent.APPRAISE,
                RoundRole.APPRAISER,
                codes=(SURVEY,),
                points=points,
                note="theo kết quả điều tra xã hội học do tỉnh công bố",
            )
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
    """The office's part: the plan's tasks mapped to the items they serve, the documents the
    commune keeps for the other items added and scored, report quality scored by hand, and
    the items still without evidence explained."""
    with sessions.begin() as session:
        for task, codes in OFFICE_MAPPING.items():
            map_task(
                session,
                plan_id=commune.plan_id,
                catalogue_id=catalogue_id,
                task_code=task,
                codes=codes,
                actor=REVIEWER_USER,
                now=now,
            )
        judged = (*JUDGED, Judged(QUALITY, commune.quality, "tự chấm theo đề cương báo cáo"))
        for item in judged:
            _score(session, commune, catalogue_id, item.code, item.points, item.reason, now)
        issuer = f"UBND xã {commune.name}"
        for number, kept in enumerate(KEPT, start=1):
            add_office_evidence(
                session,
                plan_id=commune.plan_id,
                catalogue_id=catalogue_id,
                code=kept.code,
                number=f"{number}/{kept.symbol}",
                day=date(now.year - 1, kept.issued[1], kept.issued[0]),
                issuer=issuer,
                summary=kept.summary,
                actor=REVIEWER_USER,
                now=now,
            )
            _score(session, commune, catalogue_id, kept.code, kept.points, kept.reason, now)
        sheet = assessment_sheet(
            session, plan_id=commune.plan_id, catalogue_id=catalogue_id, plan_completion_codes=WHOLE_PLAN, now=now
        )
        for code in sheet.blocking:
            explain(
                session,
                plan_id=commune.plan_id,
                catalogue_id=catalogue_id,
                code=code,
                text=GAPS.get(code, NO_EVIDENCE),
                actor=REVIEWER_USER,
                now=now,
            )


def _score(
    session: Session, commune: Commune, catalogue_id: int, code: str, points: Decimal, reason: str, now: datetime
) -> None:
    enter_score(
        session,
        plan_id=commune.plan_id,
        catalogue_id=catalogue_id,
        code=code,
        points=points,
        reason=reason,
        actor=REVIEWER_USER,
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
