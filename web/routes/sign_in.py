"""Signing in and out. Failed sign-ins are counted per username and per address (web/login_limit.py)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.calendar import TZ
from domain.formatting import dmy_hm
from persistence.users import User, end_sessions, find_user, set_password_hash
from services.passwords import hash_password, needs_rehash, verify_password
from services.security_log import SecurityEvent, SecurityRecord, log_security
from web import i18n
from web.auth import check_csrf, current_user, sign_in, sign_out
from web.login_limit import admit, client_address, failed, succeeded
from web.runtime import Runtime, runtime
from web.templating import language, render

router = APIRouter(include_in_schema=False)
MAX_USERNAME = 100


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never "//host" or "http:...")."""
    target = target or "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", user: User | None = Depends(current_user)) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next)})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    rt: Runtime = Depends(runtime),
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    check_csrf(request, csrf_token)
    t = i18n.translator(language(request))
    now = datetime.now(TZ)
    address = client_address(request, rt.settings.trusted_proxies)
    username = username.strip()[:MAX_USERNAME]
    admission = admit(rt.sessions, now, username=username, address=address)
    user: User | None = None
    if admission.attempt is None:
        assert admission.until is not None, "a refused try says until when"
        error, status = t("sign_in_locked", until=dmy_hm(admission.until)), 429
        event = SecurityRecord(
            event=SecurityEvent.SIGN_IN_SLOWED, account=username, address=address, until=admission.until
        )
    else:
        with rt.sessions.begin() as session:
            user = find_user(session, username)  # an unknown user costs the same time (a decoy hash)
            if verify_password(user.password_hash if user else None, password) and user is not None and user.active:
                _signed_in(session, user, password, admission.attempt)
                error, status = None, 200
                event = SecurityRecord(event=SecurityEvent.SIGNED_IN, account=user.username, address=address)
            else:
                failed(session, now, admission.attempt, address)
                error, status = t("sign_in_failed"), 401
                event = SecurityRecord(event=SecurityEvent.SIGN_IN_FAILED, account=username, address=address)
    log_security(event)
    if error is not None:
        return render(
            request, "login.html", {"next": safe_next(next), "error": error, "username": username}, status_code=status
        )
    assert user is not None, "no error: the user was found and signed in"
    sign_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


def _signed_in(session, user: User, password: str, attempt: int) -> None:
    succeeded(session, attempt, user.username)
    if needs_rehash(user.password_hash):
        set_password_hash(session, user.id, hash_password(password))


@router.post("/logout")
def logout(
    request: Request,
    rt: Runtime = Depends(runtime),
    user: User | None = Depends(current_user),
    csrf_token: str = Form(""),
) -> RedirectResponse:
    """Signs out every session of the user, on every device."""
    check_csrf(request, csrf_token)
    if user is not None:
        with rt.sessions.begin() as session:
            end_sessions(session, user.id)
    sign_out(request)
    return RedirectResponse("/login", status_code=303)
