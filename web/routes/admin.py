"""For the administrator: the outbox (emails sent, waiting, failed) and the accounts."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.calendar import TZ
from domain.notifications import EmailStatus
from domain.roles import Role
from persistence.mail_tables import EmailRow
from persistence.users import (
    PERSON_ROLES,
    SUPERVISING_ROLES,
    NewUser,
    User,
    UserExists,
    add_user,
    get_user,
    list_users,
    normal_name,
    normal_username,
    reset_password,
    set_active,
)
from services.passwords import hash_password, password_problem
from services.security_log import SecurityEvent, SecurityRecord, log_security
from web.auth import require_role, sees_commune, signed_in
from web.errors import NotFound
from web.routes.forms import SignedForm, signed_form
from web.routes.params import RowId
from web.runtime import Runtime, runtime
from web.templating import render

router = APIRouter(include_in_schema=False)
ADMIN = (Role.ADMIN,)
OUTBOX_LIMIT = 200
STATUSES = tuple(EmailStatus)


@router.get("/outbox", response_class=HTMLResponse)
def outbox(
    request: Request, status: str = "", user: User = Depends(signed_in), rt: Runtime = Depends(runtime)
) -> Response:
    require_role(user, ADMIN)
    scope = [EmailRow.commune == user.commune] if user.commune else []
    chosen = status if status in STATUSES else ""
    with rt.sessions() as session:
        counts = dict(
            session.execute(select(EmailRow.status, func.count()).where(*scope).group_by(EmailRow.status)).all()
        )
        query = select(EmailRow).where(*scope).order_by(EmailRow.id.desc()).limit(OUTBOX_LIMIT)
        emails = list(session.scalars(query.where(EmailRow.status == chosen) if chosen else query))
    context = {
        "user": user,
        "emails": emails,
        "counts": counts,
        "statuses": STATUSES,
        "status": chosen,
        "limit": OUTBOX_LIMIT,
    }
    return render(request, "outbox.html", context)


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: User = Depends(signed_in), rt: Runtime = Depends(runtime)) -> Response:
    require_role(user, ADMIN)
    with rt.sessions() as session:
        accounts = list_users(session, commune=user.commune)
    return render(request, "users.html", {"user": user, "accounts": accounts, "roles": PERSON_ROLES})


@router.post("/users")
def add_account(
    form: SignedForm = Depends(signed_form),
    username: str = Form(""),
    display_name: str = Form(""),
    email: str = Form(""),
    role: str = Form(""),
    commune: str = Form(""),
    units: str = Form(""),
    supervises: str = Form(""),
    password: str = Form(""),
) -> RedirectResponse:
    """A new account; an administrator of one commune adds accounts of that commune only."""
    require_role(form.user, ADMIN)
    new = NewUser(
        username=normal_username(username)[:100],
        role=Role(role) if role in {r.value for r in PERSON_ROLES} else Role.SYSTEM,
        commune=form.user.commune or normal_name(commune[:200]),
        display_name=normal_name(display_name[:200]) or "",
        email=email.strip()[:254] or None,
        units=_names(units),
        supervises=_names(supervises),
    )
    create_account(form, new, password, refusals=_beyond_the_commune(form.user, new))
    return form.redirect("/users")


@router.post("/users/{user_id}/active")
def change_active(user_id: RowId, form: SignedForm = Depends(signed_form), active: str = Form("")) -> RedirectResponse:
    """Lock or unlock an account; locking ends its sessions at once. Nobody locks themselves out."""
    with form.rt.sessions.begin() as session:
        account = _managed_account(session, form.user, user_id)
        if account.id == form.user.id:
            form.flash(form.t("cannot_lock_yourself"), "error")
        else:
            set_active(session, account.id, active == "1")
            form.flash(form.t("user_unlocked" if active == "1" else "user_locked", username=account.username))
            event = SecurityEvent.ACCOUNT_UNLOCKED if active == "1" else SecurityEvent.ACCOUNT_LOCKED
            log_security(SecurityRecord(event=event, account=account.username, actor=form.user.username))
    return form.redirect("/users")


@router.post("/users/{user_id}/password")
def change_password(
    user_id: RowId, form: SignedForm = Depends(signed_form), password: str = Form("")
) -> RedirectResponse:
    """Give an account a new password (a forgotten one): its sessions end everywhere."""
    with form.rt.sessions.begin() as session:
        give_password(form, session, _managed_account(session, form.user, user_id), password)
    return form.redirect("/users")


def create_account(form: SignedForm, new: NewUser, password: str, *, refusals: list[str]) -> None:
    """Store the account `new` with `password`, or say why not (its problems, `refusals`);
    the outcome is flashed, an account added is logged."""
    problems = [*new.problems(), *refusals, *filter(None, [password_problem(password)])]
    if problems:
        form.flash("Lỗi: " + "; ".join(problems) + ".", "error")
        return
    try:
        with form.rt.sessions.begin() as session:
            add_user(session, new, hash_password(password), datetime.now(TZ))
    except UserExists:
        form.flash(form.t("user_exists", username=new.username), "error")
    else:
        form.flash(form.t("user_added", username=new.username))
        log_security(
            SecurityRecord(
                event=SecurityEvent.ACCOUNT_ADDED, account=new.username, actor=form.user.username, role=new.role
            )
        )


def give_password(form: SignedForm, session: Session, account: User, password: str) -> None:
    """A new password for `account` (a forgotten one): its sessions end everywhere."""
    problem = password_problem(password)
    if problem:
        form.flash(f"Lỗi: {problem}", "error")
        return
    reset_password(session, account, hash_password(password))
    form.flash(form.t("password_reset", username=account.username))
    log_security(SecurityRecord(event=SecurityEvent.PASSWORD_RESET, account=account.username, actor=form.user.username))


def _managed_account(session, admin: User, user_id: int) -> User:
    """The account `admin` manages: 403 for anyone but an administrator, 404 for an account
    of a commune it does not manage (or none)."""
    require_role(admin, ADMIN)
    account = get_user(session, user_id)
    if account is None or not _manages(admin, account):
        raise NotFound("Không tìm thấy tài khoản này.")
    return account


def _beyond_the_commune(admin: User, new: NewUser) -> list[str]:
    """An administrator of one commune cannot give anyone a view of other communes."""
    if admin.commune is not None and new.role in SUPERVISING_ROLES:
        return ["chỉ quản trị hệ thống (không thuộc xã nào) mới thêm tài khoản thẩm định hoặc giám sát"]
    return []


def _names(listed: str) -> tuple[str, ...]:
    """Names typed in one field, separated by commas."""
    return tuple(filter(None, (normal_name(name[:200]) for name in listed.split(","))))


def _manages(admin: User, account: User) -> bool:
    """An administrator of no commune manages every account; one of a commune, that commune's."""
    return admin.commune is None or (account.commune is not None and sees_commune(admin, account.commune))
