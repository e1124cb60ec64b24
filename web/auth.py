"""Who is signed in, and what the session carries.

The session is Starlette's signed cookie (itsdangerous; HttpOnly, SameSite=Lax, Secure on
https; re-signed on every response, so it expires after `session_idle_minutes` unused; see
web/app.py), and ends `session_absolute_hours` after the sign-in however much it is used. It
holds the user's id and session version, when it signed in, the CSRF token of every form, and
the flash messages of the next page. The user is read from the database on every request:
a deactivated account or one that signed out elsewhere (its version moved on) is signed out.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Iterable
from typing import NamedTuple

from fastapi import Depends, Request

from domain.roles import Role
from domain.units import same_commune
from importers.drafts import HeadField
from importers.header import issuing_commune, same_name
from persistence.users import SUPERVISING_ROLES, User, get_user
from web.errors import Forbidden, PasswordChangeRequired, SignInRequired
from web.request_log import name_user_commune
from web.runtime import Runtime, runtime

CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created with the session."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, token: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise Forbidden("Biểu mẫu đã hết hạn hoặc không hợp lệ: hãy tải lại trang rồi gửi lại.")


def sign_in(request: Request, user: User) -> None:
    """A fresh session for `user`: nothing of the anonymous one survives, not even its token."""
    request.session.clear()
    request.session.update(
        {"uid": user.id, "ver": user.session_version, "since": int(time.time()), "csrf": secrets.token_urlsafe(32)}
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request, rt: Runtime = Depends(runtime)) -> User | None:
    """The signed-in user, or None (and an emptied session if it is no longer valid)."""
    user_id, since = request.session.get("uid"), request.session.get("since")
    if not isinstance(user_id, int):
        return None
    if not isinstance(since, int) or time.time() - since > rt.settings.session_absolute_hours * 3600:
        request.session.clear()
        return None
    with rt.sessions() as session:
        user = get_user(session, user_id)
    if user is None or not user.active or user.session_version != request.session.get("ver"):
        request.session.clear()
        return None
    name_user_commune(user.commune)
    return user


def signed_in(user: User | None = Depends(current_user)) -> User:
    """The signed-in user, who may work: one whose password someone else set changes it first."""
    if user is None:
        raise SignInRequired()
    if user.must_change_password:
        raise PasswordChangeRequired()
    return user


def require_role(user: User, roles: Iterable[Role]) -> None:
    if user.role not in set(roles):
        raise Forbidden("Tài khoản này không có quyền xem hoặc làm việc này.")


def sees_commune(user: User, commune: str) -> bool:
    """A commune's people see only their commune; the supervising authority's people, the
    communes they supervise; any other user of no commune (auditor, admin) sees every one."""
    if user.role in SUPERVISING_ROLES:
        return any(same_commune(supervised, commune) for supervised in user.supervises)
    return user.commune is None or same_commune(user.commune, commune)


class CommuneRefusal(NamedTuple):
    """Why a plan is not the user's, and the field of its head that says so."""

    field: HeadField
    message: str


def another_commune(user: User, commune: str, issuer: str) -> CommuneRefusal | None:
    """Why a plan of `commune` issued by `issuer` is not the user's; None when it is of a
    commune the user sees, issued by that commune's committee (or one the user sees, or no commune's)."""
    issuing = issuing_commune(issuer)
    if not sees_commune(user, commune):
        return CommuneRefusal(HeadField.COMMUNE, f"Kế hoạch này của xã {commune}, không phải xã của đồng chí.")
    if issuing and not same_name(issuing, commune) and not sees_commune(user, issuing):
        return CommuneRefusal(HeadField.ISSUER, f"Kế hoạch này do {issuer} ban hành, không phải xã của đồng chí.")
    return None


def seen_communes(user: User) -> tuple[str, ...] | None:
    """The communes `sees_commune` lets the user see, by name; None for every commune."""
    if user.role in SUPERVISING_ROLES:
        return user.supervises
    return None if user.commune is None else (user.commune,)


# --- flash messages --------------------------------------------------------------------------


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A message for the next page shown to this session ("ok" or "error")."""
    request.session.setdefault("flash", []).append({"kind": kind, "text": text})


def take_flashes(request: Request) -> list[dict[str, str]]:
    return request.session.pop("flash", [])
