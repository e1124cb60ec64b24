"""Request bodies capped before anything reads them, by the kind of route they are sent to.

A pure ASGI middleware, outside sessions, sign-in and the routes: a body announced (by its
Content-Length) larger than its route's limit is answered 413 without reading a byte of it;
one that grows past the limit while it streams is cut there and answered 413. A multipart
body (a form with a file) is refused (415) on every route that takes no file, so no form
parser spools an unexpected file to disk. A form's fields are never meant to hold a NUL
(which PostgreSQL refuses in text, and no person types): a form body holding one, escaped
or not, is refused (400) as it streams.

The limits: a plan, directory or criteria file's upload the import limit, an evidence file's upload the evidence
limit (both from the settings, with room for the form's other fields: a file a little over
its limit is still read up to the limit and refused on the page that sent it), a JSON body
64 KB, the draft editor's form (every task of a plan) 1 MB, any other form 64 KB.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings

SMALL_BODY_BYTES = 64 * 1024  # a JSON body, a form of text fields
FORM_FIELDS_BYTES = 2**20  # what an upload form carries beside its file, at most
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
_EVIDENCE_FORMS = re.compile(r"/tasks/[^/]+/[^/]+/[^/]+/evidence|/assessment/[^/]+/[^/]+/evidence")
_EVIDENCE_FILE = re.compile(r"/api/tasks/[^/]+/[^/]+/[^/]+/evidence/file")
_IMPORTS = (
    "/plans/import",
    "/people/import",
    "/catalogues/import",
)  # the forms that take a plan, directory or criteria file
_DRAFT_EDITOR = "/plans/import/draft"  # every task of a plan, as typed


@dataclass(frozen=True)
class Limit:
    said_bytes: int  # the limit people are told: of the file, for an upload
    multipart: bool = False  # a form with a file is what the route takes

    @property
    def max_bytes(self) -> int:
        return self.said_bytes + FORM_FIELDS_BYTES if self.multipart else self.said_bytes


class BodyRefused(Exception):
    """Raised inside `receive` when the body passes its limit (413) or a form holds a NUL (400)."""


class BodyLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.import_bytes = settings.max_import_mb * 2**20
        self.evidence_bytes = settings.max_evidence_mb * 2**20

    def limit(self, path: str) -> Limit:
        """The limit of the route `path` names."""
        if path in _IMPORTS:
            return Limit(self.import_bytes, multipart=True)
        if path == _DRAFT_EDITOR:
            return Limit(FORM_FIELDS_BYTES)
        if _EVIDENCE_FORMS.fullmatch(path):
            return Limit(self.evidence_bytes, multipart=True)
        if _EVIDENCE_FILE.fullmatch(path):
            return Limit(self.evidence_bytes)
        return Limit(SMALL_BODY_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.limit(path)
        headers = _headers(scope)
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == MULTIPART and not limit.multipart:
            await _refuse(send, path, 415, "Trang này không nhận tệp gửi kèm (multipart/form-data).")
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            await _refuse(send, path, 413, _too_large(limit.said_bytes))
            return
        scan_for_nul = content_type == FORM
        received = 0
        tail = b""  # the end of the last chunk: an escaped NUL may straddle two
        refusal: tuple[int, str] | None = None
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal received, tail, refusal
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit.max_bytes:
                    refusal = 413, _too_large(limit.said_bytes)
                elif scan_for_nul and _has_nul(tail + chunk):
                    refusal = 400, "Dữ liệu gửi lên có ký tự NUL (không được phép)."
                tail = chunk[-2:]
                if refusal is not None:
                    raise BodyRefused()
            return message

        async def watched_send(message: Message) -> None:
            """The application's answer; once the body was refused, whatever the application
            made of it (a parse error, its own page) is replaced by the refusal."""
            nonlocal started, refused
            if refusal is not None and not started:
                started = refused = True
                await _refuse(send, path, *refusal)
            if not refused:
                started = True
                await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyRefused:
            if refusal is not None and not started:
                await _refuse(send, path, *refusal)


def _has_nul(data: bytes) -> bool:
    return b"\x00" in data or b"%00" in data


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}


def _too_large(max_bytes: int) -> str:
    size = f"{max_bytes // 2**20} MB" if max_bytes >= 2**20 else f"{max_bytes // 1024} KB"
    return f"Dữ liệu gửi lên quá lớn (tối đa {size})."


async def _refuse(send: Send, path: str, status: int, message: str) -> None:
    """The refusal, as JSON for the API and as plain text for a page; the connection is closed
    (the body left unread is never read)."""
    if path.startswith("/api/"):
        body, media_type = json.dumps({"detail": message}, ensure_ascii=False), "application/json"
    else:
        body, media_type = message, "text/plain; charset=utf-8"
    data = body.encode("utf-8")
    headers = [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(data)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
