"""What every POSTed form of a signed-in user starts with: who sends it, its CSRF token checked,
and the way back with a message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse

from domain.roles import Role
from persistence.users import User
from web import i18n
from web.auth import check_csrf, flash, signed_in
from web.runtime import Runtime, runtime
from web.templating import language


@dataclass(frozen=True)
class SignedForm:
    request: Request
    user: User
    rt: Runtime

    @property
    def t(self) -> Callable[..., str]:
        return i18n.translator(language(self.request), technical=self.user.role is Role.ADMIN)

    def flash(self, text: str, kind: str = "ok") -> None:
        flash(self.request, text, kind)

    def redirect(self, path: str) -> RedirectResponse:
        return RedirectResponse(path, status_code=303)


def signed_form(
    request: Request,
    user: User = Depends(signed_in),
    rt: Runtime = Depends(runtime),
    csrf_token: str = Form(""),
) -> SignedForm:
    check_csrf(request, csrf_token)
    return SignedForm(request, user, rt)
