"""Changing one's own password: at the first sign-in after someone else set it (until then
every other page sends the user here, see `web.auth.signed_in`), or whenever the user wants to
(the link beside "Đăng xuất").

The current password is asked again, and a wrong one counts as a failed sign-in of the
account (web/login_limit.py): a session left open is no way to guess it. The new one must
differ from it and pass the same check as every password (services/passwords.py). The change
ends the account's other sessions; this one goes on.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.calendar import TZ
from domain.formatting import dmy_hm
from persistence.users import User, change_own_password
from services.passwords import hash_password, password_problem, verify_password
from services.security_log import SecurityEvent, SecurityRecord, log_security
from web import i18n
from web.auth import check_csrf, current_user, flash
from web.errors import SignInRequired
from web.login_limit import admit, client_address, failed, succeeded
from web.routes.sign_in import safe_next
from web.runtime import Runtime, runtime
from web.templating import language, render

router = APIRouter(include_in_schema=False)
OWN_PASSWORD = "/password"


def _user(user: User | None = Depends(current_user)) -> User:
    """The signed-in user, whether or not the password must be changed first."""
    if user is None:
        raise SignInRequired()
    return user


@router.get(OWN_PASSWORD, response_class=HTMLResponse)
def password_page(request: Request, next: str = "/", user: User = Depends(_user)) -> Response:
    return render(request, "password.html", {"user": user, "next": safe_next(next)})


@router.post(OWN_PASSWORD, response_class=HTMLResponse)
def change_password(
    request: Request,
    rt: Runtime = Depends(runtime),
    user: User = Depends(_user),
    csrf_token: str = Form(""),
    current: str = Form(""),
    password: str = Form(""),
    again: str = Form(""),
    next: str = Form("/"),
) -> Response:
    check_csrf(request, csrf_token)
    t = i18n.translator(language(request))
    error, status = _problem(t, password, again), 422
    if error is None:
        error, status = _change(request, rt, user, current, password, t)
    if error is not None:
        context = {"user": user, "next": safe_next(next), "error": error}
        return render(request, "password.html", context, status_code=status)
    flash(request, t("password_changed"))
    return RedirectResponse(safe_next(next), status_code=303)


def _problem(t, password: str, again: str) -> str | None:
    """What is wrong with the new password as typed, before anything is checked against the account."""
    if password != again:
        return t("passwords_differ")
    problem = password_problem(password)
    return f"{t('error')}: {problem}." if problem else None


def _change(request: Request, rt: Runtime, user: User, current: str, password: str, t) -> tuple[str | None, int]:
    """Check the current password (as a sign-in is checked, under its limit) and store the new
    one; the error and its status, or None when the password is changed."""
    now = datetime.now(TZ)
    address = client_address(request, rt.settings.trusted_proxies)
    admission = admit(rt.sessions, now, username=user.username, address=address)
    if admission.attempt is None:
        assert admission.until is not None, "a refused try says until when"
        log_security(
            SecurityRecord(
                event=SecurityEvent.SIGN_IN_SLOWED, account=user.username, address=address, until=admission.until
            )
        )
        return t("sign_in_locked", until=dmy_hm(admission.until)), 429
    with rt.sessions.begin() as session:
        right = verify_password(user.password_hash, current)
        if not right:
            failed(session, now, admission.attempt, address)
        else:
            succeeded(session, admission.attempt, user.username)
            if password != current:
                request.session["ver"] = change_own_password(session, user, hash_password(password))
    if not right:
        log_security(
            SecurityRecord(event=SecurityEvent.PASSWORD_CHANGE_REFUSED, account=user.username, address=address)
        )
        return t("current_password_wrong"), 401
    if password == current:
        return t("password_unchanged"), 422
    log_security(SecurityRecord(event=SecurityEvent.PASSWORD_CHANGED, account=user.username, address=address))
    return None, 200
