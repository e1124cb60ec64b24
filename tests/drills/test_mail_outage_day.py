"""Fault drill: the SMTP server is down for a whole simulated day while reminders keep coming.

The relay runs every five minutes of the simulated day, as `cchc up` does; nothing is
received, nothing is dropped, retries slow down to once an hour. The server comes back the
next morning: every email is delivered exactly once, and a further pass sends nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from importers.people import read_people
from notifications.delivery import LONGEST_RETRY, retry_delay
from persistence.mail_tables import EmailRow
from persistence.people import replace_directory
from tests.notifications.smtp import SmtpServer
from tests.notifications.test_delivery import NOW, PEOPLE, record, reminder, smtp_relay, statuses

RELAY_EVERY = timedelta(minutes=5)
DAY = timedelta(days=1)


@pytest.fixture
def directory(session_factory):
    with session_factory.begin() as session:
        replace_directory(session, "Vĩnh Khê", read_people(PEOPLE), NOW)


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.down()


def attempts(session_factory) -> list[int]:
    with session_factory() as session:
        return list(session.scalars(select(EmailRow.attempts).order_by(EmailRow.id)))


async def test_a_day_without_smtp_loses_no_email_and_sends_none_twice_once_the_server_is_back(
    session_factory, directory, smtp
):
    relay = smtp_relay(session_factory, smtp)
    await record(session_factory, reminder(seq=4))
    await record(session_factory, reminder(seq=5, unit="Văn hóa - Xã hội"))

    now, retries = NOW, 0
    while now < NOW + DAY:
        if now == NOW + timedelta(hours=10):  # a reminder raised in the middle of the outage
            await record(session_factory, reminder(seq=6, unit="Tài chính - Kế toán"))
        _, delivery = await relay.run_once(now)
        assert delivery.sent == 0
        retries += delivery.retrying
        now += RELAY_EVERY

    emails = len(statuses(session_factory))
    assert emails == 3  # the officer of each of the three units
    assert set(statuses(session_factory)) == {"pending"} and smtp.mailbox.received == []
    # Retries back off to once an hour (30 s doubling): a day of outage costs each email about
    # thirty attempts, not one every five minutes (288).
    assert retry_delay(20) == LONGEST_RETRY
    assert all(10 <= tries <= 36 for tries in attempts(session_factory)), attempts(session_factory)
    assert retries == sum(attempts(session_factory))

    smtp.up()
    morning = NOW + DAY + timedelta(hours=1)
    _, back = await relay.run_once(morning)
    _, again = await relay.run_once(morning + timedelta(hours=2))

    assert (back.sent, again.sent) == (emails, 0)
    assert set(statuses(session_factory)) == {"sent"}
    delivered = Counter((r.message["Message-ID"], tuple(r.rcpt_tos)) for r in smtp.mailbox.received)
    assert len(delivered) == emails and set(delivered.values()) == {1}
