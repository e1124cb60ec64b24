"""Headers every answer carries: no framing (the action forms cannot be clickjacked), no
content sniffing, no referrer leaving the site, and pages that load only their own files."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The pages use no script at all; /docs (Swagger UI) loads its own from a CDN and is left alone.
CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'none'; frame-ancestors 'none'; form-action 'self'"
UNRESTRICTED = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        restricted = not scope["path"].startswith(UNRESTRICTED)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if restricted:
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)
