"""Digests: what they hold, and that schedulers sharing one database send each one once.

The two-process test runs the real `cchc scheduler` twice, with the daily digest due a few
seconds after they start, against a real SMTP server (aiosmtpd) and a database both share
(a SQLite file, or PostgreSQL).
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.calendar import TZ
from domain.people import addressed
from importers.people import read_people
from notifications.digests import send_daily_digests, send_weekly_digests
from notifications.outbox import Outbox
from persistence.db import make_engine, make_session_factory, migrate
from persistence.mail_tables import EmailRow
from persistence.people import replace_directory
from persistence.task_runs import add_started_runs
from tests.cli.running import own_ports
from tests.notifications.smtp import SmtpServer
from workflows.contracts import TaskInput, task_workflow_id

PEOPLE = Path(__file__).parents[2] / "importers" / "samples" / "vinh-khe-people.yaml"
CCHC = Path(sys.executable).parent / "cchc"
OUTBOX = Outbox(mail_from="CCHC <cchc@vinhkhe.example.vn>", base_url="https://cchc.vinhkhe.example.vn")
MONDAY = datetime(2024, 3, 4, 7, 30, tzinfo=TZ)


def task(code: str, due: date, lead: str) -> tuple[str, TaskInput]:
    task_input = TaskInput(
        commune="Vĩnh Khê",
        plan_id=1,
        plan_number="10/KH-UBND",
        task_code=code,
        occurrence_key=due.isoformat(),
        title=f"Nhiệm vụ {code} của bộ phận {lead}",
        lead=(lead,),
        due=due,
    )
    return task_workflow_id(1, code, due.isoformat()), task_input


TASKS = [
    task("I.1", date(2024, 1, 31), "Văn phòng"),  # 33 days late on 04/03
    task("II.2", date(2024, 2, 29), "Tư pháp"),  # 4 days late
    task("III.1", date(2024, 3, 8), "Tư pháp"),  # due this week
    task("IV.1", date(2024, 6, 28), "Tài chính"),  # later: in no digest
]


def prepare(session_factory, tasks=TASKS, now: datetime = MONDAY) -> None:
    with session_factory.begin() as session:
        replace_directory(session, "Vĩnh Khê", read_people(PEOPLE), now)
        add_started_runs(session, tasks, now)


def digests(session_factory, kind: str) -> list[EmailRow]:
    with session_factory() as session:
        return list(session.scalars(select(EmailRow).where(EmailRow.kind == kind).order_by(EmailRow.id)))


def test_the_chairmans_daily_digest_lists_overdue_tasks_first_then_this_weeks(session_factory):
    prepare(session_factory)
    with session_factory.begin() as session:
        assert send_daily_digests(session, OUTBOX, MONDAY) == 1

    (digest,) = digests(session_factory, "digest_daily")
    chairman = addressed(read_people(PEOPLE), "chairman", None)[0]
    assert digest.recipients == [{"name": chairman.name, "email": chairman.email}]
    text = digest.raw.decode("ascii")  # 7-bit clean: base64 or quoted-printable bodies
    body = _text_part(digest.raw)
    assert body.index("I.1") < body.index("II.2") < body.index("III.1")  # most days late first, then due soon
    assert "IV.1" not in body
    assert "Message-ID" in text


def test_a_digest_written_twice_the_same_day_is_one_email(session_factory):
    prepare(session_factory)
    for _ in range(2):
        with session_factory.begin() as session:
            send_daily_digests(session, OUTBOX, MONDAY + timedelta(minutes=1))
    assert len(digests(session_factory, "digest_daily")) == 1


def test_nothing_is_sent_when_there_is_nothing_to_say(session_factory):
    prepare(session_factory, tasks=[TASKS[-1]])
    with session_factory.begin() as session:
        assert send_daily_digests(session, OUTBOX, MONDAY) == 0
        assert send_weekly_digests(session, OUTBOX, MONDAY) == 0
    assert digests(session_factory, "digest_daily") == []


def test_each_units_weekly_digest_goes_to_its_officers_and_head_with_only_its_tasks(session_factory):
    prepare(session_factory)
    with session_factory.begin() as session:
        send_weekly_digests(session, OUTBOX, MONDAY)

    people = read_people(PEOPLE)
    justice = {
        p.email for p in addressed(people, "officers", "Tư pháp") + addressed(people, "department_head", "Tư pháp")
    }
    to_justice = [d for d in digests(session_factory, "digest_weekly") if d.recipients[0]["email"] in justice]
    assert {d.recipients[0]["email"] for d in to_justice} == justice
    body = _text_part(to_justice[0].raw)
    assert "II.2" in body and "III.1" in body and "bộ phận Văn phòng" not in body
    units = {d.recipients[0]["email"] for d in digests(session_factory, "digest_weekly")}
    assert not any("tckt" in email for email in units)  # Tài chính has nothing due within 7 days


# --- two scheduler processes -------------------------------------------------------------------


@pytest.fixture
def shared_database(database_url, tmp_path) -> str:
    migrate(database_url)
    engine = make_engine(database_url)
    now = datetime.now(TZ)
    today = now.date()
    overdue = [task("I.1", today - timedelta(days=10), "Văn phòng"), task("II.2", today - timedelta(days=2), "Tư pháp")]
    prepare(make_session_factory(engine), overdue, now)
    engine.dispose()
    return database_url


def test_two_scheduler_processes_on_one_database_send_the_daily_digest_once(shared_database, tmp_path):
    smtp = SmtpServer().up()
    due_at = datetime.now(TZ) + timedelta(seconds=12)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CCHC_")},
        "CCHC_DATA_DIR": str(tmp_path / "data"),
        "CCHC_DATABASE_URL": shared_database,
        "CCHC_SMTP_HOST": "127.0.0.1",
        "CCHC_SMTP_PORT": str(smtp.port),
        "CCHC_SMTP_SECURITY": "none",
        "CCHC_MAIL_POLL_SECONDS": "0.5",
        "CCHC_DIGEST_DAILY_AT": due_at.strftime("%H:%M:%S"),
        "CCHC_DIGEST_WEEKLY_AT": (due_at + timedelta(hours=1)).strftime("%H:%M:%S"),
    }
    logs = [tmp_path / f"scheduler-{n}.log" for n in (1, 2)]
    processes = [
        subprocess.Popen(
            [str(CCHC), "scheduler"], env=env | own_ports(), stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        for log in logs
    ]
    try:
        chairman = addressed(read_people(PEOPLE), "chairman", None)[0].email
        deadline = time.monotonic() + 60
        while not smtp.mailbox.to(chairman) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in processes), [log.read_text() for log in logs]
            time.sleep(0.3)
        time.sleep(3)  # both schedulers have run the job and both relays have looked at the outbox
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        codes = [process.wait(timeout=30) for process in processes]
        smtp.down()

    received = smtp.mailbox.to(chairman)
    assert len(received) == 1, [log.read_text() for log in logs]
    assert received[0].message["Subject"].startswith("[CCHC] Tổng hợp ngày")
    assert codes == [0, 0]


def _text_part(raw: bytes) -> str:
    body = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",))
    assert body is not None, "the mail has a plain text part"
    return body.get_content()
