"""Who does what on a task: the office (Văn phòng) checks and confirms completion, but not of the
tasks its own unit leads; leaders (Chủ tịch, Phó Chủ tịch in charge of the unit) confirm those,
extend, reassign and stop; the leader in charge of the lead unit is warned by email when a task
is late; coordinating units hear of the assignment.

On the time-skipping server with the Vĩnh Khê 2024 plan; emails go through the outbox and the
relay to a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from domain.roles import Actor, Role
from importers.people import read_people
from notifications.delivery import Sender
from notifications.mailer import SmtpMailer
from notifications.outbox import Outbox
from notifications.relay import Relay
from persistence.people import replace_directory
from tests.notifications.smtp import SmtpServer
from tests.workflows.rig import CHAIRMAN, at, officer, task_rig
from tests.workflows.test_task_workflow import evidence, rejection
from workflows.contracts import Acknowledge, DeadlineExtension, ReviewDecision
from workflows.task import TaskWorkflow

PEOPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-people.yaml"
OUTBOX = Outbox(mail_from="CCHC xã Vĩnh Khê <cchc@vinhkhe.example.vn>", base_url="https://cchc.vinhkhe.example.vn")
VICE_CHAIRMAN_EMAIL = "binh.pct@vinhkhe.example.vn"
CHAIRMAN_EMAIL = "chutich@vinhkhe.example.vn"

VAN_PHONG = officer("Văn phòng")
OFFICE = Actor(user="van-phong-kiem-tra", role=Role.REVIEWER, units=("Văn phòng",))
VICE_CHAIRMAN = Actor(user="pho-chu-tich", role=Role.VICE_CHAIRMAN, units=("Văn phòng",))
VICE_CHAIRMAN_OF_JUSTICE = Actor(user="pho-chu-tich-tp", role=Role.VICE_CHAIRMAN, units=("Tư pháp",))


async def submitted(rig, plan, code: str, actor: Actor, day: date):
    """The task started, acknowledged and its product submitted by `actor`."""
    handle = await rig.start(rig.input(plan, code))
    await handle.execute_update(TaskWorkflow.acknowledge, Acknowledge(actor=actor))
    await handle.execute_update(TaskWorkflow.submit_evidence, evidence(day=day, actor=actor))
    return handle


def directory_with_a_vice_chairman(sessions, tmp_path: Path) -> None:
    """The Vĩnh Khê sample directory, with a Phó Chủ tịch in charge of Văn phòng - Thống kê."""
    path = tmp_path / "danh-ba.yaml"
    vice = (
        "  - name: Trần Văn Bình\n"
        f"    email: {VICE_CHAIRMAN_EMAIL}\n"
        "    roles: [vice_chairman]\n"
        "    in_charge: [Văn phòng - Thống kê]\n"
    )
    path.write_text(PEOPLE.read_text(encoding="utf-8") + vice, encoding="utf-8")
    with sessions.begin() as session:
        replace_directory(session, "Vĩnh Khê", read_people(path), at(15, 1))


def smtp_relay(sessions, server: SmtpServer) -> Relay:
    mailer = SmtpMailer("127.0.0.1", server.port, security="none", timeout=5)
    return Relay(sessions, OUTBOX, Sender(sessions, mailer, OUTBOX.sender_address))


# --- confirming completion -------------------------------------------------------------------


async def test_the_office_cannot_confirm_a_task_its_own_unit_leads(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        # I.1, the commune's CCHC plan: led by Văn phòng, the office's own unit.
        handle = await submitted(rig, vinh_khe, "I.1", VAN_PHONG, date(2024, 1, 15))

        reason = await rejection(handle, TaskWorkflow.review, ReviewDecision(actor=OFFICE, approve=True))

        assert "Văn phòng không tự xác nhận hoàn thành nhiệm vụ do chính mình chủ trì (Văn phòng)" in reason
        assert "lãnh đạo phụ trách xác nhận" in reason
        assert (await handle.query(TaskWorkflow.state)).state == "evidence_submitted"
        assert [e.kind for e in rig.events(handle.id)] == ["assign", "acknowledge", "submit_evidence"]


async def test_a_leader_confirms_the_offices_own_task_and_the_office_confirms_another_units(sqlite_sessions, vinh_khe):
    async with task_rig(sqlite_sessions) as rig:
        own = await submitted(rig, vinh_khe, "I.1", VAN_PHONG, date(2024, 1, 15))
        culture_officer = officer("Văn hoá")
        others = await submitted(rig, vinh_khe, "I.3", culture_officer, date(2024, 1, 15))

        submitted_notices = [(n.recipient, n.unit) for n in rig.notifications(own.id) if n.kind == "evidence_submitted"]
        assert submitted_notices == [("confirmer", "Văn phòng")]  # the leader in charge, the office's own unit
        by_leader = await own.execute_update(TaskWorkflow.review, ReviewDecision(actor=VICE_CHAIRMAN, approve=True))
        by_office = await others.execute_update(TaskWorkflow.review, ReviewDecision(actor=OFFICE, approve=True))

        assert (by_leader.state, by_office.state) == ("approved", "approved")
        approval = rig.events(own.id)[-1]
        assert (approval.kind, approval.actor, approval.role) == ("approve", "pho-chu-tich", "vice_chairman")


async def test_a_vice_chairman_decides_only_on_the_units_in_his_charge_and_the_office_not_at_all(
    sqlite_sessions, vinh_khe
):
    async with task_rig(sqlite_sessions) as rig:
        handle = await rig.start(rig.input(vinh_khe, "I.1"))

        def extension(actor: Actor) -> DeadlineExtension:
            return DeadlineExtension(actor=actor, new_due=date(2024, 2, 29), reason="chờ ý kiến của Sở Nội vụ")

        outside = await rejection(handle, TaskWorkflow.extend_deadline, extension(VICE_CHAIRMAN_OF_JUSTICE))
        office = await rejection(handle, TaskWorkflow.extend_deadline, extension(OFFICE))
        extended = await handle.execute_update(TaskWorkflow.extend_deadline, extension(VICE_CHAIRMAN))
        by_chairman = await handle.execute_update(
            TaskWorkflow.extend_deadline,
            DeadlineExtension(actor=CHAIRMAN, new_due=date(2024, 3, 29), reason="chờ số liệu"),
        )

        assert "pho-chu-tich-tp không phụ trách đơn vị chủ trì nhiệm vụ (Văn phòng)" in outside
        assert "không có quyền gia hạn" in office
        assert (extended.due, by_chairman.due) == (date(2024, 2, 29), date(2024, 3, 29))


# --- who is told -------------------------------------------------------------------------------


async def test_a_vice_chairman_gets_the_escalation_email_for_the_units_in_his_charge(
    sqlite_sessions, vinh_khe, tmp_path
):
    directory_with_a_vice_chairman(sqlite_sessions, tmp_path)
    smtp = SmtpServer().up()
    try:
        async with task_rig(sqlite_sessions) as rig:
            # I.1 (Văn phòng) is due 31/01/2024 and nobody does it.
            handle = await rig.start(rig.input(vinh_khe, "I.1"))
            await rig.advance_to(at(1, 2, 9), handle)
            await smtp_relay(sqlite_sessions, smtp).run_once(at(1, 2, 9))
    finally:
        smtp.down()

    (warning,) = smtp.mailbox.to(VICE_CHAIRMAN_EMAIL)
    message = warning.message
    assert message["To"].addresses[0].display_name == "Trần Văn Bình"
    assert message["Subject"].startswith("[CCHC] Cảnh báo quá hạn")
    text = message.get_body(("plain",)).get_content()
    assert "Kính gửi đồng chí Trần Văn Bình" in text and "31/01/2024" in text
    assert "https://cchc.vinhkhe.example.vn/tasks/1/I.1/" in text
    assert smtp.mailbox.to(CHAIRMAN_EMAIL) == []  # the chairman sees it in the daily digest
    head = [r.message["Subject"] for r in smtp.mailbox.to("tuan.vp@vinhkhe.example.vn")]
    assert head == [message["Subject"]]  # the unit's head in copy


async def test_a_coordinating_unit_gets_the_assignment_email(sqlite_sessions, vinh_khe_plan):
    with sqlite_sessions.begin() as session:
        replace_directory(session, "Vĩnh Khê", read_people(PEOPLE), at(15, 1))
    smtp = SmtpServer().up()
    try:
        async with task_rig(sqlite_sessions) as rig:
            # I.3: Văn hóa leads, Văn phòng coordinates.
            await rig.start(rig.input(vinh_khe_plan, "I.3"))
            await smtp_relay(sqlite_sessions, smtp).run_once(at(15, 1, 9))
    finally:
        smtp.down()

    (told,) = smtp.mailbox.to("lan.vp@vinhkhe.example.vn")
    message = told.message
    assert message["Subject"].startswith("[CCHC] Giao nhiệm vụ")
    text = message.get_body(("plain",)).get_content()
    assert "Văn phòng được giao phối hợp với Văn hóa (đơn vị chủ trì) thực hiện nhiệm vụ I.3" in text
    assert "phối hợp với đơn vị chủ trì" in text
    (lead,) = smtp.mailbox.to("ha.vhxh@vinhkhe.example.vn")  # the lead unit's officer (in English)
    assert "has been assigned to lead task I.3" in lead.message.get_body(("plain",)).get_content()
