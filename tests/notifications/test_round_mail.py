"""The PAR round's emails, sent for real: a commune about to miss its submission deadline gets
reminders on working days before it, then the chairman is told, each email once; an
explanation asked for and the published result reach the office and the chairman. The round
runs on the time-skipping server with the real worker, the outbox goes to an aiosmtpd server."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from email.message import EmailMessage

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import ActivityEnvironment

from activities.round_events import RoundActivities
from domain.assessment_round import RoundEvent, RoundRole
from domain.calendar import TZ
from domain.communes import CommuneProfile
from importers.people import read_people
from persistence.communes import update_commune
from persistence.people import replace_directory
from persistence.round_tables import RoundEventRow
from persistence.task_tables import NotificationRow
from services.assessment import enter_score
from services.rounds import act_on_round, open_round
from tests.notifications.smtp import SmtpServer
from tests.notifications.test_delivery import PEOPLE, smtp_relay
from tests.services.year import DECISION, Fate, explain_what_blocks, live, monthly, store
from tests.workflows.rig import task_rig
from workflows.round_contracts import RoundEntry, RoundInput, RoundRecord, RoundRequest, round_workflow_id

COMMUNE = "Vĩnh Khê"
OPENS = datetime(2025, 12, 1, 8, 0, tzinfo=TZ)
OFFICE, CHAIRMAN = "lan.vp@vinhkhe.example.vn", "chutich@vinhkhe.example.vn"
LINK = "https://cchc.vinhkhe.example.vn/rounds/2025/V%C4%A9nh%20Kh%C3%AA"


def at(day: int, month: int, hour: int = 8, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=TZ)


@pytest.fixture
def commune(session_factory):
    plan_id, catalogue_id = store(session_factory, COMMUNE)
    live(session_factory, plan_id, {**monthly(*[Fate.ON_TIME] * 10), ("I.2", "2025-01"): Fate.ON_TIME}, COMMUNE)
    with session_factory.begin() as session:
        replace_directory(session, COMMUNE, read_people(PEOPLE), OPENS)
    return session_factory, plan_id, catalogue_id


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.up()
    yield server
    server.down()


def opening(plan_id: int, catalogue_id: int, offset) -> RoundInput:
    return RoundInput(
        commune=COMMUNE,
        year=2025,
        plan_id=plan_id,
        catalogue_id=catalogue_id,
        plan_completion_codes=("1.1.2",),
        opens=OPENS.date(),
        submission_due=at(15, 1).date(),
        explanation_due=at(27, 2).date(),
        clock_offset=offset,
    )


def mail(smtp: SmtpServer) -> list[tuple[str, str, str]]:
    """(recipient, subject, plain text) of every email received, in order."""
    return [
        (received.rcpt_tos[0], received.message["Subject"], plain_text(received.message))
        for received in smtp.mailbox.received
    ]


def plain_text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None, "the mail has a plain text part"
    return body.get_content()


def raised_on(sessions) -> list[tuple[str, str, datetime]]:
    with sessions() as session:
        rows = session.scalars(select(NotificationRow).order_by(NotificationRow.id))
        return [(row.kind, row.recipient, row.created_at.astimezone(TZ)) for row in rows]


async def test_a_commune_about_to_miss_its_submission_is_reminded_on_working_days_then_the_chairman_is_told(
    commune, smtp
):
    sessions, plan_id, catalogue_id = commune
    async with task_rig(sessions, OPENS) as rig:
        handle = await open_round(rig.client, opening(plan_id, catalogue_id, rig.offset), task_queue=rig.task_queue)
        assert handle
        await rig.advance_to(at(20, 1, hour=10), rig.client.get_workflow_handle(round_workflow_id(COMMUNE, 2025)))
    await smtp_relay(sessions, smtp).run_once(at(20, 1, hour=10))

    # 15/01/2026 is a Thursday: 7, 3 and 1 working days before are Tuesday 06/01, Monday 12/01
    # and Wednesday 14/01; the chairman hears at the end of 15/01, then on Tuesday 20/01.
    assert raised_on(sessions) == [
        ("round_reminder", "reviewer", at(6, 1)),
        ("round_reminder", "reviewer", at(12, 1)),
        ("round_reminder", "reviewer", at(14, 1)),
        ("round_escalation", "chairman", at(15, 1, 23, 59, 59)),
        ("round_escalation", "reviewer", at(15, 1, 23, 59, 59)),
        ("round_escalation", "chairman", at(20, 1)),
        ("round_escalation", "reviewer", at(20, 1)),
    ]
    received = mail(smtp)
    assert [(to, subject) for to, subject, _ in received] == [
        (OFFICE, "[CCHC] Nhắc việc: hồ sơ Chỉ số CCHC năm 2025 — hạn 15/01/2026"),
        (OFFICE, "[CCHC] Nhắc việc: hồ sơ Chỉ số CCHC năm 2025 — hạn 15/01/2026"),
        (OFFICE, "[CCHC] Nhắc việc: hồ sơ Chỉ số CCHC năm 2025 — hạn 15/01/2026"),
        (CHAIRMAN, "[CCHC] Quá hạn hồ sơ Chỉ số CCHC năm 2025 — cảnh báo quá hạn lần 1"),
        (OFFICE, "[CCHC] Quá hạn hồ sơ Chỉ số CCHC năm 2025 — cảnh báo quá hạn lần 1"),
        (CHAIRMAN, "[CCHC] Quá hạn hồ sơ Chỉ số CCHC năm 2025 — cảnh báo quá hạn lần 2"),
        (OFFICE, "[CCHC] Quá hạn hồ sơ Chỉ số CCHC năm 2025 — cảnh báo quá hạn lần 2"),
    ]
    first, escalated = received[0][2], received[3][2]
    assert "Kính gửi đồng chí Nguyễn Thị Lan," in first
    assert "Còn 7 ngày làm việc nữa là đến hạn gửi hồ sơ tự đánh giá" in first and LINK in first
    assert "Đề nghị đồng chí chỉ đạo Văn phòng - Thống kê hoàn thiện, phê duyệt và gửi ngay" in escalated

    # A retried record activity, and the relay run again, send nothing more.
    with sessions() as session:
        row = session.scalars(select(RoundEventRow).where(RoundEventRow.kind == "reminder")).first()
        entry = RoundEntry(
            seq=row.seq,
            at=row.at,
            kind=row.kind,
            state=row.state,
            actor=row.actor,
            role=row.role,
            detail=row.detail,
            data=row.payload,
        )
    record = RoundRecord(workflow_id=row.workflow_id, commune=COMMUNE, year=2025, entry=entry)
    assert not await ActivityEnvironment().run(RoundActivities(sessions).record_round_event, record)
    await smtp_relay(sessions, smtp).run_once(at(20, 1, hour=11))
    assert len(smtp.mailbox.received) == 7


async def test_a_voided_approval_an_explanation_asked_for_and_the_published_result_reach_whom_they_concern(
    commune, smtp
):
    sessions, plan_id, catalogue_id = commune

    def step(event: RoundEvent, role: RoundRole, **fields) -> RoundRequest:
        return RoundRequest(event=event, user=f"{role.value}-1", role=role, **fields)

    async with task_rig(sessions, OPENS) as rig:
        await open_round(rig.client, opening(plan_id, catalogue_id, rig.offset), task_queue=rig.task_queue)
        explain_what_blocks(sessions, plan_id, catalogue_id, OPENS)
        await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.APPROVE, RoundRole.CHAIRMAN))
        with sessions.begin() as session:  # the office changes a score after the approval
            enter_score(
                session,
                plan_id=plan_id,
                catalogue_id=catalogue_id,
                code="1.2.2",
                points=Decimal("0.5"),
                reason="thiếu số liệu quý IV",
                actor="lan",
                now=OPENS,
            )
        with pytest.raises(WorkflowUpdateFailedError):
            await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.SUBMIT, RoundRole.OFFICE))
        await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.APPROVE, RoundRole.CHAIRMAN))
        await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.SUBMIT, RoundRole.OFFICE))
        await act_on_round(
            rig.client,
            COMMUNE,
            2025,
            step(RoundEvent.REQUEST_EXPLANATION, RoundRole.APPRAISER, codes=("1.1.2", "1.2.2"), note="thiếu phụ lục"),
        )
        await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.ANSWER, RoundRole.OFFICE, note="đã bổ sung"))
        await act_on_round(
            rig.client,
            COMMUNE,
            2025,
            step(RoundEvent.APPRAISE, RoundRole.APPRAISER, codes=("1.1.2",), points=Decimal("1.5")),
        )
        await act_on_round(rig.client, COMMUNE, 2025, step(RoundEvent.PUBLISH, RoundRole.APPRAISER, decision=DECISION))
    with sessions.begin() as session:
        update_commune(session, CommuneProfile(name=COMMUNE, district="huyện Vĩnh Linh", province="tỉnh Quảng Trị"))
    await smtp_relay(sessions, smtp).run_once(OPENS)

    received = mail(smtp)
    assert [(to, subject) for to, subject, _ in received] == [
        (CHAIRMAN, "[CCHC] Phê duyệt hồ sơ tự đánh giá Chỉ số CCHC năm 2025 đã bị hủy: cần phê duyệt lại"),
        (OFFICE, "[CCHC] Yêu cầu giải trình Chỉ số CCHC năm 2025: tiêu chí 1.1.2, 1.2.2"),
        (CHAIRMAN, "[CCHC] Yêu cầu giải trình Chỉ số CCHC năm 2025: tiêu chí 1.1.2, 1.2.2"),
        (CHAIRMAN, "[CCHC] Đã công bố kết quả thẩm định Chỉ số CCHC năm 2025"),
        (OFFICE, "[CCHC] Đã công bố kết quả thẩm định Chỉ số CCHC năm 2025"),
    ]
    assert "đã thay đổi sau khi đồng chí phê duyệt (tiêu chí 1.2.2)" in received[0][2]
    asked = received[1][2]
    assert "giải trình các tiêu chí thành phần 1.1.2, 1.2.2" in asked and "thiếu phụ lục" in asked
    assert "Tổ thẩm định (Sở Nội vụ tỉnh Quảng Trị) đề nghị xã giải trình" in asked  # a round of 2025: the province's
    assert "Tổ thẩm định (Sở Nội vụ tỉnh Quảng Trị) đã công bố kết quả" in received[3][2]
    assert "Gửi nội dung giải trình trước ngày 27/02/2026" in asked
    published = received[3][2]
    assert "xếp loại Yếu (Quyết định số 125/QĐ-UBND ngày 10/02/2026, người ký: Phó Chủ tịch UBND tỉnh" in published
