"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, raw."""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.cli.running import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class Mailbox:
    """The handler: accepts every message, except for the addresses in `refuse`."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@dataclass
class Login:
    """aiosmtpd's authenticator: accepts one user and password, remembers every attempt."""

    user: str
    password: str
    attempts: list[tuple[str, bool]] = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        user, password = auth_data.login.decode(), auth_data.password.decode()
        accepted = (user, password) == (self.user, self.password)
        self.attempts.append((user, accepted))
        return AuthResult(success=accepted, handled=False)  # aiosmtpd answers 235 or 535


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made by the system's openssl."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class SmtpServer:
    """An SMTP server on a fixed port that can be down (not yet started, or stopped) and up.

    `security`: None (plain), "starttls" (required before anything is accepted) or "tls"
    (implicit TLS), with `certificate` (cert, key); `login` requires authentication.
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        security: str | None = None,
        certificate: tuple[Path, Path] | None = None,
        login: Login | None = None,
    ) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self._security, self._certificate, self._login = security, certificate, login
        self._controller: Controller | None = None

    def up(self) -> SmtpServer:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **self._options())
        self._controller.start()
        return self

    def _options(self) -> dict:
        options: dict = {}
        if self._security is not None:
            assert self._certificate is not None, "a secured server is given its (cert, key)"
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self._certificate)
            if self._security == "tls":
                options.update(ssl_context=context, server_hostname="localhost")
            else:
                options.update(tls_context=context, require_starttls=True)
        if self._login is not None:
            options.update(authenticator=self._login, auth_required=True, auth_require_tls=self._security == "starttls")
        return options

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
