"""Mailers: how a rendered message leaves the building.

`SmtpMailer` delivers over SMTP with aiosmtplib (STARTTLS or implicit TLS, login, timeouts).
`FolderMailer` is the embedded default when no SMTP server is configured: each message is
written as an `.eml` file in the data directory, named after its row, atomically, so a
message written twice is still one file.

A failure says whether trying again can help (`DeliveryFailed.permanent`): the server refused
this recipient or this message (5xx) is permanent; everything else is retried, including a
refused login or sender address: those are our settings, and the messages wait until they
are fixed.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosmtplib

from config import Settings
from domain.errors import CchcError, ErrorCategory


@dataclass(frozen=True)
class Envelope:
    name: str  # a short, file-safe name for the message: "000042-reminder"
    sender: str  # the envelope sender's address
    recipients: Sequence[str]
    raw: bytes  # the whole message, RFC 5322


class DeliveryFailed(CchcError):
    category = ErrorCategory.UNAVAILABLE

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Mailer(Protocol):
    async def send(self, envelope: Envelope) -> None: ...

    def describe(self) -> str:
        """Where messages go, for people."""
        ...


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        ca_file: Path | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._ca_file = ca_file
        self._security = security
        self._username, self._password = username, password
        self._timeout = timeout

    async def send(self, envelope: Envelope) -> None:
        try:
            await aiosmtplib.send(
                envelope.raw,
                sender=envelope.sender,
                recipients=list(envelope.recipients),
                hostname=self._host,
                port=self._port,
                use_tls=self._security == "tls",
                start_tls=self._security == "starttls",
                username=self._username,
                password=self._password,
                timeout=self._timeout,
                cert_bundle=str(self._ca_file) if self._ca_file else None,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(_refusals(exc), permanent=True) from exc
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError) as exc:
            raise DeliveryFailed(f"SMTP {exc.code}: {exc.message}", permanent=exc.code >= 500) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryFailed(f"SMTP {exc.code}: {exc.message}", permanent=False) from exc
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=False) from exc

    def describe(self) -> str:
        return f"máy chủ SMTP {self._host}:{self._port} ({self._security})"


class FolderMailer:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    async def send(self, envelope: Envelope) -> None:
        await asyncio.to_thread(self._write, envelope)

    def _write(self, envelope: Envelope) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self._folder, prefix=".incoming-")
        with os.fdopen(handle, "wb") as file:
            file.write(envelope.raw)
        os.replace(temporary, self.path_of(envelope.name))

    def path_of(self, name: str) -> Path:
        return self._folder / f"{name}.eml"

    def describe(self) -> str:
        return f"thư mục {self._folder} (tệp .eml; chưa cấu hình CCHC_SMTP_HOST)"


def make_mailer(settings: Settings) -> SmtpMailer | FolderMailer:
    """SMTP when a host is configured, else the data directory's mail folder."""
    if settings.smtp_host is None:
        return FolderMailer(settings.mail_dir)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=password,
        timeout=settings.smtp_timeout_seconds,
        ca_file=settings.smtp_ca_file,
    )


def _refusals(exc: aiosmtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{r.recipient}: SMTP {r.code} {r.message}" for r in exc.recipients)
