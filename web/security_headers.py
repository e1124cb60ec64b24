"""Headers every answer carries: no framing (the action forms cannot be clickjacked), no
content sniffing, no referrer leaving the site, and pages that load only their own files. No
answer but the static files is kept in a cache (a signed-in page stays off shared machines'
disks and proxies), and a site served over https tells browsers to come back only so (HSTS)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# The pages load no script but the site's own files (the draft editor's, which only helps:
# every page works without it); never an inline one. /docs (Swagger UI, off unless
# CCHC_API_DOCS) loads its own from a CDN and is left alone.
CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
UNRESTRICTED = ("/docs", "/redoc")
CACHED = "/static/"
STRICT_TRANSPORT = "max-age=31536000"  # a year


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        restricted = not scope["path"].startswith(UNRESTRICTED)
        cached = scope["path"].startswith(CACHED)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if restricted:
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                if not cached:
                    headers.setdefault("Cache-Control", "no-store")
                if self.https:
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
            await send(message)

        await self.app(scope, receive, send_with_headers)
