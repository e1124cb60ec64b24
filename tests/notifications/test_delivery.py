"""Emails on their way out: from the outbox, through the relay, to a real SMTP server
(aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL. What is asserted is what the server
received, byte for byte where it matters."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.events import TaskActivities
from domain.calendar import TZ
from domain.lifecycle import TaskState
from domain.models import CommuneKind
from domain.notifications import Notice, Recipient
from domain.people import Person, addressed
from domain.roles import Role
from importers.people import read_people
from notifications.delivery import Sender, retry_delay
from notifications.mailer import FolderMailer, SmtpMailer
from notifications.outbox import Outbox, requeue_unroutable
from notifications.relay import Relay
from persistence.mail_tables import EmailRow
from persistence.people import replace_directory
from persistence.tables import CommuneRow
from persistence.task_tables import NotificationRow
from tests.notifications.smtp import SmtpServer
from workflows.contracts import RecordedEvent, TimelineEntry, task_workflow_id

PEOPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-people.yaml"
NOW = datetime(2024, 2, 7, 8, 0, tzinfo=TZ)
OUTBOX = Outbox(mail_from="CCHC xã Vĩnh Khê <cchc@vinhkhe.example.vn>", base_url="https://cchc.vinhkhe.example.vn")
WORKFLOW_ID = task_workflow_id(1, "II.2", "2024-02")
TITLE = "Xây dựng kế hoạch rà soát văn bản quy phạm pháp luật"


@pytest.fixture
def people(session_factory) -> list[Person]:
    directory = read_people(PEOPLE)
    with session_factory.begin() as session:
        replace_directory(session, "Vĩnh Khê", directory, NOW)
    return directory


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.down()


def relay_to(session_factory, mailer) -> Relay:
    return Relay(session_factory, OUTBOX, Sender(session_factory, mailer, OUTBOX.sender_address))


def smtp_relay(session_factory, server: SmtpServer) -> Relay:
    return relay_to(session_factory, SmtpMailer("127.0.0.1", server.port, security="none", timeout=5))


def reminder(
    seq: int = 4, title: str = TITLE, unit: str = "Tư pháp", state: TaskState = TaskState.ASSIGNED
) -> RecordedEvent:
    return RecordedEvent(
        workflow_id=WORKFLOW_ID,
        commune="Vĩnh Khê",
        plan_id=1,
        plan_number="10/KH-UBND",
        task_code="II.2",
        occurrence_key="2024-02",
        title=title,
        entry=TimelineEntry(
            seq=seq,
            at=NOW,
            kind="reminder",
            state=state,
            actor="system",
            role=Role.SYSTEM,
            detail="nhắc việc: còn 1 ngày làm việc đến hạn 15/02/2024",
            data={"level": 1, "scheduled_at": NOW.isoformat()},
        ),
        due=date(2024, 2, 15),
        lead=(unit,),
        notify=(Notice(kind="reminder", recipient=Recipient.OFFICERS, unit=unit),),
    )


async def record(session_factory, event: RecordedEvent) -> None:
    await ActivityEnvironment().run(TaskActivities(session_factory).record_event, event)


def statuses(session_factory) -> list[str]:
    with session_factory() as session:
        return list(session.scalars(select(EmailRow.status).order_by(EmailRow.id)))


async def test_a_reminder_reaches_each_officer_of_the_unit_once_with_subject_both_parts_and_the_link(
    session_factory, people, smtp
):
    smtp.up()
    await record(session_factory, reminder())
    await smtp_relay(session_factory, smtp).run_once(NOW)

    officers = addressed(people, "officers", "Tư pháp")
    assert officers and [r.rcpt_tos for r in smtp.mailbox.received] == [[p.email] for p in officers]
    received = smtp.mailbox.received[0]
    message = received.message
    assert received.mail_from == "cchc@vinhkhe.example.vn"
    assert message["To"].addresses[0].display_name == officers[0].name
    assert message["Subject"] == f"[CCHC] Nhắc việc: {TITLE} — hạn 15/02/2024"
    assert b"=?utf-8?" in received.raw.split(b"\r\n\r\n")[0].lower()  # the subject is RFC 2047-encoded
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = "https://cchc.vinhkhe.example.vn/tasks/1/II.2/2024-02"
    assert link in text and f'href="{link}"' in html
    assert TITLE in text and "15/02/2024" in text and officers[0].name in text
    assert statuses(session_factory) == ["sent"] * len(officers)


async def test_a_server_down_for_a_while_then_up_gets_every_message_once_and_none_is_lost(
    session_factory, people, smtp
):
    await record(session_factory, reminder(seq=4))
    await record(session_factory, reminder(seq=5, unit="Văn hóa - Xã hội"))
    relay = smtp_relay(session_factory, smtp)

    down = await relay.run_once(NOW)  # nothing listens on the port yet
    assert (down[1].sent, down[1].retrying) == (0, len(statuses(session_factory)))
    assert set(statuses(session_factory)) == {"pending"}
    not_yet = await relay.run_once(NOW + retry_delay(1) - timedelta(seconds=1))
    assert not_yet[1].sent + not_yet[1].retrying == 0  # waits for its retry time

    smtp.up()
    later = NOW + retry_delay(1)
    await relay.run_once(later)
    await relay.run_once(later + timedelta(hours=2))

    expected = len(statuses(session_factory))
    assert set(statuses(session_factory)) == {"sent"}
    assert len(smtp.mailbox.received) == expected
    assert len({r.message["Message-ID"] for r in smtp.mailbox.received}) == expected
    with session_factory() as session:
        attempts = session.scalars(select(EmailRow.attempts)).all()
    assert set(attempts) == {2}


async def test_an_activity_retried_after_its_outbox_write_produces_one_email(session_factory, people, smtp):
    smtp.up()
    await record(session_factory, reminder())
    await record(session_factory, reminder())  # Temporal retries an activity whose result it did not see
    relay = smtp_relay(session_factory, smtp)
    await relay.run_once(NOW)
    await relay.run_once(NOW + timedelta(days=1))

    officers = addressed(people, "officers", "Tư pháp")
    assert len(smtp.mailbox.received) == len(officers)
    with session_factory() as session:
        assert session.scalars(select(NotificationRow.status)).all() == ["routed"]


async def test_two_relays_on_one_database_send_each_message_once(session_factory, people, smtp):
    smtp.up()
    for seq, unit in enumerate(("Tư pháp", "Văn phòng", "Tài chính", "Văn hóa - Xã hội"), start=4):
        await record(session_factory, reminder(seq=seq, unit=unit))

    await asyncio.gather(
        smtp_relay(session_factory, smtp).run_once(NOW), smtp_relay(session_factory, smtp).run_once(NOW)
    )

    ids = [r.message["Message-ID"] for r in smtp.mailbox.received]
    assert len(ids) == len(set(ids)) == len(statuses(session_factory)) >= 4


async def test_a_recipient_the_server_refuses_fails_with_the_servers_reason_and_is_not_retried(
    session_factory, people, smtp
):
    officer = addressed(people, "officers", "Tư pháp")[0]
    smtp.mailbox.refuse.add(officer.email)
    smtp.up()
    await record(session_factory, reminder())
    relay = smtp_relay(session_factory, smtp)
    await relay.run_once(NOW)
    await relay.run_once(NOW + timedelta(days=1))

    with session_factory() as session:
        refused = session.scalars(select(EmailRow).where(EmailRow.status == "failed")).one()
    assert refused.recipients == [{"name": officer.name, "email": officer.email}]
    assert "550" in refused.last_error and refused.attempts == 1
    assert smtp.mailbox.to(officer.email) == []


async def test_a_title_and_a_name_that_try_to_inject_headers_or_markup_are_neutralised(session_factory, smtp):
    attacker = Person(
        commune="Vĩnh Khê",
        name='Mai <script>"x"</script>\r\nBcc: spy@attacker.example',
        email="mai.tp@vinhkhe.example.vn",
        unit="Tư pháp",
        roles=frozenset({"officer"}),
    )
    with session_factory.begin() as session:
        replace_directory(session, "Vĩnh Khê", [attacker], NOW)
    title = "Rà soát <b>văn bản</b>\r\nBcc: spy@attacker.example\r\n\r\n<img src=x onerror=alert(1)>"
    smtp.up()
    await record(session_factory, reminder(title=title))
    await smtp_relay(session_factory, smtp).run_once(NOW)

    (received,) = smtp.mailbox.received
    head, _, _ = received.raw.partition(b"\r\n\r\n")
    header_names = [line.split(b":")[0].lower() for line in head.split(b"\r\n") if line and line[:1] not in b" \t"]
    assert b"bcc" not in header_names
    assert received.rcpt_tos == ["mai.tp@vinhkhe.example.vn"]
    message = received.message
    assert "\n" not in message["Subject"] and "Bcc: spy@attacker.example" in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html


async def test_a_unit_with_nobody_to_email_keeps_its_notification_until_someone_is_added(session_factory, smtp):
    smtp.up()
    await record(session_factory, reminder())
    relay = smtp_relay(session_factory, smtp)
    routing, _ = await relay.run_once(NOW)
    assert (routing.emails, routing.unroutable) == (0, 1)

    with session_factory.begin() as session:
        replace_directory(session, "Vĩnh Khê", read_people(PEOPLE), NOW)
        requeue_unroutable(session, "Vĩnh Khê")
    await relay.run_once(NOW + timedelta(minutes=1))
    assert smtp.mailbox.received


async def test_without_an_smtp_server_each_message_is_written_once_as_an_eml_file(session_factory, people, tmp_path):
    folder = tmp_path / "mail"
    relay = relay_to(session_factory, FolderMailer(folder))
    await record(session_factory, reminder())
    await relay.run_once(NOW)
    await relay.run_once(NOW + timedelta(days=1))

    files = sorted(folder.glob("*.eml"))
    assert len(files) == len(addressed(people, "officers", "Tư pháp")) == len(statuses(session_factory))
    assert all(name.name.endswith("-reminder.eml") for name in files)
    assert b"Subject: =?utf-8?" in files[0].read_bytes()
    assert not list(folder.glob(".incoming-*"))


async def test_a_phuongs_officers_read_the_phuongs_committee_in_their_email(session_factory, people, smtp):
    with session_factory.begin() as session:
        session.add(CommuneRow(name="Vĩnh Khê", kind=CommuneKind.PHUONG.value))
    smtp.up()
    await record(session_factory, reminder())
    await smtp_relay(session_factory, smtp).run_once(NOW)

    text = smtp.mailbox.received[0].message.get_body(("plain",)).get_content()
    assert "UBND phường Vĩnh Khê" in text and "UBND xã" not in text


async def test_a_reminder_of_work_under_review_names_the_office_as_the_directory_does(session_factory, people, smtp):
    smtp.up()
    await record(session_factory, reminder(state=TaskState.UNDER_REVIEW))
    await smtp_relay(session_factory, smtp).run_once(NOW)

    text = smtp.mailbox.received[0].message.get_body(("plain",)).get_content()
    # the reviewer's unit in the directory
    assert "Sản phẩm đã nộp đang chờ Văn phòng - Thống kê kiểm tra, xác nhận hoàn thành" in text
