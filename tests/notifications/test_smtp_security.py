"""The SMTP mailer against a real server that requires STARTTLS or implicit TLS, and a login."""

from __future__ import annotations

import pytest

from notifications.mailer import DeliveryFailed, Envelope, SmtpMailer
from tests.notifications.smtp import Login, SmtpServer, self_signed_certificate

RAW = (
    b"From: cchc@vinhkhe.example.vn\r\nTo: lan.vp@vinhkhe.example.vn\r\n"
    b"Subject: =?utf-8?b?W0NDSENdIE5o4bqvYyB2aeG7h2M=?=\r\n\r\nhello\r\n"
)
ENVELOPE = Envelope(
    name="000001-reminder", sender="cchc@vinhkhe.example.vn", recipients=["lan.vp@vinhkhe.example.vn"], raw=RAW
)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.mark.parametrize("security", ["starttls", "tls"])
async def test_a_server_that_requires_tls_and_a_login_gets_the_message(certificate, security):
    login = Login("cchc", "mật-khẩu")
    server = SmtpServer(security=security, certificate=certificate, login=login).up()
    try:
        mailer = SmtpMailer(
            "127.0.0.1", server.port, security=security, username="cchc", password="mật-khẩu", ca_file=certificate[0]
        )
        await mailer.send(ENVELOPE)
    finally:
        server.down()

    assert [r.raw.replace(b"\r\n", b"\n") for r in server.mailbox.received] == [RAW.replace(b"\r\n", b"\n")]
    assert login.attempts == [("cchc", True)]


async def test_a_refused_login_is_retried_later_not_given_up(certificate):
    server = SmtpServer(security="starttls", certificate=certificate, login=Login("cchc", "đúng")).up()
    try:
        mailer = SmtpMailer("127.0.0.1", server.port, username="cchc", password="sai", ca_file=certificate[0])
        with pytest.raises(DeliveryFailed) as failure:
            await mailer.send(ENVELOPE)
    finally:
        server.down()

    assert failure.value.permanent is False and "535" in failure.value.reason
    assert server.mailbox.received == []


async def test_a_server_whose_certificate_we_do_not_trust_gets_nothing(certificate):
    server = SmtpServer(security="starttls", certificate=certificate).up()
    try:
        with pytest.raises(DeliveryFailed) as failure:
            await SmtpMailer("127.0.0.1", server.port, security="starttls").send(ENVELOPE)
    finally:
        server.down()

    assert failure.value.permanent is False and "certificate" in failure.value.reason.lower()
    assert server.mailbox.received == []
